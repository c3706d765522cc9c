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
    let before = "";
    for (const line of hunk.lines) {
      if (line.kind === skip) continue;
      const lexed = view.lexed(line);
      const code = lexed.code;
      // A directive stands alone: what came before it is not part of it.
      if (/^\s*#/.test(code) && !/^\s*#/.test(before)) before = "";
      if (line.kind === wanted && !lexed.commentOnly && code.trim() !== "") {
        out.push({ line, code, before, language: view.language });
      }
      before = endsStatement(code, before) ? "" : `${before} ${code.trimEnd().replace(/\\$/, "")}`.slice(-2000);
    }
  }
  return out;
}

function endsStatement(code: string, before: string): boolean {
  const t = code.trimEnd();
  if (t === "") return true;
  if (t.endsWith("\\")) return false;
  if (/^\s*#/.test(t) || /^\s*#/.test(before)) return true;
  return /[;{}]$/.test(t);
}
