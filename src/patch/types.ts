// The series model: what every rule reads. Built once per input, never mutated
// after `buildSeries` returns.

export type LineKind = "context" | "added" | "removed";

export interface DiffLine {
  kind: LineKind;
  /** Text without the leading diff marker and without a line terminator. */
  text: string;
  /** Line number in the old file (context and removed lines). */
  oldLine?: number;
  /** Line number in the new file (context and added lines). */
  newLine?: number;
  /** Where this line sits in the input, for error messages and debugging. */
  inputLine: number;
}

export interface Hunk {
  oldStart: number;
  oldCount: number;
  newStart: number;
  newCount: number;
  /** Text after the second `@@`: git's guess of the enclosing function. */
  section: string;
  lines: DiffLine[];
  /** True when the new side ends without a newline (`\ No newline at end of file`). */
  newNoEofNewline: boolean;
  oldNoEofNewline: boolean;
}

export type ChangeKind = "added" | "deleted" | "modified" | "renamed" | "copied" | "mode-only";

export interface FileChange {
  /** Path before the change; null when the file is new. */
  oldPath: string | null;
  /** Path after the change; null when the file is deleted. */
  newPath: string | null;
  kind: ChangeKind;
  binary: boolean;
  oldMode?: string;
  newMode?: string;
  similarity?: number;
  hunks: Hunk[];
  /** Index of the commit (in `Series.commits`) this change belongs to. */
  commitIndex: number;
}

export interface Trailer {
  key: string;
  value: string;
}

export interface Commit {
  /**
   * Upstream sha from the `From <sha>` line or git; null when unknown or all
   * zeros, and for a cover letter (git writes the tip commit's sha there).
   */
  sha: string | null;
  author: { name: string; email: string } | null;
  date: string | null;
  /** Subject with `[PATCH ...]` tags removed. */
  subject: string;
  /** The raw subject, tags included. */
  rawSubject: string;
  /** Message body between the subject and the trailers/`---`, trailers excluded. */
  body: string;
  trailers: Trailer[];
  /** Text after `---` and before the first diff (diffstat, version notes). */
  notes: string;
  files: FileChange[];
  /** The input (file name or `<stdin>` or `git A..B`) and the line the message starts on. */
  source: { name: string; line: number };
  /**
   * True for a cover letter: `[PATCH 0/N]`, or a message without a diff whose
   * subject is git's template (`*** SUBJECT HERE ***`) or says "cover letter".
   * An empty commit (a message without a diff) is not one.
   */
  isCoverLetter: boolean;
  /** For a mail: what a reply needs (absent for git input and bare diffs). */
  mail?: MailHeaders;
}

/** The headers of a patch mail that a reply on the list threads and addresses by. */
export interface MailHeaders {
  /** Without the angle brackets. */
  messageId: string | null;
  /** The References chain, oldest first, with In-Reply-To last when it is not already there. */
  references: string[];
  from: string | null;
  to: string[];
  cc: string[];
}

export interface Series {
  commits: Commit[];
  /** Every file change of every commit, in order. */
  files: FileChange[];
  /** Non-fatal observations about the input (binary files, undecodable bytes). */
  warnings: InputWarning[];
}

export interface InputWarning {
  source: string;
  line: number;
  message: string;
}

/** Path a rule should report a change under: the new path, or the old one for deletions. */
export function displayPath(file: FileChange): string {
  return file.newPath ?? file.oldPath ?? "";
}

export function addedLines(file: FileChange): DiffLine[] {
  const out: DiffLine[] = [];
  for (const hunk of file.hunks) for (const line of hunk.lines) if (line.kind === "added") out.push(line);
  return out;
}

export function removedLines(file: FileChange): DiffLine[] {
  const out: DiffLine[] = [];
  for (const hunk of file.hunks) for (const line of hunk.lines) if (line.kind === "removed") out.push(line);
  return out;
}
