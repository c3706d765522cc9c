// F:/X: globs and N: regexes turned into something a matcher can test,
// following scripts/get_maintainer.pl:
//
//   - A pattern ending in "/" matches every path that starts with it.
//   - Any other pattern is a prefix regex that must also have as many "/" as
//     the path: `F: drivers/net/*` covers drivers/net/a.c but not
//     drivers/net/x/b.c, and (a Perl quirk kept on purpose) `F: fs/aio.c`
//     also matches fs/aio.c.orig.
//   - get_maintainer.pl adds the missing "/" when the pattern names a directory
//     of the tree it runs in. We have no tree, so a glob-free pattern also
//     matches everything under `pattern/`: had it been a file, nothing could lie
//     below it, so this is only ever the directory reading.
//   - `*` and `?` stay within one component; `**` spans components and lifts
//     the "/"-count rule (the modern MAINTAINERS header documents
//     `F: fs/**/*foo*.c`).
//   - Depth (specificity) is get_maintainer.pl's $value_pd: the number of "/"
//     plus one unless the pattern ends in "/", and -1 for a leading `*`.

export interface CompiledGlob {
  /** As written, less surrounding blanks and a leading "./" or "/". */
  raw: string;
  /** Ends in "/": matches the whole tree below. */
  isDir: boolean;
  /** No glob characters: prefix tests suffice, no regex needed. */
  literal: boolean;
  /** Has `**`: may span components, exempt from the "/"-count rule. */
  globstar: boolean;
  /** "/" count of the pattern as written. */
  slashes: number;
  /** get_maintainer.pl's depth; see the header. */
  depth: number;
  /**
   * Leading components that are literal directories, the key the matcher
   * indexes by: ["arch","x86"] for `arch/x86/` and for `arch/x86/*.c`.
   */
  anchor: string[];
  /** Last component, for a literal non-directory pattern: the name prefix to test. */
  leaf: string;
  /**
   * For a glob that is neither a directory nor `**`: the literal start of its
   * last component ("qu" when that is `qu*`). Components line up one to one
   * with the path's, so the file name must start with it: a check that spares
   * most regex runs.
   */
  leafPrefix: string;
  /** `^…` over the whole path; only for non-literal patterns. */
  re: RegExp | null;
}

const GLOB_CHARS = /[*?[]/;

function globToRegexSource(glob: string): string {
  let out = "";
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i]!;
    if (c === "*") {
      if (glob[i + 1] === "*") {
        out += ".*";
        i++;
      } else {
        out += "[^/]*";
      }
    } else if (c === "?") {
      out += "[^/]";
    } else if (c === "[") {
      // A bracket class passes through as in Perl; an unclosed "[" is literal.
      const close = glob.indexOf("]", i + 2);
      if (close < 0) out += "\\[";
      else {
        out += glob.slice(i, close + 1).replace(/\\/g, "\\\\");
        i = close;
      }
    } else if ("\\^$.|+(){}".includes(c)) {
      out += "\\" + c;
    } else {
      out += c;
    }
  }
  return out;
}

function countSlashes(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) === 47) n++;
  return n;
}

/** Compile an F: or X: value. Leading "./" and "/" are dropped; an empty value gives null. */
export function compileGlob(value: string): CompiledGlob | null {
  const raw = value.trim();
  const body = raw.replace(/^(?:\.\/|\/)+/, "");
  if (body === "") return null;
  const isDir = body.endsWith("/");
  const literal = !GLOB_CHARS.test(body);
  const globstar = body.includes("**");
  const slashes = countSlashes(body);
  const depth = body.startsWith("*") ? -1 : slashes + (isDir ? 0 : 1);
  const parts = body.split("/");
  if (isDir) parts.pop(); // the empty string after the trailing "/"
  const dirs = isDir ? parts : parts.slice(0, -1);
  const anchor: string[] = [];
  for (const p of dirs) {
    if (GLOB_CHARS.test(p)) break;
    anchor.push(p);
  }
  return {
    raw: body,
    isDir,
    literal,
    globstar,
    slashes,
    depth,
    anchor,
    leaf: isDir ? "" : (parts[parts.length - 1] ?? ""),
    leafPrefix: isDir || globstar ? "" : (parts[parts.length - 1] ?? "").split(/[*?[]/)[0]!,
    re: literal ? null : new RegExp("^" + globToRegexSource(body)),
  };
}

/**
 * Does `glob` match `path` (whose "/" count is `pathSlashes`)? The reference
 * semantics; the matcher's index reaches the same answers without calling this
 * for literal patterns.
 */
export function globMatches(glob: CompiledGlob, path: string, pathSlashes: number): boolean {
  if (glob.literal) {
    if (!path.startsWith(glob.raw)) return false;
    if (glob.isDir) return true;
    return pathSlashes === glob.slashes || path.charCodeAt(glob.raw.length) === 47;
  }
  // The cheap necessary conditions first: most candidates fail one of them.
  if (!glob.isDir && !glob.globstar) {
    if (pathSlashes !== glob.slashes) return false;
    if (glob.leafPrefix !== "" && !path.startsWith(glob.leafPrefix, path.lastIndexOf("/") + 1)) return false;
  }
  return glob.re!.test(path);
}

export { countSlashes };

/**
 * An N: value is a Perl regex used as `m/$value/x`: unescaped whitespace
 * outside a class is ignored and `#` starts a comment. Returns the JS regex,
 * or an error message for the caller to report.
 */
export function compileNRegex(value: string): RegExp | string {
  let src = "";
  let inClass = false;
  for (let i = 0; i < value.length; i++) {
    const c = value[i]!;
    if (c === "\\") {
      const next = value[i + 1] ?? "";
      // Perl anchors JS lacks, which mean the same on a one-line path.
      if (!inClass && next === "A") src += "^";
      else if (!inClass && (next === "z" || next === "Z")) src += "$";
      else src += c + next;
      i++;
      continue;
    }
    if (inClass) {
      if (c === "]") inClass = false;
      src += c;
      continue;
    }
    if (c === "[") {
      inClass = true;
      src += c;
      // A "]" right after "[" or "[^" is a literal member, not the end.
      const lead = value[i + 1] === "^" ? 2 : 1;
      if (value[i + lead] === "]") {
        src += value.slice(i + 1, i + lead + 1);
        i += lead;
      }
      continue;
    }
    if (c === "#") break;
    if (/\s/.test(c)) continue;
    src += c;
  }
  let flags = "";
  // Perl's inline flag, which JS before ES2025 only takes as a flag argument.
  if (src.startsWith("(?i)")) {
    flags = "i";
    src = src.slice(4);
  }
  if (src === "") return "empty regex";
  try {
    return new RegExp(src, flags);
  } catch (e) {
    return (e as Error).message;
  }
}

