import type { LexedLine } from "../patch/lex.js";
import type { FileView } from "../patch/source-view.js";
import type { DiffLine } from "../patch/types.js";
import type { CodeLine } from "./hv-tests.js";

export interface ChangedCodeLine extends CodeLine {
  line: DiffLine;
}

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
  const skip = side === "new" ? "removed" : "added";
  const out: ChangedCodeLine[] = [];
  for (const hunk of view.file.hunks) {
    const lines = hunk.lines.filter((l) => l.kind !== skip);
    const lexed = lines.map((l) => view.lexed(l));
    walkStatements(lexed, (k, before) => {
      const line = lines[k]!;
      if (line.kind === wanted) out.push({ line, code: lexed[k]!.code, before, language: view.language });
    });
  }
  return out;
}

/**
 * Visits each line that has code, in order, with its statement context: the
 * code of the lines before it in the same statement or macro. A statement is
 * cut at `;`, `{`, `}`, a blank line, and a preprocessor line that does not
 * continue with a backslash; a directive stands alone.
 */
export function walkStatements(lexed: LexedLine[], visit: (index: number, before: string) => void): void {
  let before = "";
  lexed.forEach(({ code, commentOnly }, k) => {
    if (/^\s*#/.test(code) && !/^\s*#/.test(before)) before = "";
    if (!commentOnly && code.trim() !== "") visit(k, before);
    before = endsStatement(code, before) ? "" : `${before} ${code.trimEnd().replace(/\\$/, "")}`.slice(-2000);
  });
}

function endsStatement(code: string, before: string): boolean {
  const t = code.trimEnd();
  if (t === "") return true;
  if (t.endsWith("\\")) return false;
  if (/^\s*#/.test(t) || /^\s*#/.test(before)) return true;
  return /[;{}]$/.test(t);
}
