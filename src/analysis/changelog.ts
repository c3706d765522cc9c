import { aliasRegex } from "../config/config-regexes.js";
import type { Commit } from "../patch/types.js";

// Reading a changelog the way a maintainer does: does it say why? These are
// word-level signals, deliberately conservative: a message that names a
// cause, a broken behaviour, a requirement or the commit that broke things
// says why, however short it is.

/** Words that state a cause, a broken behaviour, a constraint or a consequence. */
const REASON =
  /\b(because|since|due to|so that|otherwise|as a result|leads? to|led to|results? in|resulted in|caused by|causing|triggers?|triggered|when|whenever|unless|while|cannot|can't|can not|could not|couldn't|does not|doesn't|do not|don't|did not|didn't|is not|isn't|are not|aren't|was not|wasn't|will not|won't|never|no longer|not always|unable|fail(s|ed|ure|ures|ing)?|broken|breaks|wrong(ly)?|incorrect(ly)?|bogus|misleading|outdated|stale|inconsistent|instead of|unlike|must|requires?|required|needs?|necessary|problem|issues?|bugs?|errat(um|a)|races?|racy|leaks?|corrupt(s|ed|ion)?|overflows?|underflows?|segfaults?|segmentation faults?|null pointers?|NULL (?:pointer )?dereferences?|use-after-free|double free|out[- ]of[- ]bounds|uninitiali[sz]ed|undefined behaviou?r|missing|lacks?|there is no|there's no|currently|should|prevents?|prevented|avoids?|avoiding|so far|would|hangs?|deadlocks?|crash(es|ed)?|panics?|oops(es)?|splats?|warns|warnings?|slow(er|s)?|expensive|overhead|performance|regress(ion|ed|es)?|security|vulnerab\w*|exploit\w*|CVE-\d+|XSA-?\d+|efficien\w*|faster|smaller|allowing|in case|however|(?:can|could|may|might|will|would) cause|unused|unnecessary|redundant|duplicated?|dead code|not used|no users|only used|not needed|no good reason|is safe|before this patch|previously|at the moment|right now|helps?|easier|simpler|readab\w*|clearer|in preparation|prepar\w+|future|later patch|follow-?up|upcoming|subsequent|needed|too (?:high|low|large|small|big|many|much|slow|long|short|early|late)|allows?|freez(?:e|es|ing)|stuck|lock ?ups?|missed|forgot(?:ten)?|overlooked|found in|used by|used for|driver for|important|soon|hard to|difficult|thus|therefore|hence|truncat\w+|coccicheck|cocci|sparse|smatch|checkpatch|compiler|gcc|clang|W=1|build (?:error|failure)|syzbot|test robot|reported|now that|so (?:that )?(?:they|it|we|the|this|these|those|all|each|one|callers?|users?)|in order to|to (?:make sure|simplify|reduce|avoid|allow|ensure|denote|prevent|keep|enable|match|share|improve|get rid|save|speed up|make it|make them|make \S+ work)|duplication|comprehensible|easy|for consistency|for (?:better|easier|simpler|later|future|wider) \w+|reus(?:e|able|ed)|as that's|as it is|as they are)\b/gi;

/**
 * A subject whose verb is the goal ("sched: Simplify ttwu()", "perf:
 * Optimize perf_tp_event()") says why. In a body the same words often
 * qualify one detail ("... to optimize in non-virtualization
 * environment") while the change itself goes unexplained, so they count
 * only in the subject.
 */
const SUBJECT_REASON = /\b(simplif(?:y|ies|ied|ication)|optimi[sz](?:e|es|ed|ation)|improve[sd]?|speed ?up|consolidat\w+|deduplicat\w+|shrink)\b/gi;

/** Kernel idioms that contain a reason word without giving a reason. */
const IDIOMS = /\bwhile (?:at it|we're at it|I'm at it|here)\b/gi;

/** Words of a bug report that are symptoms, not causes. */
const SYMPTOM = /\b(fix(es|ed|ing)?|crash(es|ed)?|warnings?|oops(es)?|hangs?|regression|boot failure|panics?|splats?|BUG)\b/gi;

/**
 * Phrases that stand in for a reason without giving one. Only as the name of
 * the change ("minor fixes", "various cleanups"): "update the comments",
 * "clean up the include maze" and "the various flags" describe or qualify,
 * and read as vague they flagged one accepted commit in fifty.
 */
const VAGUE = /\b(fix(es|ed)? up (?:things|stuff|the code|some)|minor (?:fixes|changes|cleanups?|updates|tweaks)|misc(?:ellaneous)? (?:fixes|changes|cleanups?|updates)|various (?:fixes|changes|cleanups?|updates|improvements|tweaks)|bug ?fixes|small (?:changes|fixes|tweaks)|some (?:cleanups?|fixes|changes|tweaks|improvements)|general (?:cleanups?|improvements))\b/gi;

/**
 * Verbs a changelog uses to say what the patch does. A body whose every
 * sentence starts with one (or with "This patch/commit") only describes the
 * change; one that also states a fact ("Nothing uses the macro maze
 * anymore.", "There is some ambiguity about ...") gives the maintainer
 * something to weigh, and is not second-guessed by word lists.
 */
const CHANGE_VERBS = new Set(
  ("add adds added adding remove removes removed delete deletes drop drops move moves moved use uses convert converts switch switches make makes define defines do " +
    "call calls provide provides introduce introduces implement implements rename renames replace replaces change changes update updates set sets enable enables " +
    "disable disables clean split splits export exports extend extends allow allows let lets mark marks put puts pass passes return returns check checks print " +
    "prints show shows expose exposes register registers unify unifies simplify simplifies rework reworks refactor refactors restructure reorder rearrange " +
    "open-code inline wrap wraps handle handles support supports initialize initialise init also then and now fold merge combine consolidate factor pull get " +
    "take keep guard protect ensure reduce limit increase decrease bump teach sync annotate document fix fixes correct apply adjust modify create append").split(" "),
);

/** `[ Impact: ... ]`, the -tip tag of 2009: names an effect, not a cause. */
// `[` is excluded inside so an unclosed tag ends its scan at the next one (linear).
const IMPACT_TAG = /\[\s*Impact:[^\][]*\]/gi;

/** `[ bp: Fixed typo in the subject ]`: a maintainer's note on applying, not the author's changelog (may span lines). */
const MAINTAINER_NOTE = /\[\s*[A-Za-z][\w.-]*:\s[^\][]*\]/g;

export interface ChangelogReading {
  /** The body without trailers, Impact tags, quoted logs and blank edges. */
  prose: string;
  hasBody: boolean;
  reasons: string[];
  symptoms: string[];
  vague: string[];
  impactTags: string[];
  /** Every non-blank prose line is a bullet (`- x`, `* x`, `1. x`). */
  bulletOnly: boolean;
  /** Only "This reverts commit <sha>." */
  revertOnly: boolean;
  /** A Fixes: trailer or a `commit <sha>` reference in the body. */
  namesCulprit: boolean;
  /** Every sentence of the prose says what the patch does (`Add ...`, `This patch moves ...`). */
  describesOnly: boolean;
  /** Quoted evidence: an indented log, splat or code block, or a quoted message. */
  hasEvidence: boolean;
}

const readings = new WeakMap<Commit, ChangelogReading>();

/** How the changelog reads; several rules ask about the same commit, so it is read once. */
export function readChangelog(commit: Commit): ChangelogReading {
  let r = readings.get(commit);
  if (!r) readings.set(commit, (r = read(commit)));
  return r;
}

function read(commit: Commit): ChangelogReading {
  const impactTags = commit.body.match(IMPACT_TAG) ?? [];
  const lines = commit.body
    .replace(IMPACT_TAG, "")
    .replace(MAINTAINER_NOTE, "")
    .split("\n")
    // Indented lines are quoted logs, code or splats: evidence, not prose.
    .filter((l) => !/^(\s{2,}|\t)/.test(l));
  const prose = lines.join("\n").replace(IDIOMS, "").trim();
  const nonBlank = lines.filter((l) => l.trim() !== "");
  // ", as X" and ", so X" are causal ("can be dropped, as Xen PV guests are
  // 64-bit only"); a bare "as" or "so" is not. The subject counts too: "Fix
  // misleading comment" says why.
  // Lines joined: "to make\ncpu_feature_enabled() work" is one phrase.
  const text = `${commit.subject}\n${prose}`.replace(/\s+/g, " ");
  const reasons = unique([...(text.match(REASON) ?? []), ...(commit.subject.match(SUBJECT_REASON) ?? []), ...(/,\s+(as|so)\s+\w/.test(prose) ? ["as"] : [])]);
  return {
    prose,
    hasBody: commit.body.trim() !== "",
    reasons,
    symptoms: unique(`${commit.subject}\n${prose}`.match(SYMPTOM) ?? []),
    vague: unique(`${commit.subject}\n${prose}`.match(VAGUE) ?? []),
    impactTags,
    bulletOnly: nonBlank.length > 0 && nonBlank.every((l) => /^\s*([-*•]|\d+[.)])\s+\S/.test(l)),
    revertOnly: /^This reverts commit [0-9a-f]{7,40}\.?$/i.test(prose.replace(/\s+/g, " ").trim()),
    describesOnly: describesOnly(prose),
    hasEvidence: lines.length < commit.body.split("\n").length || /"[^"\n]{8,}"|`[^`\n]{4,}`/.test(prose),
    // A Fixes: line separated from the sign-offs by a blank line stays in the body.
    namesCulprit: commit.trailers.some((t) => /^fixes$/i.test(t.key)) || /^Fixes:\s*[0-9a-f]{7,}/im.test(commit.body) || commitReferences(commit.body).length > 0,
  };
}

export interface CommitReference {
  sha: string;
  /** The reference is followed by `("subject")`, as checkpatch wants. */
  hasTitle: boolean;
  /** Offset in the text, for reporting. */
  index: number;
}

/** `commit 1234567890ab ("subject")` references, line breaks allowed anywhere between the parts. */
export function commitReferences(text: string): CommitReference[] {
  const out: CommitReference[] = [];
  for (const m of text.matchAll(/\bcommit\s+([0-9a-f]{6,40})\b(\s*\(\s*"[^"]*"?\s*\)?)?/gi)) {
    out.push({ sha: m[1]!, hasTitle: Boolean(m[2]?.includes('"')), index: m.index });
  }
  return out;
}

/** True when the subject or body names the hypervisor by one of its aliases. */
export function namesAny(text: string, aliases: string[]): boolean {
  return aliases.some((a) => aliasRegex(a).test(text));
}

/**
 * One level of a subject prefix, in every form kernel-style trees use:
 * `x86/mm/pat`, `x86,fs/resctrl`, `rseq, virt`, `perf vendor events arm64`,
 * `kvfree_rcu()`, `clocksource/drivers/renesas,ostm`, U-Boot's `board`.
 * At most five words: a longer head is a sentence with a colon in it.
 */
const PREFIX_PART = /^[\w.(][\w./+,()[\]-]*(?:,? [\w./+,()[\]-]+){0,4}$/;

/** `x86/xen: foo` → `x86/xen`; `KVM: SVM: bar` → `KVM: SVM`; `x86,ftrace: bar` → `x86,ftrace`; no prefix → null. */
export function subjectPrefix(subject: string): string | null {
  let end = -1;
  for (let start = 0; ; ) {
    const colon = subject.indexOf(": ", start);
    if (colon < 0 || colon - start > 80 || !PREFIX_PART.test(subject.slice(start, colon))) break;
    end = colon;
    start = colon + 2;
  }
  return end < 0 ? null : subject.slice(0, end);
}

function describesOnly(prose: string): boolean {
  const sentences = prose
    .replace(/\n(?!\n)/g, " ")
    .split(/(?<=[.!?])\s+|\n\n+/)
    .map((s) => s.trim())
    .filter(Boolean);
  if (sentences.length === 0) return false;
  return sentences.every((s) => {
    const words = s.replace(/^(?:[-*•]|\d+[.)])\s*/, "").split(/\s+/);
    const first = (words[0] ?? "").toLowerCase().replace(/[^a-z-]/g, "");
    return CHANGE_VERBS.has(first) || /^this (?:patch|commit|change)$/i.test(words.slice(0, 2).join(" "));
  });
}

function unique(words: string[]): string[] {
  return [...new Set(words.map((w) => w.toLowerCase()))];
}

/**
 * A commit a tool wrote to import another tree (`git subtree` squashes of
 * dts/upstream, with `git-subtree-dir:` and `git-subtree-split:` lines): its
 * message is a list of the imported commits, each reviewed where it came
 * from. Nobody wrote a changelog or a sign-off to check.
 */
export function isToolImport(commit: Commit): boolean {
  return /^git-subtree-dir:\s*\S/m.test(commit.body) || commit.trailers.some((t) => /^git-subtree-(?:dir|split)$/i.test(t.key));
}
