import { fileScopeDeclaration, identifiersIn, type Declaration } from "../src/analysis/c-declarations.js";
import { changedCodeLines } from "../src/analysis/code-lines.js";
import { hvTestDetector, type HvTestDetector } from "../src/analysis/hv-tests.js";
import { pathMapFor, type PathMap } from "../src/config/paths.js";
import type { PatchwardenConfig } from "../src/config/types.js";
import { makeFinding } from "../src/findings/make.js";
import type { Finding, RuleMeta } from "../src/findings/types.js";
import { viewOf } from "../src/patch/source-view.js";
import { displayPath, type Commit, type FileChange, type Series } from "../src/patch/types.js";
import { pushTo } from "../src/util/multimap.js";
import { addedInterfaces, assignsMember, definedMacro, interfacesOfFile, updatesStaticCall } from "../src/analysis/interfaces.js";
import { namesAny, readChangelog } from "../src/analysis/changelog.js";
import { hypervisorNamePatterns } from "../src/analysis/hv-names.js";
import type { RuleContext, TreeLine } from "../src/tree/types.js";
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
  inTree?: false;
}

/** Where a symbol is used: a line the series adds, or a line of the base tree the series leaves alone. */
interface UseSite {
  path: string;
  line: number;
  code: string;
  owners: string[];
  decl: Declaration | null;
  /** Found in the base tree, not in the series. */
  inTree?: boolean;
}

interface SeriesIndex {
  /** Every added line of C code, with its file-scope declaration if it is one. */
  added: Site[];
  /** Names that removed lines declared at file scope without `static` (already global). */
  wasGlobal: Map<string, Declaration["kind"][]>;
  /** Identifier → added sites using it, for the names the checks ask about (declared or added by the series). */
  uses: Map<string, Site[]>;
  /** Names that removed lines declared at file scope at all, static or not (the symbol existed). */
  wasDeclared: Set<string>;
  /** Removed lines of code per file. */
  removedCode: Map<FileChange, number>;
  /** Macros that removed lines defined (moved, not new). */
  removedDefines: Set<string>;
}

function check(series: Series, config: PatchwardenConfig, context: RuleContext = {}): Finding[] {
  const paths = pathMapFor(config);
  const index = seriesIndex(series, config, paths);
  const tree = treeUses(series, paths, context);
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
      const setters = [...(index.uses.get(decl.name) ?? []), ...tree(decl.name)].filter((u) => assignsVariable(u.code, decl.name) && u.decl === null);
      const hv = soleHypervisor(setters, paths);
      if (hv) {
        report(site, decl.name, `${describe(decl)} ${decl.name} becomes a hook in ${site.path}, and the only code in the series that sets it is ${hv.name}'s (${listPaths(setters)}). ` + hookAdvice(hv.name));
      }
      continue;
    }
    if (decl.kind === "function" && decl.isWeak) {
      const overriders = [...(declaredAs.get(decl.name) ?? []), ...tree(decl.name, true)].filter((s) => s.decl?.kind === "function" && s.decl.isDefinition && !s.decl.isWeak && s !== site);
      const hv = soleHypervisor(overriders, paths);
      if (hv) report(site, decl.name, `${decl.name}() is added as a weak default in ${site.path} and only ${hv.name} (${listPaths(overriders)}) overrides it. ` + hookAdvice(hv.name));
      continue;
    }
    if (previously.includes(decl.kind) || (decl.kind === "export" && previously.includes("export"))) continue;
    if (decl.kind === "variable" && !decl.isDefinition) continue;
    if (decl.kind === "function" && splitOutHelpers.has(decl.name)) continue;
    const definedIn = new Set((declaredAs.get(decl.name) ?? []).filter((s) => s.decl!.isDefinition).map((s) => s.path));
    const inTree = tree(decl.name);
    // Users the tree already has: a symbol of that name defined elsewhere
    // (another file's static function) is not one of them.
    const users = [...(index.uses.get(decl.name) ?? []), ...inTree.filter((u) => u.decl?.name !== decl.name)].filter(
      (u) => u.path !== site.path && !definedIn.has(u.path) && !isHeaderDeclaration(u, decl.name),
    );
    if (treeIsIncomplete(context, decl.name)) continue;
    const hv = soleHypervisor(users, paths);
    if (!hv) continue;
    const what = decl.kind === "export" ? `exports ${decl.name}` : decl.kind === "function" ? `makes ${decl.name}() a global function` : `makes ${decl.name} a global symbol`;
    report(
      site,
      decl.name,
      `The series ${what} in ${site.path}, and its only users outside that file${inTree.length > 0 ? " in the tree after the series" : ""} are ${hv.name}'s own code (${listSites(users)}). ` +
        `A generic interface with one hypervisor as its only user is a special case in disguise (the pat_disable() pattern); ` +
        `keep the logic in ${hv.name}'s directory, or make the interface generic and say in the changelog who else needs it.`,
    );
  }

  reportReachIntoHypervisor(index, config, paths, report);
  reportAddedInterfaces(series, config, paths, index, tree, context, report);
  reportHypervisorNames(series, config, paths, index, report);
  reportChangelogReasons(series, config, paths, index, report);
  return findings;
}

/** Where a hypervisor is the host, not the guest: it reads the CPU's features to hand them on. */
const HOST_SIDE = /^(?:arch\/[\w-]+\/kvm|virt\/kvm)\//;

/** `pv_foo = bar;`: an assignment to the variable, not a comparison. */
function assignsVariable(code: string, name: string): boolean {
  let at = code.indexOf(name);
  while (at !== -1) {
    const before = at === 0 ? "" : code[at - 1]!;
    const after = code.slice(at + name.length);
    if (!/[\w.>]/.test(before) && /^\s*=(?!=)/.test(after)) return true;
    at = code.indexOf(name, at + 1);
  }
  return false;
}

/**
 * Lines of the base tree that name a symbol and that the series leaves as
 * they are (not in a file it deletes, not a line it removes or changes):
 * with the series' own added lines, the users after the series. Empty
 * without a tree. `declarations` keeps the lines that define the name.
 */
function treeUses(series: Series, paths: PathMap, context: RuleContext): (name: string, declarations?: boolean) => UseSite[] {
  const facts = context.tree;
  if (!facts) return () => [];
  // Per path a tree line names, on first asking: a key for every removed
  // line of a 1,781-commit range took 20 ms, for the few paths asked about.
  let byOldPath: Map<string, FileChange[]> | null = null;
  const removedAt = new Map<string, { deleted: boolean; lines: Set<number> }>();
  const goneAt = (path: string) => {
    let gone = removedAt.get(path);
    if (gone) return gone;
    if (!byOldPath) {
      byOldPath = new Map();
      for (const file of series.files) if (file.oldPath !== null) pushTo(byOldPath, file.oldPath, file);
    }
    gone = { deleted: false, lines: new Set() };
    for (const file of byOldPath.get(path) ?? []) {
      if (file.newPath === null) gone.deleted = true;
      for (const hunk of file.hunks) for (const l of hunk.lines) if (l.kind === "removed") gone.lines.add(l.oldLine!);
    }
    removedAt.set(path, gone);
    return gone;
  };
  const cache = new Map<string, UseSite[]>();
  return (name, declarations = false) => {
    let all = cache.get(name);
    if (!all) {
      all = (facts.symbols.get(name)?.lines ?? [])
        .filter((l) => {
          const gone = goneAt(l.path);
          return !gone.deleted && !gone.lines.has(l.line);
        })
        .map((l) => treeSite(l, paths))
        .filter((u) => u.code.includes(name));
      cache.set(name, all);
    }
    return declarations ? all : all.filter((u) => !(u.decl?.name === name && u.decl.kind !== "export") || u.decl.isStatic);
  };
}

function treeSite(l: TreeLine, paths: PathMap): UseSite {
  // A mention in a comment is not a use.
  const code = withoutComments(l.text);
  return { path: l.path, line: l.line, code, owners: paths.ownersOf(l.path), decl: fileScopeDeclaration(code), inTree: true };
}

/** A tree line without its comments (a line inside a block comment, `* ...`, is all comment). */
function withoutComments(text: string): string {
  if (/^\s*\*/.test(text)) return "";
  let out = "";
  let k = 0;
  while (k < text.length) {
    const block = text.indexOf("/*", k);
    const line = text.indexOf("//", k);
    if (line !== -1 && (block === -1 || line < block)) return out + text.slice(k, line);
    if (block === -1) return out + text.slice(k);
    out += `${text.slice(k, block)} `;
    const end = text.indexOf("*/", block + 2);
    if (end === -1) return out;
    k = end + 2;
  }
  return out;
}

/** The tree was asked about the name but could not list all its users: no verdict that needs all of them. */
function treeIsIncomplete(context: RuleContext, name: string): boolean {
  return context.tree?.symbols.get(name)?.truncated === true;
}

/**
 * A member added to an ops structure in shared code (`x86_platform`,
 * `x86_init`) that, besides at most the default in shared code, only one
 * hypervisor's code fills in; a static call only one hypervisor updates; a
 * CPU feature bit only one hypervisor's code uses. The paravirt ops
 * structures are pv-ops-growth's.
 */
function reportAddedInterfaces(
  series: Series,
  config: PatchwardenConfig,
  paths: PathMap,
  index: SeriesIndex,
  tree: (name: string, declarations?: boolean) => UseSite[],
  context: RuleContext,
  report: (site: Site, name: string, message: string) => void,
): void {
  const pvOps = new RegExp(`^(?:${config.paravirtOpsStructs.join("|")})$`);
  for (const added of addedInterfaces(series, config)) {
    if (added.kind === "macro" || treeIsIncomplete(context, added.name)) continue;
    const candidates = [...(index.uses.get(added.name) ?? []), ...tree(added.name)].filter((u) => !(u.path === added.path && u.line === added.line));
    const site: Site = { file: added.file, path: added.path, line: added.line, code: added.code, owners: [], decl: null };
    if (added.kind === "member") {
      if (!added.struct || pvOps.test(added.struct)) continue;
      const assigners = candidates.filter((u) => assignsMember(u.code, added.name));
      const shared = new Set(assigners.filter((u) => u.owners.length === 0).map((u) => u.path));
      const hv = soleHypervisor(assigners.filter((u) => u.owners.length > 0), paths);
      // One shared file may set the default (x86_init.c); a second is another user.
      if (!hv || shared.size > 1) continue;
      report(site, added.name, `struct ${added.struct} gains the hook ${added.name} in ${added.path}, and apart from ${shared.size > 0 ? "its default" : "nothing in shared code"} only ${hv.name}'s code sets it (${listSites(assigners.filter((u) => u.owners.length > 0))}). ` + hookAdvice(hv.name));
    } else if (added.kind === "static-call") {
      const updaters = candidates.filter((u) => updatesStaticCall(u.code, added.name));
      const hv = soleHypervisor(updaters, paths);
      if (!hv) continue;
      report(site, added.name, `The static call ${added.name} is added in ${added.path} and only ${hv.name}'s code updates it (${listSites(updaters)}). ` + hookAdvice(hv.name));
    } else {
      // Feature bits: the headers that list or mask them are not users.
      const users = candidates.filter((u) => !/(?:^|\/)(?:cpufeatures|disabled-features|required-features|cpufeaturemasks)\.h$/.test(u.path) && !/^\s*#\s*define\b/.test(u.code));
      // A hypervisor host passes the CPU's features on to its guests: KVM
      // setting X86_FEATURE_NO_SMM_CTL_MSR in kvm_set_cpu_caps() is a CPUID
      // bit of the hardware (accepted by tip), not a guest's special case.
      if (users.some((u) => HOST_SIDE.test(u.path))) continue;
      const hv = soleHypervisor(users, paths);
      if (!hv) continue;
      report(
        site,
        added.name,
        `The series adds the CPU feature bit ${added.name} in ${added.path}, and its only users${users.some((u) => u.inTree) ? " in the tree after the series" : ""} are ${hv.name}'s own code (${listSites(users)}). ` +
          `A feature bit in the shared list that only one hypervisor reads is a special case in disguise: keep the flag in ${hv.name}'s own code, or say in the changelog what else will test it.`,
      );
    }
  }
}

/**
 * A new definition in arch or core code named for one hypervisor
 * (`DECLARE_IDTENTRY_XEN`, `xen_*`, `VMW_*`, `hv_*` for Hyper-V) outside its
 * own directories: the name says whose special case it is, whatever uses it.
 */
function reportHypervisorNames(series: Series, config: PatchwardenConfig, paths: PathMap, index: SeriesIndex, report: (site: Site, name: string, message: string) => void): void {
  const patterns = config.hypervisors.filter((h) => h.id !== "generic").map((h) => ({ hv: h, test: hypervisorNamePatterns(h) })).filter((p) => p.test !== null);
  if (patterns.length === 0) return;
  for (const site of index.added) {
    if (site.owners.length > 0 || !paths.inSpecialCaseScope(site.path)) continue;
    const name = definedName(site);
    if (!name || index.wasDeclared.has(name) || index.removedDefines.has(name)) continue;
    const match = patterns.find((p) => p.test!(name));
    if (!match) continue;
    report(
      site,
      name,
      `${name} is defined in ${site.path}, outside ${match.hv.name}'s own code, and its name says it is ${match.hv.name}'s. ` +
        `A definition for one hypervisor in shared code is that hypervisor's special case: move it to ${match.hv.name}'s directories, or give it a generic name and say in the changelog who else needs it.`,
    );
  }
}

/** The name a line of shared code defines: a global declaration, or a macro. */
function definedName(site: Site): string | null {
  if (site.decl && !site.decl.isStatic && site.decl.kind !== "export") return site.decl.name;
  return definedMacro(site.code);
}

/**
 * A changelog that gives one hypervisor as the reason ("Xen PV needs ...",
 * "for Hyper-V isolation VMs") for a commit that adds an interface to arch
 * or core code (an export, a function made global, a hook, a static call, a
 * feature bit): the interface exists for that hypervisor, whatever the tree
 * says.
 */
function reportChangelogReasons(series: Series, config: PatchwardenConfig, paths: PathMap, index: SeriesIndex, report: (site: Site, name: string, message: string) => void): void {
  const interfaces = new Map<number, { site: Site; name: string; what: string }[]>();
  const note = (commitIndex: number, site: Site, name: string, what: string) => pushTo(interfaces, commitIndex, { site, name, what });
  for (const site of index.added) {
    if (site.owners.length > 0 || !paths.inSpecialCaseScope(site.path) || !site.decl || site.decl.isStatic) continue;
    const d = site.decl;
    if (index.wasGlobal.get(d.name)?.includes(d.kind)) continue;
    if (d.kind === "export") note(site.file.commitIndex, site, d.name, `exports ${d.name}`);
    else if (d.kind === "hook") note(site.file.commitIndex, site, d.name, `adds the hook ${d.name}`);
    else if (d.kind === "function" && d.isDefinition && index.wasDeclared.has(d.name)) note(site.file.commitIndex, site, d.name, `makes ${d.name}() global`);
  }
  for (const a of addedInterfaces(series, config)) {
    if (a.kind === "macro") continue;
    const what = a.kind === "member" ? `adds the hook ${a.struct}.${a.name}` : a.kind === "static-call" ? `adds the static call ${a.name}` : `adds the feature bit ${a.name}`;
    note(a.file.commitIndex, { file: a.file, path: a.path, line: a.line, code: a.code, owners: [], decl: null }, a.name, what);
  }
  for (const [commitIndex, list] of interfaces) {
    const commit = series.commits[commitIndex];
    if (!commit) continue;
    const reason = hypervisorReason(readChangelog(commit).prose, config);
    if (!reason) continue;
    const first = list[0]!;
    report(
      first.site,
      first.name,
      `The commit ${first.what} in ${first.site.path}, and its changelog gives ${reason.hv} as the reason: "${reason.sentence}". ` +
        `An interface in shared code that exists for one hypervisor is that hypervisor's special case: keep the logic in ${reason.hv}'s own code, or say in the changelog which other users need the interface.`,
    );
  }
}

/** Words that make a sentence naming a hypervisor its reason, not a mention. */
const NEED = /\b(?:needs?|needed|requires?|required|so that|in order to|wants?|has to|have to|must|for (?:the )?(?:use|use by|benefit))\b/i;

/** The first sentence of the changelog that names one hypervisor as what needs the change. */
function hypervisorReason(prose: string, config: PatchwardenConfig): { hv: string; sentence: string } | null {
  const sentences = prose.replace(/\s+/g, " ").split(/(?<=[.!?])\s+/);
  for (const sentence of sentences) {
    if (!NEED.test(sentence)) continue;
    const named = config.hypervisors.filter((h) => h.id !== "generic" && namesAny(sentence, h.aliases));
    if (named.length !== 1) continue;
    const quoted = sentence.length > 160 ? `${sentence.slice(0, 157)}...` : sentence;
    return { hv: named[0]!.name, sentence: quoted };
  }
  return null;
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

const indexes = new WeakMap<Series, { config: PatchwardenConfig; index: SeriesIndex }>();

/** indexSeries, once per series and config: `prepare` builds it while the tree is being read. */
function seriesIndex(series: Series, config: PatchwardenConfig, paths: PathMap): SeriesIndex {
  let cached = indexes.get(series);
  if (!cached || cached.config !== config) indexes.set(series, (cached = { config, index: indexSeries(series, config, paths) }));
  return cached.index;
}

function prepare(series: Series, config: PatchwardenConfig): void {
  seriesIndex(series, config, pathMapFor(config));
  addedInterfaces(series, config);
}

/** Both sides of every C file, what indexSeries reads of each, and the file's part of addedInterfaces (its parse). */
function warm(commit: Commit, config: PatchwardenConfig): void {
  for (const file of commit.files) {
    if (file.binary || !/\.(c|h)$/.test(displayPath(file))) continue;
    const view = viewOf(file, config.limits.maxParseBytes);
    changedCodeLines(view, "new");
    changedCodeLines(view, "old");
    interfacesOfFile(file, config);
  }
}

function indexSeries(series: Series, config: PatchwardenConfig, paths: PathMap): SeriesIndex {
  const added: Site[] = [];
  const wasGlobal = new Map<string, Declaration["kind"][]>();
  const uses = new Map<string, Site[]>();
  const wasDeclared = new Set<string>();
  const removedCode = new Map<FileChange, number>();
  const removedDefines = new Set<string>();
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
    });
    for (const c of changedCodeLines(view, "old")) {
      if (c.code.trim() !== "") removedCode.set(file, (removedCode.get(file) ?? 0) + 1);
      const decl = fileScopeDeclaration(c.code);
      if (decl) wasDeclared.add(decl.name);
      const macro = definedMacro(c.code);
      if (macro) removedDefines.add(macro);
      if (decl && !decl.isStatic) pushTo(wasGlobal, decl.name, decl.kind);
    }
  }
  // Users only of the names the checks ask about: what the series declares
  // and the interfaces it adds. A list for every identifier of every added
  // line held 13 MB over a 1,800-commit range, and none was asked for.
  const asked = new Set(addedInterfaces(series, config).map((i) => i.name));
  for (const site of added) if (site.decl) asked.add(site.decl.name);
  for (const site of added) {
    for (const id of new Set(identifiersIn(site.code))) {
      if (!asked.has(id)) continue;
      // A definition does not use what it defines; an `extern` in another file does.
      if (id === site.decl?.name && site.decl.isDefinition && site.decl.kind !== "export") continue;
      pushTo(uses, id, site);
    }
  }
  return { added, wasGlobal, uses, wasDeclared, removedCode, removedDefines };
}

/** `extern int f(u64 a)\n\t__weak __alias(__f);`: the attribute sits on the declaration's next line. */
function markWeakContinuation(site: Site, next: { code: string; line: { newLine?: number } } | undefined): void {
  if (!site.decl || site.decl.kind !== "function" || /[;{]\s*$/.test(site.code)) return;
  if (next && next.line.newLine === site.line + 1 && /\b__weak\b/.test(next.code)) {
    site.decl = { ...site.decl, isWeak: true, isDefinition: true };
  }
}

/** The one hypervisor owning every site, if there are sites and they agree. */
function soleHypervisor(sites: { owners: string[] }[], paths: PathMap) {
  if (sites.length === 0) return null;
  const first = sites[0]!.owners[0];
  if (!first || !sites.every((s) => s.owners.includes(first))) return null;
  return paths.hypervisor(first) ?? null;
}

function isHeaderDeclaration(site: UseSite, name: string): boolean {
  return site.path.endsWith(".h") && site.decl?.name === name;
}

/** `arch/x86/xen/enlighten_pv.c:1234`, at most three, then how many more. */
function listSites(sites: { path: string; line: number }[]): string {
  const unique = [...new Set(sites.map((s) => `${s.path}:${s.line}`))];
  return unique.length > 3 ? `${unique.slice(0, 3).join(", ")} and ${unique.length - 3} more` : unique.join(", ");
}

function listPaths(sites: { path: string }[]): string {
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

export const hvOnlyInterface: Rule = { meta, check, readsTree: true, prepare, warm };
