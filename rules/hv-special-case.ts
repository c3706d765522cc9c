import { changedCodeLines, type ChangedCodeLine } from "../src/analysis/code-lines.js";
import { normalizeCode, unpairedAdditions } from "../src/analysis/pairing.js";
import { hvTestDetector, preferSpecific, type HvTest } from "../src/analysis/hv-tests.js";
import { pathMapFor, type PathMap } from "../src/config/paths.js";
import type { PatchwardenConfig } from "../src/config/types.js";
import { makeFinding } from "../src/findings/make.js";
import type { Finding, RuleMeta } from "../src/findings/types.js";
import { viewOf } from "../src/patch/source-view.js";
import { displayPath, type FileChange, type Series } from "../src/patch/types.js";
import { pushTo } from "../src/util/multimap.js";
import type { Rule } from "./types.js";

const meta: RuleMeta = {
  id: "hv-special-case",
  defaultSeverity: "error",
  description: "A hypervisor-specific conditional added to arch or core code, outside that hypervisor's own directories.",
  docPath: "rules/hv-special-case.md",
};

interface Occurrence {
  file: FileChange;
  path: string;
  code: ChangedCodeLine;
  tests: HvTest[];
  /** Balance key: which hypervisor, tested at build time or at run time. */
  key: string;
  normalized: string;
}

function check(series: Series, config: PatchwardenConfig): Finding[] {
  const paths = pathMapFor(config);
  const added: Occurrence[] = [];
  const removed: Occurrence[] = [];
  for (const file of series.files) {
    if (file.binary || file.hunks.length === 0) continue;
    const path = displayPath(file);
    if (!paths.inSpecialCaseScope(path) || paths.ownersOf(path).length > 0) continue;
    const view = viewOf(file, config.limits.maxParseBytes);
    const newLines = changedCodeLines(view, "new");
    if (isDetectionFile(path, newLines)) continue;
    collect(file, path, newLines, config, added);
    collect(file, path, changedCodeLines(view, "old"), config, removed);
  }
  const unmatched = unpairedAdditions(added, removed);
  const shared = removedSharedCode(series, paths);
  const addedByFile = new Map<FileChange, ChangedCodeLine[]>();
  const addedIn = (file: FileChange) => {
    let lines = addedByFile.get(file);
    if (!lines) addedByFile.set(file, (lines = changedCodeLines(viewOf(file, config.limits.maxParseBytes), "new")));
    return lines;
  };
  const fresh = unmatched.filter((o) => !guardsExistingCode(o, shared, addedIn(o.file), config));
  return mergeSameLine(dropNested(fresh, config)).map((o) => toFinding(o, series, config, paths));
}

/**
 * A hypervisor's own detection file (arch/x86/kernel/cpu/vmware.c,
 * mshyperv.c, and a new one such as bhyve.c for a hypervisor the config does
 * not know yet) is that hypervisor's territory: it is where its tests belong.
 * Told by where it is and what it defines, the platform's descriptor of a
 * hypervisor: a descriptor added anywhere else does not make a file exempt.
 */
function isDetectionFile(path: string, added: ChangedCodeLine[]): boolean {
  if (!/^arch\/[\w-]+\/kernel\/cpu\/[\w-]+\.c$/.test(path)) return false;
  return added.some((c) => /^(?:static\s+)?const\s+(?:__initconst\s+)?struct\s+hypervisor_x86\s+x86_hyper_\w+/.test(c.code));
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
function guardsExistingCode(o: Occurrence, removedShared: Set<string>, addedLines: ChangedCodeLine[], config: PatchwardenConfig): boolean {
  if (!o.key.endsWith(":build")) return false;
  const line = o.code.line.newLine!;
  const view = viewOf(o.file, config.limits.maxParseBytes);
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
  const paravirtGuard = o.tests.every((t) => /^CONFIG_PARAVIRT/.test(t.token));
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

/** `IS_ENABLED(CONFIG_XEN_EFI) && efi_enabled(EFI_PARAVIRT)` is one Xen special case, not two. */
function mergeSameLine(found: Occurrence[]): Occurrence[] {
  const byLine = new Map<string, Occurrence>();
  for (const o of found) {
    const k = `${o.path}\0${o.code.line.newLine}\0${hvOf(o)}`;
    const prev = byLine.get(k);
    if (prev) byLine.set(k, { ...prev, tests: [...prev.tests, ...o.tests], key: prev.key < o.key ? prev.key : o.key });
    else byLine.set(k, o);
  }
  return [...byLine.values()];
}

/**
 * `#ifdef CONFIG_XEN` followed by `if (xen_initial_domain())` inside it is
 * one special case, not two: keep the outermost added test of a hypervisor
 * and drop the ones its block governs.
 */
function dropNested(found: Occurrence[], config: PatchwardenConfig): Occurrence[] {
  const flagged = new Set(found.map((o) => `${o.path}\0${o.code.line.newLine}\0${hvOf(o)}`));
  return found.filter((o) => {
    const view = viewOf(o.file, config.limits.maxParseBytes);
    return !view
      .conditionsAround(o.code.line.newLine!)
      .some((c) => c.startLine !== o.code.line.newLine && flagged.has(`${o.path}\0${c.startLine}\0${hvOf(o)}`));
  });
}

function hvOf(o: Occurrence): string {
  return o.tests[0]!.hypervisor;
}

function collect(file: FileChange, path: string, lines: ChangedCodeLine[], config: PatchwardenConfig, into: Occurrence[]): void {
  const detector = hvTestDetector(config);
  for (const code of lines) {
    const tests = preferSpecific(detector.find(code));
    const byKey = new Map<string, HvTest[]>();
    for (const t of tests) {
      const key = `${t.hypervisor}:${t.kind === "config" ? "build" : "run"}`;
      pushTo(byKey, key, t);
    }
    for (const [key, group] of byKey) {
      into.push({ file, path, code, tests: group, key, normalized: normalizeCode(code.code) });
    }
  }
}

function toFinding(o: Occurrence, series: Series, config: PatchwardenConfig, paths: PathMap): Finding {
  const hv = paths.hypervisor(o.tests[0]!.hypervisor)!;
  const tokens = [...new Set(o.tests.map((t) => t.token))];
  const shown = tokens.map((t) => (o.tests.find((x) => x.token === t)!.kind === "call" ? `${t}()` : t)).join(", ");
  const where = describeArea(o.path, paths);
  const fn = viewOf(o.file, config.limits.maxParseBytes).functionAt(o.code.line.newLine!);
  const generic = hv.id === "generic";
  const what = generic ? `a hypervisor-guest special case (${shown})` : `a ${hv.name} special case (${shown})`;
  const why = generic
    ? `Asking "am I a guest?" hides which property of which hypervisor the code depends on, and every new hypervisor inherits the behaviour.`
    : `${hv.name} should keep its special cases in its own directories; every test like this in shared code is one more place the generic code must know about ${hv.name}.`;
  return makeFinding(meta, series, config, {
    commitIndex: o.file.commitIndex,
    file: o.path,
    line: o.code.line.newLine!,
    severity: generic ? "warning" : "error",
    message: `Adds ${what} to ${where}${fn ? ` in ${fn}()` : ""}. ${why} ${hv.suggestion}.`,
    anchor: `${o.key}\0${o.normalized}\0${fn ?? ""}`,
  });
}

function describeArea(path: string, paths: PathMap): string {
  if (path.startsWith("arch/")) return `architecture code (${path})`;
  if (paths.isCore(path)) return `core code (${path})`;
  if (path.startsWith("drivers/")) return `a driver subsystem's core file (${path})`;
  return path;
}

export const hvSpecialCase: Rule = { meta, check };
