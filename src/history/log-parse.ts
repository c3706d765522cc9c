// Reads the output of
//   git log --no-merges --no-renames --name-only --format=%x01%H %s
// one line at a time: a header line starting with \x01, a blank line, then
// one changed path per line. \x01 cannot start a path line (git quotes
// control characters), so it marks a commit unambiguously.

export const LOG_FORMAT = "--format=%x01%H %s";
/** The same with the committer date (Unix seconds) after the hash, for figures per period. */
export const LOG_FORMAT_TIMED = "--format=%x01%H %ct %s";

export interface LogCommit {
  hash: string;
  subject: string;
  files: string[];
  /** Committer date, Unix seconds; only read with LOG_FORMAT_TIMED. */
  time?: number;
}

export interface LogParser {
  line(text: string): void;
  /** Flushes the last commit. */
  end(): void;
}

export function logParser(onCommit: (c: LogCommit) => void, timed = false): LogParser {
  let current: LogCommit | null = null;
  return {
    line(text) {
      if (text.charCodeAt(0) === 1) {
        if (current) onCommit(current);
        const space = text.indexOf(" ");
        current = space === -1 ? { hash: text.slice(1), subject: "", files: [] } : { hash: text.slice(1, space), subject: text.slice(space + 1), files: [] };
        if (timed) {
          const rest = current.subject;
          const gap = rest.indexOf(" ");
          current.time = Number(gap === -1 ? rest : rest.slice(0, gap));
          current.subject = gap === -1 ? "" : rest.slice(gap + 1);
        }
      } else if (text !== "" && current) {
        current.files.push(unquotePath(text));
      }
    },
    end() {
      if (current) onCommit(current);
      current = null;
    },
  };
}

const ESCAPES: Record<string, number> = { a: 7, b: 8, t: 9, n: 10, v: 11, f: 12, r: 13, '"': 34, "\\": 92 };

/**
 * Undoes git's C-style quoting of an unusual path ("a\"b", "\303\251").
 * Octal escapes are bytes of UTF-8, so they are collected as bytes first.
 */
export function unquotePath(s: string): string {
  if (s.length < 2 || s[0] !== '"' || s[s.length - 1] !== '"') return s;
  // Odd pieces are escapes, even pieces literal text.
  const pieces = s.slice(1, -1).split(/(\\[0-7]{3}|\\.)/);
  const bytes = pieces.map((p, i) => {
    if (i % 2 === 0) return Buffer.from(p, "utf8");
    const c = p.slice(1);
    return Buffer.of(c.length === 3 ? parseInt(c, 8) : (ESCAPES[c] ?? c.charCodeAt(0)));
  });
  return Buffer.concat(bytes).toString("utf8");
}
