import { readChangelog, type ChangelogReading } from "../src/analysis/changelog.js";
import type { PatchwardenConfig } from "../src/config/types.js";
import { makeFinding } from "../src/findings/make.js";
import type { Finding, RuleMeta } from "../src/findings/types.js";
import type { Commit, Series } from "../src/patch/types.js";
import type { Rule } from "./types.js";

const meta: RuleMeta = {
  id: "changelog-why",
  defaultSeverity: "warning",
  description: "The commit message does not say why: no body, only a list of what changed, vague words, or a fix with no cause named.",
  docPath: "rules/changelog-why.md",
};

const SYMPTOM_ONLY = /^(crash(es|ed)?|panics?|oops(es)?|hangs?|splats?|warnings?|warns|regress(ion|ed|es)?|bugs?)$/i;

const ASK =
  "A maintainer reads the changelog before the code and needs: the problem (what goes wrong, for whom, how it shows), why this is the right fix, and — for a fix — which commit broke it (Fixes: <12+ hex> (\"subject\")).";

/** Why this message fails to say why, or null when it says why. */
export function whatIsMissing(commit: Commit, reading: ChangelogReading): string | null {
  if (!reading.hasBody) return "The commit has no changelog at all, only a subject line.";
  if (reading.revertOnly) return 'The revert says only "This reverts commit ...": a revert needs the reason, what broke and why reverting is the right fix.';
  const causes = reading.reasons.filter((r) => !SYMPTOM_ONLY.test(r));
  if (causes.length > 0) return null;
  if (reading.impactTags.length > 0) return `The "${reading.impactTags[0]!.replace(/\s+/g, " ")}" tag names an effect but the changelog never says what causes it.`;
  if (reading.bulletOnly) return "The changelog is a list of what the patch changes; it never says why any of it is needed.";
  if (reading.vague.length > 0) return `"${reading.vague[0]}" stands in for a reason: the changelog says what changed but not why.`;
  if (reading.symptoms.length > 0 && !reading.namesCulprit) {
    return `The changelog uses bug-fix language ("${reading.symptoms[0]}") but names no cause: no Fixes: tag, no commit reference, and no description of the condition that fails.`;
  }
  if (reading.symptoms.length > 0 || reading.namesCulprit) return null;
  return "The changelog describes what the patch does, not why: no problem, user or motivation is named.";
}

function check(series: Series, config: PatchwardenConfig): Finding[] {
  const findings: Finding[] = [];
  series.commits.forEach((commit, index) => {
    if (commit.isCoverLetter) return;
    const missing = whatIsMissing(commit, readChangelog(commit));
    if (!missing) return;
    findings.push(
      makeFinding(meta, series, config, {
        commitIndex: index,
        file: null,
        line: null,
        message: `${missing} ${ASK}`,
        anchor: `${commit.subject}\0${missing.slice(0, 40)}`,
      }),
    );
  });
  return findings;
}

export const changelogWhy: Rule = { meta, check };
