// Reads unified diffs and `git format-patch` mail the way GitHub needs them
// for a pull request: per file, which lines a review comment may point at
// (added and context lines on the new side, removed and context lines on the
// old side), the diff "position" of each line, and the files API's fields.
// Written apart from src/patch on purpose: the fake is the oracle the app is
// checked against, so it must not share the app's reader.

export interface DiffLine {
  kind: "+" | "-" | " " | "\\";
  text: string;
  oldLine: number | null;
  newLine: number | null;
  /** GitHub's diff position: 1 for the line below the file's first `@@`, counting on through later hunk headers. */
  position: number;
}

export interface DiffHunk {
  header: string;
  oldStart: number;
  oldCount: number;
  newStart: number;
  newCount: number;
  /** Position of the header line itself (0 for the first hunk of a file). */
  position: number;
  lines: DiffLine[];
}

export type FileStatus = "added" | "removed" | "modified" | "renamed" | "copied";

export interface FileDiff {
  oldPath: string | null;
  newPath: string | null;
  /** The path GitHub names the file by: the new path, or the old one for a deletion. */
  path: string;
  status: FileStatus;
  binary: boolean;
  hunks: DiffHunk[];
  additions: number;
  deletions: number;
}

const HUNK_RE = /^@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@/;

/** Undoes git's C-style quoting of a path ("a/x\tb" → a/x<TAB>b). */
function unquote(p: string): string {
  if (!p.startsWith('"') || !p.endsWith('"')) return p;
  const inner = p.slice(1, -1);
  const bytes: number[] = [];
  for (let i = 0; i < inner.length; i++) {
    const c = inner[i]!;
    if (c !== "\\") {
      bytes.push(...Buffer.from(c, "utf8"));
      continue;
    }
    const n = inner[i + 1] ?? "";
    if (/[0-7]/.test(n)) {
      bytes.push(parseInt(inner.slice(i + 1, i + 4), 8));
      i += 3;
      continue;
    }
    const map: Record<string, string> = { n: "\n", t: "\t", '"': '"', "\\": "\\", a: "\x07", b: "\b", f: "\f", r: "\r", v: "\v" };
    bytes.push(...Buffer.from(map[n] ?? n, "utf8"));
    i += 1;
  }
  return Buffer.from(bytes).toString("utf8");
}

function stripPrefix(p: string): string | null {
  const u = unquote(p.trim().replace(/\t.*$/, ""));
  if (u === "/dev/null") return null;
  return u.replace(/^[ab]\//, "");
}

function newFile(oldPath: string | null, newPath: string | null): FileDiff {
  return { oldPath, newPath, path: newPath ?? oldPath ?? "", status: "modified", binary: false, hunks: [], additions: 0, deletions: 0 };
}

function finishFile(f: FileDiff): FileDiff {
  f.path = f.newPath ?? f.oldPath ?? f.path;
  if (f.status === "modified") {
    if (f.oldPath === null) f.status = "added";
    else if (f.newPath === null) f.status = "removed";
    else if (f.oldPath !== f.newPath) f.status = "renamed";
  }
  return f;
}

/**
 * Reads hunks starting at `lines[i]` (an `@@` line) into `file`, counting
 * lines by the hunk headers so that text after the last hunk (a mail
 * signature `-- `, the next message) is never taken for diff lines.
 * Returns the index of the first line after the hunks.
 */
function readHunks(file: FileDiff, lines: readonly string[], i: number): number {
  let position = file.hunks.length === 0 ? 0 : lastPosition(file) + 1;
  while (i < lines.length) {
    const m = HUNK_RE.exec(lines[i]!);
    if (!m) break;
    const hunk: DiffHunk = {
      header: lines[i]!,
      oldStart: Number(m[1]),
      oldCount: m[2] === undefined ? 1 : Number(m[2]),
      newStart: Number(m[3]),
      newCount: m[4] === undefined ? 1 : Number(m[4]),
      position,
      lines: [],
    };
    file.hunks.push(hunk);
    i++;
    let oldLeft = hunk.oldCount;
    let newLeft = hunk.newCount;
    let oldNo = hunk.oldStart;
    let newNo = hunk.newStart;
    while (i < lines.length && (oldLeft > 0 || newLeft > 0 || lines[i]!.startsWith("\\"))) {
      const raw = lines[i]!;
      const tag = raw === "" ? " " : raw[0]!;
      if (tag === "\\") {
        hunk.lines.push({ kind: "\\", text: raw, oldLine: null, newLine: null, position: ++position });
      } else if (tag === "+" && newLeft > 0) {
        hunk.lines.push({ kind: "+", text: raw.slice(1), oldLine: null, newLine: newNo++, position: ++position });
        newLeft--;
        file.additions++;
      } else if (tag === "-" && oldLeft > 0) {
        hunk.lines.push({ kind: "-", text: raw.slice(1), oldLine: oldNo++, newLine: null, position: ++position });
        oldLeft--;
        file.deletions++;
      } else if (tag === " " && oldLeft > 0 && newLeft > 0) {
        hunk.lines.push({ kind: " ", text: raw.slice(1), oldLine: oldNo++, newLine: newNo++, position: ++position });
        oldLeft--;
        newLeft--;
      } else {
        break; // a short hunk: stop rather than eat what follows
      }
      i++;
    }
    position++;
  }
  return i;
}

function lastPosition(file: FileDiff): number {
  const h = file.hunks[file.hunks.length - 1];
  if (!h) return 0;
  const l = h.lines[h.lines.length - 1];
  return l ? l.position : h.position;
}

/**
 * Reads every file diff in `text`: a `git diff`, a plain `diff -u`, or the
 * concatenated messages of `git format-patch` (then a path can come more than
 * once, one entry per commit). Anything that is not diff is skipped.
 */
export function parseDiff(text: string): FileDiff[] {
  const lines = text.replace(/\r\n/g, "\n").split("\n");
  const out: FileDiff[] = [];
  let cur: FileDiff | null = null;
  let fromGitHeader = false;
  const close = () => {
    if (cur) out.push(finishFile(cur));
    cur = null;
  };
  let i = 0;
  while (i < lines.length) {
    const line = lines[i]!;
    if (line.startsWith("diff --git ")) {
      close();
      const m = /^diff --git ("(?:[^"\\]|\\.)*"|\S+) ("(?:[^"\\]|\\.)*"|\S+)$/.exec(line);
      cur = newFile(m ? stripPrefix(m[1]!) : null, m ? stripPrefix(m[2]!) : null);
      fromGitHeader = true;
      i++;
      continue;
    }
    if (line.startsWith("--- ") && (lines[i + 1] ?? "").startsWith("+++ ")) {
      const oldP = stripPrefix(line.slice(4));
      const newP = stripPrefix(lines[i + 1]!.slice(4));
      const c = cur as FileDiff | null;
      if (!c || !fromGitHeader || c.hunks.length > 0) {
        close();
        cur = newFile(oldP, newP);
      } else {
        c.oldPath = oldP;
        c.newPath = newP;
      }
      fromGitHeader = false;
      i += 2;
      continue;
    }
    const c = cur as FileDiff | null;
    if (c && HUNK_RE.test(line)) {
      i = readHunks(c, lines, i);
      continue;
    }
    if (c && c.hunks.length === 0) {
      if (line.startsWith("new file mode")) c.oldPath = null;
      else if (line.startsWith("deleted file mode")) c.newPath = null;
      else if (line.startsWith("rename from ")) {
        c.oldPath = unquote(line.slice(12));
        c.status = "renamed";
      } else if (line.startsWith("rename to ")) c.newPath = unquote(line.slice(10));
      else if (line.startsWith("copy from ")) {
        c.oldPath = unquote(line.slice(10));
        c.status = "copied";
      } else if (line.startsWith("copy to ")) c.newPath = unquote(line.slice(8));
      else if (line.startsWith("Binary files ") || line === "GIT binary patch") c.binary = true;
    }
    i++;
  }
  close();
  return out;
}

/** Reads a files-API `patch` (hunks only) for one file. */
export function parseFilePatch(filename: string, patch: string, status: FileStatus = "modified", previous?: string): FileDiff {
  const f = newFile(status === "added" ? null : previous ?? filename, status === "removed" ? null : filename);
  f.status = status;
  readHunks(f, patch.replace(/\r\n/g, "\n").split("\n"), 0);
  f.path = filename;
  return f;
}

/** The hunk text of a file as GitHub's files API gives it (from the first `@@`, no final newline). */
export function filePatchText(f: FileDiff): string | undefined {
  if (f.binary || f.hunks.length === 0) return undefined;
  const out: string[] = [];
  for (const h of f.hunks) {
    out.push(h.header);
    for (const l of h.lines) out.push(l.kind === "\\" ? l.text : `${l.kind}${l.text}`);
  }
  return out.join("\n");
}

/** Merges entries of the same path (one per commit of a series) into one, hunks appended in order. */
export function mergeByPath(files: readonly FileDiff[]): FileDiff[] {
  const byPath = new Map<string, FileDiff>();
  for (const f of files) {
    const prev = byPath.get(f.path);
    if (!prev) {
      byPath.set(f.path, { ...f, hunks: f.hunks.map((h) => ({ ...h, lines: [...h.lines] })) });
      continue;
    }
    let position = lastPosition(prev) + 1;
    for (const h of f.hunks) {
      const shift = position - h.position;
      prev.hunks.push({ ...h, position: h.position + shift, lines: h.lines.map((l) => ({ ...l, position: l.position + shift })) });
      position = lastPosition(prev) + 1;
    }
    prev.additions += f.additions;
    prev.deletions += f.deletions;
    prev.binary ||= f.binary;
    if (prev.status === "added" && f.status === "removed") prev.status = "removed";
  }
  return [...byPath.values()];
}

export interface CommentableLines {
  RIGHT: Set<number>;
  LEFT: Set<number>;
}

/** Per path, the lines a review comment can be placed on, by side. */
export function commentableLines(files: readonly FileDiff[]): Map<string, CommentableLines> {
  const out = new Map<string, CommentableLines>();
  for (const f of files) {
    let entry = out.get(f.path);
    if (!entry) {
      entry = { RIGHT: new Set(), LEFT: new Set() };
      out.set(f.path, entry);
    }
    for (const h of f.hunks) {
      for (const l of h.lines) {
        if (l.newLine !== null) entry.RIGHT.add(l.newLine);
        if (l.oldLine !== null) entry.LEFT.add(l.oldLine);
      }
    }
  }
  return out;
}

/** The line at a diff position, or undefined when the position is a hunk header or beyond the file's diff. */
export function lineAtPosition(f: FileDiff, position: number): DiffLine | undefined {
  for (const h of f.hunks) for (const l of h.lines) if (l.position === position) return l;
  return undefined;
}

/** GitHub's `diff_hunk` of a review comment: the hunk header and the hunk's lines up to the commented one. */
export function diffHunkFor(f: FileDiff, side: "LEFT" | "RIGHT", line: number): string | undefined {
  for (const h of f.hunks) {
    const idx = h.lines.findIndex((l) => (side === "RIGHT" ? l.newLine === line : l.oldLine === line && l.kind !== "+"));
    if (idx >= 0) {
      return [h.header, ...h.lines.slice(0, idx + 1).map((l) => (l.kind === "\\" ? l.text : `${l.kind}${l.text}`))].join("\n");
    }
  }
  return undefined;
}

export interface MailMessage {
  sha: string | null;
  authorName: string;
  authorEmail: string;
  date: string | null;
  subject: string;
  /** Commit message: subject, blank line, body (as `git log` shows it). */
  message: string;
  /** The diff part of the message. */
  diff: string;
}

const FROM_LINE = /^From ([0-9a-f]{7,64}) Mon Sep 17 00:00:00 2001$/;

/** Splits `git format-patch` output (one or several messages) into commits. Returns [] for a plain diff. */
export function splitMbox(text: string): MailMessage[] {
  const lines = text.replace(/\r\n/g, "\n").split("\n");
  const starts: number[] = [];
  lines.forEach((l, i) => {
    if (FROM_LINE.test(l)) starts.push(i);
  });
  if (starts.length === 0 && /^(From|Subject): /m.test(lines.slice(0, 20).join("\n")) && lines.some((l) => l.startsWith("diff --git "))) {
    starts.push(-1);
  }
  return starts.map((s, k) => readMessage(lines.slice(s + 1, starts[k + 1] ?? lines.length), s >= 0 ? FROM_LINE.exec(lines[s]!)![1]! : null));
}

function readMessage(lines: string[], sha: string | null): MailMessage {
  const headers = new Map<string, string>();
  let i = 0;
  let last = "";
  for (; i < lines.length; i++) {
    const l = lines[i]!;
    if (l === "") break;
    if (/^[ \t]/.test(l) && last) {
      headers.set(last, `${headers.get(last) ?? ""} ${l.trim()}`);
      continue;
    }
    const m = /^([A-Za-z-]+):\s?(.*)$/.exec(l);
    if (m) {
      last = m[1]!.toLowerCase();
      headers.set(last, m[2]!);
    }
  }
  const bodyLines: string[] = [];
  let j = i + 1;
  for (; j < lines.length; j++) {
    const l = lines[j]!;
    if (l === "---" || l.startsWith("diff --git ")) break;
    bodyLines.push(l);
  }
  const diffStart = lines.findIndex((l, k) => k >= j && l.startsWith("diff --git "));
  const from = headers.get("from") ?? "";
  const fm = /^\s*"?([^"<]*?)"?\s*<([^>]+)>\s*$/.exec(from);
  const subject = (headers.get("subject") ?? "").replace(/^(\s*\[[^\]]*\])+\s*/, "").trim();
  const body = bodyLines.join("\n").replace(/^\n+/, "").trimEnd();
  const rawDate = headers.get("date");
  const parsed = rawDate ? new Date(rawDate) : null;
  return {
    sha,
    authorName: fm ? fm[1]!.trim() : from.trim(),
    authorEmail: fm ? fm[2]!.trim() : "",
    date: parsed && !Number.isNaN(parsed.getTime()) ? parsed.toISOString().replace(/\.\d{3}Z$/, "Z") : null,
    subject,
    message: body ? `${subject}\n\n${body}` : subject,
    diff: diffStart >= 0 ? lines.slice(diffStart).join("\n") : "",
  };
}

/** The diff parts of a format-patch text, concatenated (the text itself when it is a plain diff). */
export function diffOfPatch(text: string): string {
  const msgs = splitMbox(text);
  if (msgs.length === 0) return text;
  return msgs
    .map((m) => m.diff.replace(/\n-- \n[^\n]*\n*$/, "\n"))
    .map((d) => (d.endsWith("\n") ? d : `${d}\n`))
    .join("");
}
