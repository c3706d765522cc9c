import { fileScopeDeclaration, identifiersIn, type Declaration } from "../src/analysis/c-declarations.js";
import { changedCodeLines } from "../src/analysis/code-lines.js";
import { hvTestDetector, type HvTestDetector } from "../src/analysis/hv-tests.js";
import { pathMapFor, type PathMap } from "../src/config/paths.js";
import type { PatchwardenConfig } from "../src/config/types.js";
import { makeFinding } from "../src/findings/make.js";
import type { Finding, RuleMeta } from "../src/findings/types.js";
import { viewOf } from "../src/patch/source-view.js";
import { displayPath, type FileChange, type Series } from "../src/patch/types.js";
import { pushTo } from "../src/util/multimap.js";
import type { Rule } from "./types.js";

const meta: RuleMeta = {
  id: "hv-only-interface",
  defaultSeverity: "warning",
  description: "A new global function, export, hook or weak symbol in arch or core code whose only users in the series are one hypervisor's own code.",
  docPath: "rules/hv-only-interface.md",
};

interface Site {
  file: FileChange;
  path: string;
  line: number;
  code: string;
  /** Hypervisors owning the path; empty for shared code. */
  owners: string[];
  decl: Declaration | null;
}

interface SeriesIndex {
  /** Every added line of C code, with its file-scope declaration if it is one. */
  added: Site[];
  /** Names that removed lines declared at file scope without `static` (already global). */
  wasGlobal: Map<string, Declaration["kind"][]>;
  /** Identifier → added sites using it. */
  uses: Map<string, Site[]>;
  /** Names that removed lines declared at file scope at all, static or not (the symbol existed). */
  wasDeclared: Set<string>;
  /** Removed lines of code per file. */
  removedCode: Map<FileChange, number>;
}

function check(series: Series, config: PatchwardenConfig): Finding[] {
  const paths = pathMapFor(config);
  const index = indexSeries(series, config, paths);
  const findings: Finding[] = [];
  const reported = new Set<string>();
  const report = (site: Site, name: string, message: string) => {
    if (reported.has(name)) return;
    reported.add(name);
    findings.push(
      makeFinding(meta, series, config, { commitIndex: site.file.commitIndex, file: site.path, line: site.line, message, anchor: `${name}\0${site.decl?.kind ?? "use"}` }),
    );
  };

  // Definitions first, so a finding points at the .c file that made the symbol global rather than at its prototype.
  const declarations = index.added.filter((s) => s.decl).sort((a, b) => Number(b.decl!.isDefinition) - Number(a.decl!.isDefinition));
  const declaredAs = new Map<string, Site[]>();
  for (const s of declarations) pushTo(declaredAs, s.decl!.name, s);
  // Common code factored out: a new helper that the file defining it calls,
  // and that replaces code the hypervisor's callers drop
  // (`smp_prepare_cpus_common()` out of native_smp_prepare_cpus(), with Xen
  // PV's copy of the same steps removed) serves both. A helper split out only
  // so the hypervisor can call it, its own code giving up nothing
  // (calculate_max_logical_packages() for Xen PV), is still a finding.
  const onePerName = new Map<string, Site>();
  for (const s of declarations) if (s.decl!.kind === "function" && s.decl!.isDefinition && !onePerName.has(s.decl!.name)) onePerName.set(s.decl!.name, s);
  const splitOutHelpers = new Set(
    [...onePerName.values()]
      .filter((s) => !index.wasDeclared.has(s.decl!.name))
      .filter((s) => {
        const callers = (index.uses.get(s.decl!.name) ?? []).filter((u) => u.decl === null);
        const hvCallers = new Set(callers.filter((u) => u.owners.length > 0).map((u) => u.file));
        return callers.some((u) => u.path === s.path) && hvCallers.size > 0 && [...hvCallers].every((f) => (index.removedCode.get(f) ?? 0) >= 2);
      })
      .map((s) => s.decl!.name),
  );
  // The verdict on a name depends on its kind and file, not on which of its
  // declarations is read: one look each (a name declared ten thousand times
  // cost ten thousand scans of its users).
  const examined = new Set<string>();
  for (const site of declarations) {
    const decl = site.decl;
    const key = `${decl!.name}\0${decl!.kind}\0${site.path}`;
    if (examined.has(key)) continue;
    examined.add(key);
    if (!decl || site.owners.length > 0 || !paths.inSpecialCaseScope(site.path) || decl.isStatic) continue;
    const previously = index.wasGlobal.get(decl.name) ?? [];
    if (decl.kind === "hook") {
      if (previously.includes("hook")) continue;
      const setters = (index.uses.get(decl.name) ?? []).filter((u) => new RegExp(`\\b${decl.name}\\s*=(?!=)`).test(u.code) && u.decl === null);
      const hv = soleHypervisor(setters, paths);
      if (hv) {
        report(site, decl.name, `${describe(decl)} ${decl.name} becomes a hook in ${site.path}, and the only code in the series that sets it is ${hv.name}'s (${listPaths(setters)}). ` + hookAdvice(hv.name));
      }
      continue;
    }
    if (decl.kind === "function" && decl.isWeak) {
      const overriders = (declaredAs.get(decl.name) ?? []).filter((s) => s.decl!.kind === "function" && s.decl!.isDefinition && !s.decl!.isWeak && s !== site);
      const hv = soleHypervisor(overriders, paths);
      if (hv) report(site, decl.name, `${decl.name}() is added as a weak default in ${site.path} and only ${hv.name} (${listPaths(overriders)}) overrides it. ` + hookAdvice(hv.name));
      continue;
    }
    if (previously.includes(decl.kind) || (decl.kind === "export" && previously.includes("export"))) continue;
    if (decl.kind === "variable" && !decl.isDefinition) continue;
    if (decl.kind === "function" && splitOutHelpers.has(decl.name)) continue;
    const definedIn = new Set((declaredAs.get(decl.name) ?? []).filter((s) => s.decl!.isDefinition).map((s) => s.path));
    const users = (index.uses.get(decl.name) ?? []).filter((u) => u.path !== site.path && !definedIn.has(u.path) && !isHeaderDeclaration(u, decl.name));
    const hv = soleHypervisor(users, paths);
    if (!hv) continue;
    const what = decl.kind === "export" ? `exports ${decl.name}` : decl.kind === "function" ? `makes ${decl.name}() a global function` : `makes ${decl.name} a global symbol`;
    report(
      site,
      decl.name,
      `The series ${what} in ${site.path}, and its only users outside that file are ${hv.name}'s own code (${listPaths(users)}). ` +
        `A generic interface with one hypervisor as its only user is a special case in disguise (the pat_disable() pattern); ` +
        `keep the logic in ${hv.name}'s directory, or make the interface generic and say in the changelog who else needs it.`,
    );
  }

  reportReachIntoHypervisor(index, config, paths, report);
  return findings;
}

/**
 * Shared code that names a symbol the series defines in a hypervisor's own
 * directory (an `extern` of a Xen variable in kernel/, a direct call to a
 * new Xen function from arch code) depends on that hypervisor directly.
 */
function reportReachIntoHypervisor(index: SeriesIndex, config: PatchwardenConfig, paths: PathMap, report: (site: Site, name: string, message: string) => void): void {
  const detector = hvTestDetector(config);
  const ownDefined = new Map<string, Site>();
  for (const s of index.added) {
    if (s.owners.length === 0 || !s.decl || s.decl.isStatic || !s.decl.isDefinition) continue;
    if (s.decl.kind === "function" || s.decl.kind === "variable") ownDefined.set(s.decl.name, s);
  }
  for (const [name, def] of ownDefined) {
    const foreign = (index.uses.get(name) ?? []).filter(
      (u) => u.owners.length === 0 && paths.inSpecialCaseScope(u.path) && !underHypervisorTest(u, detector, config),
    );
    if (foreign.length === 0) continue;
    const hv = paths.hypervisor(def.owners[0]!)!;
    const first = foreign[0]!;
    report(
      first,
      name,
      `${first.path} uses ${name}, which the series adds in ${hv.name}'s own code (${def.path}). Shared code that reaches into one hypervisor's ` +
        `internals is a ${hv.name} special case: let ${hv.name}'s code register a callback or fill in an ops structure instead.`,
    );
  }
}

/**
 * A call already guarded by `if (xen_initial_domain())` is part of the
 * special case hv-special-case reports; one comment per special case.
 */
function underHypervisorTest(site: Site, detector: HvTestDetector, config: PatchwardenConfig): boolean {
  const view = viewOf(site.file, config.limits.maxParseBytes);
  return [...view.conditionsAround(site.line), ...view.conditionsContaining(site.line)].some((c) => detector.mentions(c.text));
}

function indexSeries(series: Series, config: PatchwardenConfig, paths: PathMap): SeriesIndex {
  const added: Site[] = [];
  const wasGlobal = new Map<string, Declaration["kind"][]>();
  const uses = new Map<string, Site[]>();
  const wasDeclared = new Set<string>();
  const removedCode = new Map<FileChange, number>();
  for (const file of series.files) {
    const path = displayPath(file);
    if (file.binary || !/\.(c|h)$/.test(path)) continue;
    const owners = paths.ownersOf(path);
    const view = viewOf(file, config.limits.maxParseBytes);
    const lines = changedCodeLines(view, "new");
    lines.forEach((c, k) => {
      const site: Site = { file, path, line: c.line.newLine!, code: c.code, owners, decl: fileScopeDeclaration(c.code) };
      markWeakContinuation(site, lines[k + 1]);
      added.push(site);
      for (const id of new Set(identifiersIn(c.code))) {
        // A definition does not use what it defines; an `extern` in another file does.
        if (id === site.decl?.name && site.decl.isDefinition && site.decl.kind !== "export") continue;
        const list = uses.get(id) ?? [];
        list.push(site);
        uses.set(id, list);
      }
    });
    for (const c of changedCodeLines(view, "old")) {
      if (c.code.trim() !== "") removedCode.set(file, (removedCode.get(file) ?? 0) + 1);
      const decl = fileScopeDeclaration(c.code);
      if (decl) wasDeclared.add(decl.name);
      if (decl && !decl.isStatic) pushTo(wasGlobal, decl.name, decl.kind);
    }
  }
  return { added, wasGlobal, uses, wasDeclared, removedCode };
}

/** `extern int f(u64 a)\n\t__weak __alias(__f);`: the attribute sits on the declaration's next line. */
function markWeakContinuation(site: Site, next: { code: string; line: { newLine?: number } } | undefined): void {
  if (!site.decl || site.decl.kind !== "function" || /[;{]\s*$/.test(site.code)) return;
  if (next && next.line.newLine === site.line + 1 && /\b__weak\b/.test(next.code)) {
    site.decl = { ...site.decl, isWeak: true, isDefinition: true };
  }
}

/** The one hypervisor owning every site, if there are sites and they agree. */
function soleHypervisor(sites: Site[], paths: PathMap) {
  if (sites.length === 0) return null;
  const first = sites[0]!.owners[0];
  if (!first || !sites.every((s) => s.owners.includes(first))) return null;
  return paths.hypervisor(first) ?? null;
}

function isHeaderDeclaration(site: Site, name: string): boolean {
  return site.path.endsWith(".h") && site.decl?.name === name;
}

function listPaths(sites: Site[]): string {
  const unique = [...new Set(sites.map((s) => s.path))];
  return unique.length > 3 ? `${unique.slice(0, 3).join(", ")} and ${unique.length - 3} more` : unique.join(", ");
}

function describe(decl: Declaration): string {
  return decl.isExtern ? "The function pointer" : "Function pointer";
}

function hookAdvice(hv: string): string {
  return (
    `A hook that exists for one hypervisor is a ${hv} special case with an extra indirection. If generic code needs to vary here, ` +
    `name the property that varies and say in the changelog which other platforms need it; otherwise keep the ${hv} behaviour in ${hv}'s own code.`
  );
}

export const hvOnlyInterface: Rule = { meta, check };
