import { readChangelog, type ChangelogReading } from "../src/analysis/changelog.js";
import type { PatchwardenConfig } from "../src/config/types.js";
import { makeFinding } from "../src/findings/make.js";
import type { Finding, RuleMeta } from "../src/findings/types.js";
import { displayPath, type Commit, type FileChange, type Series } from "../src/patch/types.js";
import type { Rule } from "./types.js";

const meta: RuleMeta = {
  id: "changelog-why",
  defaultSeverity: "warning",
  description: "The commit message does not say why: no body, only a list of what changed, vague words, or a fix with no cause named.",
  docPath: "rules/changelog-why.md",
};

const SYMPTOM_ONLY = /^(crash(es|ed)?|panics?|oops(es)?|hangs?|splats?|warnings?|warns|regress(ion|ed|es)?|bugs?)$/i;

/**
 * Changes that need no essay (issue 9): a typo, whitespace, a comment,
 * SPDX, a removed unused symbol, documentation or MAINTAINERS only. Said by
 * the subject or by the files; a maintainer does not write back "why?".
 */
const TRIVIAL_SUBJECT = /\b(typos?|spelling|grammar|whitespace|white space|indent(?:ation|ing)?|coding style|comments?|kernel-?doc|SPDX|license identifiers?|unused|no-?op|dead code|stale|redundant|cosmetic|formatting|comma|semicolon|superfluous|includes?|include maze)\b/i;
const DOCS_ONLY = /^(?:Documentation\/|MAINTAINERS$|CREDITS$)|\.(?:rst|txt)$/;

/** New hardware (`Add support for the JZ4760`, `Add AMD Family MI300 PCI IDs`): the reason is the hardware the subject names. */
function enablesHardware(subject: string): boolean {
  const summary = subject.slice(subject.lastIndexOf(": ") + 1).trim();
  return /^(?:add|enable)s?\b/i.test(summary) && /\b(?:support for|PCI IDs?|device IDs?|CPU models?|models? to)\b/i.test(summary);
}

export function isTrivialChange(commit: Commit, files: FileChange[]): boolean {
  if (TRIVIAL_SUBJECT.test(commit.subject) || enablesHardware(commit.subject)) return true;
  return files.length > 0 && files.every((f) => DOCS_ONLY.test(displayPath(f)));
}

/** Why this message fails to say why, or null when it says why. Short: the long explanation is the doc page's. */
export function whatIsMissing(commit: Commit, reading: ChangelogReading, files: FileChange[] = []): string | null {
  if (isTrivialChange(commit, files)) return null;
  if (!reading.hasBody) return "The commit has no changelog at all, only a subject line: say what problem it solves.";
  if (reading.revertOnly) return 'The revert says only "This reverts commit ...": say what broke and why reverting is the fix.';
  const causes = reading.reasons.filter((r) => !SYMPTOM_ONLY.test(r));
  if (causes.length > 0) return null;
  if (reading.impactTags.length > 0) return `The "${reading.impactTags[0]!.replace(/\s+/g, " ")}" tag names an effect; the changelog never says what causes it.`;
  if (reading.bulletOnly) return "The changelog lists what the patch changes and never says why any of it is needed.";
  if (reading.vague.length > 0) return `"${reading.vague[0]}" stands in for a reason: say what was wrong.`;
  // A symptom, a quoted log or warning, a culprit, or a plain statement of
  // the situation is something a maintainer can weigh: only a body that
  // does nothing but describe the change is asked "why?".
  const namesSymptom = reading.symptoms.some((w) => SYMPTOM_ONLY.test(w));
  if (namesSymptom || reading.hasEvidence || reading.namesCulprit || !reading.describesOnly) return null;
  if (reading.symptoms.length > 0) return `The changelog says "${reading.symptoms[0]}" but names neither the symptom nor the cause, nor the commit that broke it (Fixes:).`;
  return "The changelog only describes what the patch does: say what problem it solves, or for whom.";
}

function check(series: Series, config: PatchwardenConfig): Finding[] {
  const findings: Finding[] = [];
  series.commits.forEach((commit, index) => {
    if (commit.isCoverLetter) return;
    const missing = whatIsMissing(commit, readChangelog(commit), series.files.filter((f) => f.commitIndex === index));
    if (!missing) return;
    findings.push(
      makeFinding(meta, series, config, {
        commitIndex: index,
        file: null,
        line: null,
        message: missing,
        anchor: `${commit.subject}\0${missing.slice(0, 40)}`,
      }),
    );
  });
  return findings;
}

export const changelogWhy: Rule = { meta, check };
