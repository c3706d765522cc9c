import { aliasRegex } from "../config/config-regexes.js";
import type { Commit } from "../patch/types.js";

// Reading a changelog the way a maintainer does: does it say why? These are
// word-level signals, deliberately conservative: a message that names a
// cause, a broken behaviour, a requirement or the commit that broke things
// says why, however short it is.

/** Words that state a cause, a broken behaviour, a constraint or a consequence. */
const REASON =
  /\b(because|since|due to|so that|otherwise|as a result|leads? to|led to|results? in|resulted in|caused by|causing|triggers?|triggered|when|whenever|unless|while|cannot|can't|can not|could not|couldn't|does not|doesn't|do not|don't|did not|didn't|is not|isn't|are not|aren't|was not|wasn't|will not|won't|never|no longer|not always|unable|fail(s|ed|ure|ures|ing)?|broken|breaks|wrong(ly)?|incorrect(ly)?|bogus|misleading|outdated|stale|inconsistent|instead of|unlike|must|requires?|required|needs?|necessary|problem|issues?|bugs?|errat(um|a)|races?|racy|leaks?|corrupt(s|ed|ion)?|overflows?|underflows?|missing|lacks?|there is no|there's no|currently|should|prevents?|prevented|avoids?|avoiding|so far|would|hangs?|deadlocks?|crash(es|ed)?|panics?|oops(es)?|splats?|warns|warnings?|slow(er|s)?|expensive|overhead|performance|regress(ion|ed|es)?|security|vulnerab\w*|exploit\w*|CVE-\d+|XSA-?\d+|efficien\w*|faster|smaller|allowing|in case|however|(?:can|could|may|might|will|would) cause|unused|unnecessary|redundant|duplicated?|dead code|not used|no users|only used|not needed|no good reason|is safe|before this patch|previously|at the moment|right now|helps?|easier|simpler|readab\w*|clearer|in preparation|prepar\w+|future|later patch|follow-?up|upcoming|subsequent|needed|too (?:high|low|large|small|big|many|much|slow|long|short|early|late)|allows?|freez(?:e|es|ing)|stuck|lock ?ups?|missed|forgot(?:ten)?|overlooked|found in|used by|used for|driver for|important|soon|hard to|difficult|thus|therefore|hence|truncat\w+|coccicheck|cocci|sparse|smatch|checkpatch|compiler|gcc|clang|W=1|build (?:error|failure)|syzbot|test robot|reported)\b/gi;

/** Kernel idioms that contain a reason word without giving a reason. */
const IDIOMS = /\bwhile (?:at it|we're at it|I'm at it|here)\b/gi;

/** Words of a bug report that are symptoms, not causes. */
const SYMPTOM = /\b(fix(es|ed|ing)?|crash(es|ed)?|warnings?|oops(es)?|hangs?|regression|boot failure|panics?|splats?|BUG)\b/gi;

/** Words that stand in for a reason without giving one. */
const VAGUE = /\b(fix(es|ed)? up|minor (fixes|changes|cleanups?)|clean ?ups?|misc(ellaneous)?|bug ?fixes|various|updates?|tweaks?|improvements?|small changes)\b/gi;

/** `[ Impact: ... ]`, the -tip tag of 2009: names an effect, not a cause. */
// `[` is excluded inside so an unclosed tag ends its scan at the next one (linear).
const IMPACT_TAG = /\[\s*Impact:[^\][]*\]/gi;

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
    .split("\n")
    // Indented lines are quoted logs, code or splats: evidence, not prose.
    .filter((l) => !/^(\s{2,}|\t)/.test(l));
  const prose = lines.join("\n").replace(IDIOMS, "").trim();
  const nonBlank = lines.filter((l) => l.trim() !== "");
  // ", as X" and ", so X" are causal ("can be dropped, as Xen PV guests are
  // 64-bit only"); a bare "as" or "so" is not. The subject counts too: "Fix
  // misleading comment" says why.
  const text = `${commit.subject}\n${prose}`;
  const reasons = unique([...(text.match(REASON) ?? []), ...(/,\s+(as|so)\s+\w/.test(prose) ? ["as"] : [])]);
  return {
    prose,
    hasBody: commit.body.trim() !== "",
    reasons,
    symptoms: unique(`${commit.subject}\n${prose}`.match(SYMPTOM) ?? []),
    vague: unique(`${commit.subject}\n${prose}`.match(VAGUE) ?? []),
    impactTags,
    bulletOnly: nonBlank.length > 0 && nonBlank.every((l) => /^\s*([-*•]|\d+[.)])\s+\S/.test(l)),
    revertOnly: /^This reverts commit [0-9a-f]{7,40}\.?$/i.test(prose.replace(/\s+/g, " ").trim()),
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

/** `x86/xen: foo` → `x86/xen`; `KVM: SVM: bar` → `KVM: SVM`; no prefix → null. */
export function subjectPrefix(subject: string): string | null {
  const m = subject.match(/^((?:[\w./+-]+(?: [\w./+-]+)?: )+)/);
  return m ? m[1]!.trim().replace(/:$/, "") : null;
}

function unique(words: string[]): string[] {
  return [...new Set(words.map((w) => w.toLowerCase()))];
}
