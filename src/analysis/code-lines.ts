import type { Language, LexedLine } from "../patch/lex.js";
import type { FileView } from "../patch/source-view.js";
import type { DiffLine } from "../patch/types.js";
import type { CodeLine } from "./hv-tests.js";

export interface ChangedCodeLine extends CodeLine {
  line: DiffLine;
}

/** How much of a statement's earlier code a line carries as its context. */
const MAX_BEFORE = 2000;

/**
 * The added lines (side "new") or removed lines (side "old") of a file with
 * their code and the code of the statement they continue. A statement is
 * cut at `;`, `{`, `}`, a blank line, and a preprocessor line that does not
 * continue with a backslash; what came before in the hunk (context lines
 * too) is what makes `ALTERNATIVE(..., \n X86_FEATURE_XENPV)` a test.
 */
export function changedCodeLines(view: FileView, side: "new" | "old"): ChangedCodeLine[] {
  // Every rule asks for the same lines; compute them once per file and side.
  let cached = cache.get(view);
  if (!cached) cache.set(view, (cached = {}));
  return (cached[side] ??= computeChangedCodeLines(view, side));
}

const cache = new WeakMap<FileView, { new?: ChangedCodeLine[]; old?: ChangedCodeLine[] }>();

function computeChangedCodeLines(view: FileView, side: "new" | "old"): ChangedCodeLine[] {
  const wanted = side === "new" ? "added" : "removed";
  const out: ChangedCodeLine[] = [];
  for (let h = 0; h < view.file.hunks.length; h++) {
    const { lines, lexed } = view.sideOf(h, side);
    // The lines keep only their code: a line of a language with no comments
    // (most of a long range) is its text, and keeps no lexed object.
    const codes = lexed.map((l) => l.code);
    walkStatements(lexed, (k, start) => {
      const line = lines[k]!;
      if (line.kind === wanted) out.push(new StatementLine(codes, k, start, view.language, line));
    });
  }
  return out;
}

/**
 * A line of code and, read only when asked, the code of its statement
 * before it. Most lines are never asked (a rule looks at the statement only
 * around a hypervisor token), and holding that text for every line of a
 * long initializer cost its square: 100 MB over a 1,800-commit range.
 */
export class StatementLine<L> implements CodeLine {
  // A field, not a getter on `codes`: the rules read it on every line, and
  // in a short run a getter stays a call until the code is optimised.
  readonly code: string;
  constructor(
    /** The code of each line of the hunk's side (or file) the line is in. */
    private readonly codes: readonly string[],
    private readonly index: number,
    private readonly start: number,
    readonly language: Language,
    /** Where the line is: the diff line, or a line number in a whole file. */
    readonly line: L,
  ) {
    this.code = codes[index]!;
  }

  get before(): string {
    return statementBefore(this.codes, this.start, this.index);
  }
}

/**
 * The code of the statement's lines `start`..`index - 1`, each after a
 * space, a trailing backslash dropped: its last MAX_BEFORE characters.
 */
export function statementBefore(codes: readonly string[], start: number, index: number): string {
  const parts: string[] = [];
  let length = 0;
  for (let j = index - 1; j >= start && length < MAX_BEFORE; j--) {
    const piece = ` ${codes[j]!.trimEnd().replace(/\\$/, "")}`;
    parts.push(piece);
    length += piece.length;
  }
  const text = parts.reverse().join("");
  return text.length > MAX_BEFORE ? text.slice(-MAX_BEFORE) : text;
}

/**
 * Visits each line that has code, in order, with where its statement or
 * macro starts: the lines from `start` to it are the statement so far (read
 * them with statementBefore). A statement is cut at `;`, `{`, `}`, a blank
 * line, and a preprocessor line that does not continue with a backslash; a
 * directive stands alone.
 */
export function walkStatements(lexed: readonly LexedLine[], visit: (index: number, start: number) => void): void {
  let start = 0;
  // Whether the statement so far is a preprocessor directive (its first line starts with `#`).
  let directive = false;
  for (let k = 0; k < lexed.length; k++) {
    const { code, commentOnly } = lexed[k]!;
    const hash = /^\s*#/.test(code);
    if (hash && !directive) start = k;
    if (start === k) directive = hash;
    if (!commentOnly && code.trim() !== "") visit(k, start);
    if (endsStatement(code, directive)) {
      start = k + 1;
      directive = false;
    }
  }
}

function endsStatement(code: string, directive: boolean): boolean {
  const t = code.trimEnd();
  if (t === "") return true;
  if (t.endsWith("\\")) return false;
  if (directive || /^\s*#/.test(t)) return true;
  return /[;{}]$/.test(t);
}
