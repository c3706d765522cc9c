import type { PathMap } from "../config/paths.js";
import type { PatchwardenConfig } from "../config/types.js";
import { viewOf } from "../patch/source-view.js";
import { displayPath, type FileChange, type Series } from "../patch/types.js";
import { changedCodeLines, type ChangedCodeLine } from "./code-lines.js";
import { normalizeCode } from "./pairing.js";

// One verdict for hv-special-case and changelog-subsystem: a build-time
// guard around code that was already in shared code is not a new special
// case, and not a change of the hypervisor's code either.

export interface ExistingCodeGuards {
  /** True when the `#if`-family line `line` of `file`, testing `tokens`, only guards code that was already there. */
  guardsExistingCode(file: FileChange, line: number, tokens: string[]): boolean;
}

// Both rules ask about the same series: build its removed-code set once.
const built = new WeakMap<Series, WeakMap<PatchwardenConfig, ExistingCodeGuards>>();

export function existingCodeGuards(series: Series, paths: PathMap, config: PatchwardenConfig): ExistingCodeGuards {
  let perConfig = built.get(series);
  if (!perConfig) built.set(series, (perConfig = new WeakMap()));
  let guards = perConfig.get(config);
  if (!guards) {
    // Built on the first question: most series add no guard to ask about,
    // and the set holds every removed line of shared code.
    let removedShared: Set<string> | null = null;
    // changedCodeLines keeps its answer per file: asking again is free.
    const addedIn = (file: FileChange) => changedCodeLines(viewOf(file, config.limits.maxParseBytes), "new");
    guards = { guardsExistingCode: (file, line, tokens) => guardsExistingCode(file, line, tokens, (removedShared ??= removedSharedCode(series, paths)), addedIn(file), config) };
    perConfig.set(config, guards);
  }
  return guards;
}

/** Removed lines of code no hypervisor owns, whitespace collapsed: code the series moves rather than writes. */
function removedSharedCode(series: Series, paths: PathMap): Set<string> {
  const out = new Set<string>();
  for (const file of series.files) {
    if (file.binary || paths.ownersOf(displayPath(file)).length > 0) continue;
    for (const h of file.hunks) for (const l of h.lines) if (l.kind === "removed") out.add(normalizeCode(l.text));
  }
  return out;
}

/**
 * An added `#ifdef CONFIG_X` that only puts a build-time guard around code
 * that was already there is not a new special case: the hypervisor's code
 * moved (vdso's pvclock page handling split into its own function, now under
 * `#ifdef CONFIG_PARAVIRT_CLOCK`), or the guard is the paravirt interface's
 * own (`#ifdef CONFIG_PARAVIRT_XXL` around a `pv_ops` assignment, which does
 * not compile without it). Code moved out of a hypervisor's own directory is
 * not "already there": it is the special case arriving in shared code.
 */
function guardsExistingCode(file: FileChange, line: number, tokens: string[], removedShared: Set<string>, addedLines: ChangedCodeLine[], config: PatchwardenConfig): boolean {
  const view = viewOf(file, config.limits.maxParseBytes);
  const guard = view.conditionsAround(line + 1).find((c) => c.startLine === line);
  if (!guard) return false;
  const body = bodyLines(addedLines, guard.bodyStart, guard.bodyEnd)
    .filter((c) => !/^\s*#/.test(c.code))
    .map((c) => normalizeCode(c.code))
    // `case X:`, `break;` and braces are the new frame around moved code, not code.
    .filter((c) => c !== "" && !/^(?:case\b[^:]*:|default:|break;|return;|[{}]+;?)$/.test(c));
  if (body.length === 0) return false;
  const moved = body.filter((c) => removedShared.has(c)).length;
  if (moved * 2 >= body.length) return true;
  const paravirtGuard = tokens.every((t) => /^CONFIG_PARAVIRT/.test(t));
  return paravirtGuard && body.some(assignsPvOp);
}

/**
 * The added lines from `start` to `end`, at most the first 64: nested
 * guards each govern all the lines inside them, so reading every body
 * whole would cost the square of the nesting; a moved block shows itself in
 * its first lines.
 */
const MAX_BODY_LINES = 64;
function bodyLines(added: ChangedCodeLine[], start: number, end: number): ChangedCodeLine[] {
  let lo = 0;
  let hi = added.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (added[mid]!.line.newLine! < start) lo = mid + 1;
    else hi = mid;
  }
  const out: ChangedCodeLine[] = [];
  for (let k = lo; k < added.length && out.length < MAX_BODY_LINES && added[k]!.line.newLine! <= end; k++) out.push(added[k]!);
  return out;
}

/** `pv_ops.cpu.load_gs_index = native_lkgs;` (by a scan, not a regex retried from every `pv_ops`). */
function assignsPvOp(code: string): boolean {
  const eq = code.indexOf("=");
  if (eq < 0 || code[eq + 1] === "=") return false;
  const target = code.slice(0, eq).trim().split(/\s+/).pop() ?? "";
  return target.startsWith("pv_ops.") && /^[\w.]+$/.test(target);
}
