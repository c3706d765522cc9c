import { changedCodeLines } from "../src/analysis/code-lines.js";
import { namesAny, readChangelog, subjectPrefix } from "../src/analysis/changelog.js";
import { hvTestDetector } from "../src/analysis/hv-tests.js";
import { seriesTopic } from "../src/analysis/topic.js";
import { pathMapFor, type PathMap } from "../src/config/paths.js";
import type { HypervisorConfig, PatchwardenConfig } from "../src/config/types.js";
import { makeFinding } from "../src/findings/make.js";
import type { Finding, RuleMeta } from "../src/findings/types.js";
import { identifiersIn } from "../src/analysis/c-declarations.js";
import { existingCodeGuards, type ExistingCodeGuards } from "../src/analysis/guards.js";
import { normalizeCode, unpairedAdditions, type Pairable } from "../src/analysis/pairing.js";
import { viewOf } from "../src/patch/source-view.js";
import { displayPath, type Commit, type DiffLine, type FileChange, type Series } from "../src/patch/types.js";
import { pushTo } from "../src/util/multimap.js";
import type { RuleContext } from "../src/tree/types.js";
import type { Rule } from "./types.js";

const meta: RuleMeta = {
  id: "changelog-subsystem",
  defaultSeverity: "warning",
  description: "The changelog hides the subsystem that motivates the change: hypervisor code never named, or a subject prefix that does not match what is touched.",
  docPath: "rules/changelog-subsystem.md",
};

/** First components of subject prefixes that name architecture-independent subsystems. */
const CORE_PREFIXES = /^(mm|sched|fs|vfs|block|net|kernel|lib|ipc|init|locking|rcu|irq|genirq|timers?|printk|workqueue|cgroup|cpu|smp|panic|kexec|dma|swiotlb|memblock)$/i;

/** Prefixes that say "generic code": architectures, core subsystems, the paravirt layer. */
const GENERIC_PREFIXES = /^(x86|x86_64|i386|arm|arm64|powerpc|ppc|s390|riscv|mips|sparc|loongarch|pvops|paravirt)$/i;

function check(series: Series, config: PatchwardenConfig, context: RuleContext = {}): Finding[] {
  const paths = pathMapFor(config);
  const guards = existingCodeGuards(series, paths, config);
  const findings: Finding[] = [];
  series.commits.forEach((commit, index) => {
    if (commit.isCoverLetter || commit.files.length === 0) return;
    const report = (message: string, anchor: string) =>
      findings.push(makeFinding(meta, series, config, { commitIndex: index, file: null, line: null, message, anchor: `${commit.subject}\0${anchor}` }));
    const unnamed = unnamedHypervisors(commit, config, paths, guards);
    for (const { hv, where } of unnamed) {
      report(
        `This commit touches ${hv.name}-specific code (${where}) but its changelog never says ${hv.name}. A maintainer outside ${hv.name} reads "${commit.subject}" as a generic change; say that ${hv.name} is what needs it and how the problem shows there.`,
        `unnamed:${hv.id}`,
      );
    }
    const mismatch = prefixMismatch(commit, config, paths, context);
    if (mismatch) report(mismatch, "prefix");
    const outside = outsideTopicUnnamed(series, commit, config);
    if (outside) report(outside, "topic");
  });
  return findings;
}

/**
 * In a series about one subsystem (given with --topic, a branch or a label,
 * or a hypervisor's queue found from the commits), a commit that reaches
 * outside it and never names the topic reads like a generic change: "this
 * patch is in the Xen queue, but its changelog reads like a generic bug fix".
 */
function outsideTopicUnnamed(series: Series, commit: Commit, config: PatchwardenConfig): string | null {
  const topic = seriesTopic(series, config);
  if (!topic) return null;
  const hv = config.hypervisors.find((h) => h.id !== "generic" && (namesAny(topic.name, h.aliases) || topic.name.toLowerCase() === h.id));
  if (!topic.explicit && (!hv || series.commits.length < 2)) return null;
  const outside = commit.files.map(displayPath).filter((p) => !topic.covers(p) && !p.startsWith("Documentation/"));
  if (outside.length === 0) return null;
  const text = `${commit.subject}\n${commit.body}\n${commit.trailers.map((t) => t.value).join("\n")}`;
  const words = topic.name.toLowerCase().split(/[^a-z0-9]+/).filter((w) => w.length > 2 && !GENERIC_PREFIXES.test(w));
  if (words.some((w) => text.toLowerCase().includes(w)) || (hv && namesAny(text, hv.aliases))) return null;
  const name = hv?.name ?? topic.name;
  return `This commit is part of a ${name} series but changes code outside ${name} (${outside.slice(0, 3).join(", ")}${outside.length > 3 ? ", ..." : ""}) and its changelog never says ${name}: it reads like a generic change. Say that ${name} needs it, and why the change belongs outside ${name}'s own code.`;
}

/** Hypervisors whose own code the commit touches, or whose tests it adds to shared code, that its message never names. */
function unnamedHypervisors(commit: Commit, config: PatchwardenConfig, paths: PathMap, guards: ExistingCodeGuards): { hv: HypervisorConfig; where: string }[] {
  // A commit with no changelog at all is changelog-why's finding already.
  if (!readChangelog(commit).hasBody) return [];
  // Trailers count: "Tested-by: ... # Xen PV (dom0)" tells the reader too.
  const text = `${commit.subject}\n${commit.body}\n${commit.trailers.map((t) => t.value).join("\n")}`;
  const touched = new Map<string, string[]>();
  const note = (id: string, path: string) => pushTo(touched, id, path);
  const detector = hvTestDetector(config);
  // Only a commit that touches a hypervisor's own files needs it: most touch none.
  let elsewhere: OutsideChange | undefined;
  const added: (Pairable & { hv: string; where: string })[] = [];
  const removed: (Pairable & { hv: string; where: string })[] = [];
  for (const file of commit.files) {
    const path = displayPath(file);
    const owners = paths.ownersOf(path);
    if (owners.length > 0) {
      // "Touches Xen's code" means changes what it does: not an #include, a
      // comment, or the same rename or API switch the commit makes everywhere.
      if (!file.binary && isMechanicalEdit(file, (elsewhere ??= identifiersChangedOutside(commit, paths, config)), config)) continue;
      for (const id of owners) note(id, path);
      continue;
    }
    if (file.binary || !paths.inSpecialCaseScope(path)) continue;
    const view = viewOf(file, config.limits.maxParseBytes);
    for (const [side, into] of [["new", added], ["old", removed]] as const) {
      for (const line of changedCodeLines(view, side)) {
        for (const t of detector.find(line)) {
          // hv-special-case's verdict too: an #ifdef around code that was already there changes nothing of the hypervisor's.
          if (side === "new" && t.kind === "config" && guards.guardsExistingCode(file, line.line.newLine!, [t.token])) continue;
          into.push({ key: t.hypervisor, path, normalized: normalizeCode(line.code), hv: t.hypervisor, where: `${path}:${side === "new" ? line.line.newLine : line.line.oldLine}` });
        }
      }
    }
  }
  // A test moved from one place to another is not a new one to explain.
  for (const t of unpairedAdditions(added, removed)) note(t.hv, t.where);
  // "pvcalls-front: ..." for drivers/xen/pvcalls-front.c names the component
  // by its own name; its readers know whose it is.
  const prefixWords = (subjectPrefix(commit.subject) ?? "").toLowerCase().split(/[\s/:]+/)
    .filter((w) => w.length > 2 && !GENERIC_PREFIXES.test(w) && !CORE_PREFIXES.test(w));
  const namesComponent = (p: string) => p.toLowerCase().split("/").some((part) => prefixWords.includes(part.replace(/\.[^.]*$/, "")));
  // Only for code in the hypervisor's own directory: a test added to shared
  // code is not named by naming the shared file.
  for (const [id, where] of touched) if (where.some((w) => !w.includes(":") && namesComponent(w))) touched.delete(id);
  // A commit confined to one hypervisor's own code under that code's own
  // prefix ("mshv:", "RDMA/pvrdma:", "hv_sock:") is read by that code's
  // maintainers, who know whose it is; only a generic prefix ("x86:") hides
  // it. Over 5,000 linux-hyperv mails, 309 such commits were told to say
  // "Hyper-V".
  const prefixFirst = (subjectPrefix(commit.subject) ?? "").split(/[/:,\s]/)[0] ?? "";
  const genericPrefix = prefixFirst === "" || GENERIC_PREFIXES.test(prefixFirst) || CORE_PREFIXES.test(prefixFirst);
  if (!genericPrefix) {
    const confinedTo = commonOwner(commit, paths);
    if (confinedTo) touched.delete(confinedTo);
  }
  const vendors = [...touched.keys()].map((id) => paths.hypervisor(id)).filter((hv): hv is HypervisorConfig => hv !== undefined && hv.id !== "generic");
  // One change made to several hypervisors alike ("x86/tsc: Add dedicated
  // hypervisor hooks ..." through ACRN, Jailhouse, VMware and KVM) is about
  // hypervisors in general, and a changelog that says "hypervisor" said it.
  const generic = paths.hypervisor("generic");
  if (vendors.length >= 2 && generic && namesAny(text, generic.aliases)) return [];
  // A Hyper-V change that adapts a Xen file to a new API names its reason
  // already; the finding is for a message that names none of them.
  if (vendors.some((hv) => namesAny(text, hv.aliases))) return [];
  const out: { hv: HypervisorConfig; where: string }[] = [];
  for (const hv of vendors) {
    const where = touched.get(hv.id)!;
    const unique = [...new Set(where)];
    out.push({ hv, where: unique.length > 2 ? `${unique.slice(0, 2).join(", ")} and ${unique.length - 2} more` : unique.join(", ") });
  }
  return out;
}

/** The hypervisor that owns every file the commit touches, if one does (documentation aside). */
function commonOwner(commit: Commit, paths: PathMap): string | null {
  const files = commit.files.map(displayPath).filter((p) => !p.startsWith("Documentation/"));
  if (files.length === 0) return null;
  const first = paths.ownersOf(files[0]!).filter((id) => id !== "generic");
  return first.find((id) => files.every((p) => paths.ownersOf(p).includes(id))) ?? null;
}

/** What the commit changes in code no hypervisor owns: every identifier on a changed line, and those it brings in or takes out. */
interface OutsideChange {
  onChangedLines: Set<string>;
  broughtOrTaken: Set<string>;
}

function identifiersChangedOutside(commit: Commit, paths: PathMap, config: PatchwardenConfig): OutsideChange {
  const onChangedLines = new Set<string>();
  const delta = new Map<string, number>();
  for (const file of commit.files) {
    if (file.binary || paths.ownersOf(displayPath(file)).length > 0) continue;
    const view = viewOf(file, config.limits.maxParseBytes);
    for (const [side, sign] of [["new", 1], ["old", -1]] as const) {
      for (const line of changedCodeLines(view, side)) {
        for (const id of identifiersIn(line.code)) {
          onChangedLines.add(id);
          delta.set(id, (delta.get(id) ?? 0) + sign);
        }
      }
    }
  }
  return { onChangedLines, broughtOrTaken: new Set([...delta].filter(([, n]) => n !== 0).map(([id]) => id)) };
}

/**
 * The file's change follows from what the commit changes elsewhere: every
 * changed line is an #include, a comment, or uses only identifiers the commit
 * also changes in code no hypervisor owns; or each hunk replaces or removes
 * code around an identifier the commit brings in or takes out elsewhere (an
 * interface reworked or a flag removed, and all its users, this hypervisor
 * among them, moved along). A hunk that only adds code is new behaviour.
 */
function isMechanicalEdit(file: FileChange, elsewhere: OutsideChange, config: PatchwardenConfig): boolean {
  const view = viewOf(file, config.limits.maxParseBytes);
  const delta = new Map<string, number>();
  const hunkOf = new Map<DiffLine, number>();
  file.hunks.forEach((hunk, index) => { for (const line of hunk.lines) hunkOf.set(line, index); });
  const adapting = new Set<number>();
  const replacing = new Set<number>();
  const touchedHunks = new Set<number>();
  for (const [side, sign] of [["new", 1], ["old", -1]] as const) {
    for (const line of changedCodeLines(view, side)) {
      if (/^\s*#\s*include\b/.test(line.code)) continue;
      const hunk = hunkOf.get(line.line) ?? -1;
      touchedHunks.add(hunk);
      if (side === "old") replacing.add(hunk);
      for (const id of identifiersIn(line.code)) {
        delta.set(id, (delta.get(id) ?? 0) + sign);
        if (elsewhere.broughtOrTaken.has(id)) adapting.add(hunk);
      }
    }
  }
  // What the edit brings in or takes out (unchanged context on a changed line cancels out).
  const changedIds = [...delta].filter(([, n]) => n !== 0).map(([id]) => id);
  if (changedIds.every((id) => elsewhere.onChangedLines.has(id))) return true;
  return [...touchedHunks].every((hunk) => replacing.has(hunk) && adapting.has(hunk));
}

/** A subject prefix that names the wrong subsystem for what the commit touches, with the fix. */
function prefixMismatch(commit: Commit, config: PatchwardenConfig, paths: PathMap, context: RuleContext): string | null {
  const prefix = subjectPrefix(commit.subject);
  if (!prefix) return null;
  const changed = commit.files.map(displayPath).filter((p) => !/^Documentation\//.test(p));
  if (changed.length === 0) return null;
  const owners = changed.map((p) => paths.ownersOf(p).filter((id) => id !== "generic"));
  const sole = owners[0]?.[0];
  const first = prefix.split(/[/:]/)[0]!.trim();
  if (sole && owners.every((o) => o.includes(sole))) {
    const hv = paths.hypervisor(sole)!;
    // Only a generic-sounding prefix hides the hypervisor; a component's own
    // name ("pvcalls-front:", "hvm/dm_op.h:") is the convention inside its tree.
    if ((GENERIC_PREFIXES.test(first) || CORE_PREFIXES.test(first)) && !namesAny(prefix, hv.aliases)) {
      const used = usedPrefix(context, changed, (p) => namesAny(p, hv.aliases));
      return `The subject prefix "${prefix}:" hides that the change is confined to ${hv.name}'s code (${changed.slice(0, 2).join(", ")}${changed.length > 2 ? ", ..." : ""}). ${useThePrefix(used, changed[0]!)}, so the right people read it.`;
    }
    return null;
  }
  const arch = changed[0]!.split("/")[1] ?? "";
  // `locking/atomic: parisc:` and `locking/atomic/x86:` name the architecture
  // as a level of the prefix: the convention those maintainers asked for.
  const prefixWords = prefix.toLowerCase().split(/[\s/:,]+/);
  if (CORE_PREFIXES.test(first) && changed.every((p) => p.startsWith(`arch/${arch}/`)) && !prefixWords.includes(arch.toLowerCase())) {
    const used = usedPrefix(context, changed, (p) => p.toLowerCase().split(/[\s/:,]+/).includes(arch.toLowerCase()));
    return `The subject prefix "${prefix}:" names a core subsystem, but the change only touches arch/${arch}/. ${useThePrefix(used, changed[0]!, "the architecture's prefix")} so core maintainers are not asked to review arch code and arch maintainers are.`;
  }
  return null;
}

/**
 * The prefix the history of these files uses most, among those `fits`
 * accepts: a suggestion the tree itself uses, never one made up. Null
 * without a tree, or when no commit to them has such a prefix.
 */
function usedPrefix(context: RuleContext, files: string[], fits: (prefix: string) => boolean): { prefix: string; commits: number; path: string } | null {
  let best: { prefix: string; commits: number; path: string } | null = null;
  for (const path of files) {
    for (const use of context.tree?.prefixes.get(path) ?? []) {
      if (fits(use.prefix) && (!best || use.commits > best.commits)) best = { ...use, path };
    }
  }
  return best;
}

function useThePrefix(used: { prefix: string; commits: number; path: string } | null, path: string, what = "the prefix of that code"): string {
  if (used) return `Use ${what} as its history has it: "${used.prefix}:" (${used.commits} of the latest commits to ${used.path})`;
  return `Use ${what}, the one its history uses (git log --oneline -- ${path})`;
}

export const changelogSubsystem: Rule = { meta, check, readsTree: true };
