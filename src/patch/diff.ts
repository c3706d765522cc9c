import { InputError } from "./errors.js";
import type { ChangeKind, InputWarning, DiffLine, FileChange, Hunk } from "./types.js";

// A strict reader of git's unified diff. parse-diff was tried first and
// dropped: it reports no input line numbers (so a malformed hunk cannot be
// named), has no notion of binary, rename or copy, and counts
// "\ No newline at end of file" as a context line.

export interface DiffInput {
  source: string;
  /** Lines of the whole input, LF-split. */
  lines: string[];
  /** Index into `lines` where the diff starts. */
  start: number;
  /** Index one past the end of this message's diff. */
  end: number;
  commitIndex: number;
  limits: { maxHunkLines: number };
  /** Added to `index + 1` to give input line numbers (for lines decoded out of a transfer encoding). */
  lineOffset?: number;
  /** Input line of each of `lines`, when they were decoded out of MIME parts (wins over `lineOffset`). */
  lineNumbers?: number[];
  /** Where to report what was accepted but is not quite right. */
  warnings?: InputWarning[];
}

/** The input line number of `lines[index]`. */
function lineAt(input: DiffInput, index: number): number {
  if (input.lineNumbers) return input.lineNumbers[Math.min(index, input.lineNumbers.length - 1)] ?? 1;
  return index + 1 + (input.lineOffset ?? 0);
}

const HUNK_HEADER = /^@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@ ?(.*)$/;

export function parseDiff(input: DiffInput): FileChange[] {
  const { lines, end } = input;
  const files: FileChange[] = [];
  let i = input.start;
  while (i < end) {
    const line = lines[i]!;
    if (line.startsWith("diff --git ")) {
      i = readGitFile(input, i, files);
    } else if (line.startsWith("--- ") && (lines[i + 1] ?? "").startsWith("+++ ")) {
      i = readPlainFile(input, i, files);
    } else {
      // Between files: signatures (`-- `), version notes, diffstats.
      i++;
    }
  }
  return files;
}

function newFile(commitIndex: number): FileChange {
  return { oldPath: null, newPath: null, kind: "modified", binary: false, hunks: [], commitIndex };
}

/** `diff --git a/x b/y` followed by extended headers, then `---`/`+++` and hunks. */
function readGitFile(input: DiffInput, at: number, out: FileChange[]): number {
  const { lines, end, source } = input;
  const file = newFile(input.commitIndex);
  const fromHeader = splitGitHeaderPaths(lines[at]!.slice("diff --git ".length));
  file.oldPath = fromHeader?.[0] ?? null;
  file.newPath = fromHeader?.[1] ?? null;
  let kind: ChangeKind = "modified";
  let i = at + 1;
  for (; i < end; i++) {
    const line = lines[i]!;
    let m: RegExpMatchArray | null;
    if ((m = line.match(/^old mode (\d+)$/))) file.oldMode = m[1];
    else if ((m = line.match(/^new mode (\d+)$/))) file.newMode = m[1];
    else if ((m = line.match(/^new file mode (\d+)$/))) {
      kind = "added";
      file.newMode = m[1];
    } else if ((m = line.match(/^deleted file mode (\d+)$/))) {
      kind = "deleted";
      file.oldMode = m[1];
    } else if ((m = line.match(/^rename from (.+)$/))) {
      kind = "renamed";
      file.oldPath = unquotePath(m[1]!);
    } else if ((m = line.match(/^rename to (.+)$/))) file.newPath = unquotePath(m[1]!);
    else if ((m = line.match(/^copy from (.+)$/))) {
      kind = "copied";
      file.oldPath = unquotePath(m[1]!);
    } else if ((m = line.match(/^copy to (.+)$/))) file.newPath = unquotePath(m[1]!);
    else if ((m = line.match(/^(?:dis)?similarity index (\d+)%$/))) file.similarity = Number(m[1]);
    else if (/^index [0-9a-f]+\.\.[0-9a-f]+/.test(line)) {
      const mode = line.match(/ (\d{6})$/);
      if (mode) file.oldMode = file.newMode = mode[1];
    } else if (line.startsWith("Binary files ") || line === "GIT binary patch") {
      file.binary = true;
      i = line === "GIT binary patch" ? skipBinaryPatch(lines, i + 1, end) : i + 1;
      break;
    } else if (line.startsWith("--- ")) {
      const plus = lines[i + 1] ?? "";
      if (!plus.startsWith("+++ ")) throw new InputError(source, lineAt(input, i + 1), `expected "+++ " after "--- ", found ${quote(plus)}`);
      const oldP = headerPath(line.slice(4));
      const newP = headerPath(plus.slice(4));
      if (oldP !== undefined) file.oldPath = oldP;
      if (newP !== undefined) file.newPath = newP;
      i = readHunks(input, i + 2, file);
      break;
    } else {
      break;
    }
  }
  if (kind === "added") file.oldPath = null;
  if (kind === "deleted") file.newPath = null;
  if (kind === "modified" && file.hunks.length === 0 && !file.binary && file.oldMode !== file.newMode) kind = "mode-only";
  file.kind = kind;
  if (file.oldPath === null && file.newPath === null) {
    throw new InputError(source, lineAt(input, at), "cannot tell which file this diff is about");
  }
  out.push(file);
  return i;
}

/** A diff without git's header (`diff -u`, quilt): only `---`/`+++`. */
function readPlainFile(input: DiffInput, at: number, out: FileChange[]): number {
  const { lines } = input;
  const file = newFile(input.commitIndex);
  const oldP = headerPath(lines[at]!.slice(4), true);
  const newP = headerPath(lines[at + 1]!.slice(4), true);
  file.oldPath = oldP ?? null;
  file.newPath = newP ?? null;
  if (file.oldPath === null) file.kind = "added";
  else if (file.newPath === null) file.kind = "deleted";
  const next = readHunks(input, at + 2, file);
  out.push(file);
  return next;
}

function readHunks(input: DiffInput, at: number, file: FileChange): number {
  const { lines, end, source } = input;
  let i = at;
  while (i < end) {
    const header = lines[i]!;
    if (!header.startsWith("@@ ")) break;
    const m = header.match(HUNK_HEADER);
    if (!m) throw new InputError(source, lineAt(input, i), `malformed hunk header ${quote(header)}`);
    const hunk: Hunk = {
      oldStart: Number(m[1]),
      oldCount: m[2] === undefined ? 1 : Number(m[2]),
      newStart: Number(m[3]),
      newCount: m[4] === undefined ? 1 : Number(m[4]),
      section: m[5] ?? "",
      lines: [],
      newNoEofNewline: false,
      oldNoEofNewline: false,
    };
    if (hunk.oldCount + hunk.newCount > input.limits.maxHunkLines) {
      throw new InputError(source, lineAt(input, i), `hunk of ${hunk.oldCount + hunk.newCount} lines is larger than the limit of ${input.limits.maxHunkLines}`);
    }
    i = readHunkBody(input, i + 1, hunk);
    file.hunks.push(hunk);
    // A change line right after a complete hunk means the header undercounts:
    // skipping it would hide that line from review.
    const next = i < end ? lines[i]! : "";
    if (/^[-+ ]/.test(next) && next.trim() !== "" && !isAfterDiffLine(lines, i)) throw hunkMismatch(input, i, next);
  }
  return i;
}

function readHunkBody(input: DiffInput, at: number, hunk: Hunk): number {
  const { lines, end, source } = input;
  let oldLeft = hunk.oldCount;
  let newLeft = hunk.newCount;
  let oldNo = hunk.oldStart;
  let newNo = hunk.newStart;
  let i = at;
  let last: DiffLine | null = null;
  while (oldLeft > 0 || newLeft > 0) {
    if (i >= end) {
      throw new InputError(source, lineAt(input, i - 1), `hunk ends early: ${oldLeft} old and ${newLeft} new lines missing (header at line ${lineAt(input, at - 1)})`);
    }
    const raw = lines[i]!;
    const marker = raw[0];
    // Mailers strip the lone space of an empty context line; git apply accepts that too.
    const text = raw.slice(1);
    let line: DiffLine;
    if (marker === " " || raw === "") {
      if (oldLeft === 0 || newLeft === 0) throw hunkMismatch(input, i, raw);
      line = { kind: "context", text, oldLine: oldNo++, newLine: newNo++, inputLine: lineAt(input, i) };
      oldLeft--;
      newLeft--;
    } else if (marker === "-") {
      if (oldLeft === 0) throw hunkMismatch(input, i, raw);
      line = { kind: "removed", text, oldLine: oldNo++, inputLine: lineAt(input, i) };
      oldLeft--;
    } else if (marker === "+") {
      if (newLeft === 0) throw hunkMismatch(input, i, raw);
      line = { kind: "added", text, newLine: newNo++, inputLine: lineAt(input, i) };
      newLeft--;
    } else if (marker === "\\") {
      markNoNewline(hunk, last);
      i++;
      continue;
    } else if (marker === "\t" && oldLeft > 0 && newLeft > 0) {
      // Hand-edited patches in distribution queues lose the space before a
      // tab-indented context line; GNU patch applies them anyway. Read the
      // line as context and say so rather than reject the whole series.
      input.warnings?.push({ source, line: lineAt(input, i), message: "context line without its leading space; read as context" });
      line = { kind: "context", text: raw, oldLine: oldNo++, newLine: newNo++, inputLine: lineAt(input, i) };
      oldLeft--;
      newLeft--;
    } else {
      throw new InputError(source, lineAt(input, i), `unexpected line inside a hunk (${oldLeft} old and ${newLeft} new lines still due): ${quote(raw)}`);
    }
    hunk.lines.push(line);
    last = line;
    i++;
  }
  if (i < end && lines[i]!.startsWith("\\")) {
    markNoNewline(hunk, last);
    i++;
  }
  return i;
}

/**
 * Lines that may follow a complete hunk although they start like change
 * lines: the `-- ` signature (its space sometimes stripped), a MIME boundary
 * (`--boundary`, `--boundary--`) and the `---`/`+++` header of the next file
 * of a plain diff.
 */
function isAfterDiffLine(lines: string[], i: number): boolean {
  const line = lines[i]!;
  if (line === "-- " || /^--\S*$/.test(line)) return true;
  return line.startsWith("--- ") && (lines[i + 1] ?? "").startsWith("+++ ");
}

function markNoNewline(hunk: Hunk, last: DiffLine | null): void {
  if (!last) return;
  if (last.kind !== "added") hunk.oldNoEofNewline = true;
  if (last.kind !== "removed") hunk.newNoEofNewline = true;
}

function hunkMismatch(input: DiffInput, index: number, raw: string): InputError {
  return new InputError(input.source, lineAt(input, index), `hunk has more lines than its header says: ${quote(raw)}`);
}

/** Skips `literal N` / `delta N` blocks of base85 lines, each ended by a blank line. */
function skipBinaryPatch(lines: string[], at: number, end: number): number {
  let i = at;
  let blocks = 0;
  while (i < end && blocks < 2) {
    if (!/^(literal|delta) \d+$/.test(lines[i]!)) break;
    i++;
    while (i < end && lines[i] !== "") i++;
    i++;
    blocks++;
  }
  return i;
}

/** Path from a `---`/`+++` line: undefined when it says nothing, null for /dev/null. */
function headerPath(rest: string, stripAnyPrefix = false): string | null | undefined {
  const withoutDate = rest.includes("\t") ? rest.slice(0, rest.indexOf("\t")) : rest;
  const p = unquotePath(withoutDate.trimEnd());
  if (p === "/dev/null") return null;
  if (p.startsWith("a/") || p.startsWith("b/")) return p.slice(2);
  if (stripAnyPrefix && p.includes("/")) return p.slice(p.indexOf("/") + 1);
  return p || undefined;
}

/** `a/x b/y`: split where the second half starts with `b/` and both halves agree when possible. */
function splitGitHeaderPaths(rest: string): [string, string] | null {
  if (rest.startsWith('"')) {
    const m = rest.match(/^("(?:[^"\\]|\\.)*") ("(?:[^"\\]|\\.)*"|\S+)$/);
    if (!m) return null;
    return [stripPrefix(unquotePath(m[1]!)), stripPrefix(unquotePath(m[2]!))];
  }
  const candidates: [string, string][] = [];
  for (let k = rest.indexOf(" b/"); k !== -1; k = rest.indexOf(" b/", k + 1)) {
    candidates.push([stripPrefix(rest.slice(0, k)), stripPrefix(rest.slice(k + 1))]);
  }
  return candidates.find(([a, b]) => a === b) ?? candidates[0] ?? null;
}

function stripPrefix(p: string): string {
  return p.startsWith("a/") || p.startsWith("b/") ? p.slice(2) : p;
}

/** git quotes paths with unusual bytes as C strings with octal escapes. */
function unquotePath(p: string): string {
  if (!(p.startsWith('"') && p.endsWith('"') && p.length >= 2)) return p;
  const bytes: number[] = [];
  const body = p.slice(1, -1);
  for (let k = 0; k < body.length; k++) {
    const c = body[k]!;
    if (c !== "\\") {
      bytes.push(...Buffer.from(c, "utf8"));
      continue;
    }
    const n = body[++k] ?? "";
    if (/[0-7]/.test(n)) {
      const oct = body.slice(k, k + 3);
      bytes.push(parseInt(oct, 8));
      k += 2;
    } else {
      const esc: Record<string, number> = { n: 10, t: 9, '"': 34, "\\": 92, a: 7, b: 8, f: 12, r: 13, v: 11 };
      bytes.push(esc[n] ?? n.charCodeAt(0));
    }
  }
  return Buffer.from(bytes).toString("utf8");
}

function quote(s: string): string {
  return JSON.stringify(s.length > 80 ? `${s.slice(0, 77)}...` : s);
}
