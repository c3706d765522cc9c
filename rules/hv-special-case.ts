import { changedCodeLines, type ChangedCodeLine } from "../src/analysis/code-lines.js";
import { normalizeCode, unpairedAdditions } from "../src/analysis/pairing.js";
import { hvTestDetector, preferSpecific, type HvTest } from "../src/analysis/hv-tests.js";
import { existingCodeGuards } from "../src/analysis/guards.js";
import { pathMapFor, type PathMap } from "../src/config/paths.js";
import type { PatchwardenConfig } from "../src/config/types.js";
import { makeFinding } from "../src/findings/make.js";
import type { Finding, RuleMeta } from "../src/findings/types.js";
import { viewOf } from "../src/patch/source-view.js";
import { displayPath, type FileChange, type Series } from "../src/patch/types.js";
import { pushTo } from "../src/util/multimap.js";
import type { Rule } from "./types.js";
import { suggestionFor } from "../src/config/suggestion.js";

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
    if (!paths.inSpecialCaseScope(path)) continue;
    const owners = paths.ownersOf(path);
    const view = viewOf(file, config.limits.maxParseBytes);
    if (owners.length > 0) {
      // A stub moved out of a header another hypervisor (or the paravirt
      // layer) owns into a shared one is a move; a Xen test moved out of
      // Xen's own code into shared code is new to shared code.
      const moved: Occurrence[] = [];
      collect(file, path, changedCodeLines(view, "old"), config, moved);
      removed.push(...moved.filter((o) => !owners.includes(hvOf(o))));
      continue;
    }
    const newLines = changedCodeLines(view, "new");
    if (isDetectionFile(path, newLines)) continue;
    collect(file, path, newLines, config, added);
    collect(file, path, changedCodeLines(view, "old"), config, removed);
  }
  const unmatched = unpairedAdditions(added, removed);
  const guards = existingCodeGuards(series, paths, config);
  const fresh = unmatched.filter((o) => !(o.key.endsWith(":build") && guards.guardsExistingCode(o.file, o.code.line.newLine!, o.tests.map((t) => t.token))));
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
    message: `Adds ${what} to ${where}${fn ? ` in ${fn}()` : ""}. ${why} ${suggestionFor(hv, o.path)}.`,
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
