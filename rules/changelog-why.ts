import { isToolImport, readChangelog, type ChangelogReading } from "../src/analysis/changelog.js";
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
  checks: ["no-body", "bare-revert", "impact-tag", "change-list", "vague-phrase", "fix-without-cause", "describes-only"],
};

const SYMPTOM_ONLY = /^(crash(es|ed)?|panics?|oops(es)?|hangs?|splats?|warnings?|warns|regress(ion|ed|es)?|bugs?)$/i;

/**
 * Changes that need no essay (issue 9): a typo, whitespace, a comment,
 * SPDX, a removed unused symbol, documentation or MAINTAINERS only. Said by
 * the subject or by the files; a maintainer does not write back "why?".
 */
const TRIVIAL_SUBJECT = /\b(typos?|spelling|grammar|whitespace|white space|indent(?:ation|ing)?|(?:coding|code|prefix|naming) style|comments?|kernel-?doc|SPDX|license identifiers?|unused|no-?op|dead code|stale|redundant|cosmetic|formatting|comma|semicolon|superfluous|includes?|include maze)\b/i;
const DOCS_ONLY = /^(?:Documentation\/|doc\/|CREDITS$)|(?:^|\/)MAINTAINERS$|\.(?:rst|txt|md)$/;

/**
 * A description of hardware, not code: a device tree, a defconfig. "Add the
 * watchdog node for the sam9x60" and "Enable CONFIG_ENV_IS_IN_SCSI" are the
 * reason and the change at once (on U-Boot's v2025.07..v2025.10, one
 * finding in six was on such a commit).
 */
const HARDWARE_DESCRIPTION = /\.dts[io]?$|(?:^|\/)configs\/[^/]+_defconfig$|(?:^|\/)defconfig$|^dts\/upstream\//;

/** Build glue a new driver or board brings with it. */
const BUILD_GLUE = /(?:^|\/)(?:Kconfig[^/]*|Makefile|MAINTAINERS)$/;

/** Where a new file is code for a new piece of hardware: a driver, a board, a machine, its device tree. */
const HARDWARE_HOME = /^(?:drivers|board|sound)\/|^arch\/[\w-]+\/(?:mach-|plat-|boot\/dts\/|dts\/)|\/dt-bindings\//;

/**
 * Hardware enablement told by its files: new files under a driver's or a
 * board's directory, with the Kconfig, Makefile and device tree lines that
 * wire them in. The reason is the hardware (a new clock driver for a new
 * SoC); a new file in core code still needs one.
 */
function addsHardwareSupport(files: FileChange[]): boolean {
  const added = files.filter((f) => f.kind === "added" && HARDWARE_HOME.test(displayPath(f)));
  if (added.length === 0) return false;
  return files.every((f) => added.includes(f) || BUILD_GLUE.test(displayPath(f)) || HARDWARE_DESCRIPTION.test(displayPath(f)) || DOCS_ONLY.test(displayPath(f)));
}

/** `Prepare v2025.10-rc1`, `Linux 6.8-rc1`: the top-level Makefile's version lines and nothing else. */
function bumpsVersion(files: FileChange[]): boolean {
  if (files.length === 0 || !files.some((f) => displayPath(f) === "Makefile")) return false;
  return files.every((f) => {
    const path = displayPath(f);
    if (path !== "Makefile" && !/^localversion|^\.mailmap$|^doc\/develop\/release_cycle\.rst$/.test(path)) return false;
    if (path !== "Makefile") return true;
    return f.hunks.every((h) => h.lines.every((l) => l.kind === "context" || /^\s*(?:VERSION|PATCHLEVEL|SUBLEVEL|EXTRAVERSION|NAME)\s*=/.test(l.text) || l.text.trim() === ""));
  });
}

/** New hardware (`Add support for the JZ4760`, `Add AMD Family MI300 PCI IDs`): the reason is the hardware the subject names. */
function enablesHardware(subject: string): boolean {
  const summary = subject.slice(subject.lastIndexOf(": ") + 1).trim();
  return /^(?:add|enable)s?\b/i.test(summary) && /\b(?:support for|PCI IDs?|device IDs?|CPU models?|models? to)\b/i.test(summary);
}

/**
 * "add Winbond W25N04KV flash support", "sunxi: add basic A523 support": the
 * same said the other way round, believed only of code for hardware (a
 * driver, a board, a machine): "x86/hyperv: Add new hvcall guest address
 * host visibility support" is a feature that owes its reason.
 */
function enablesHardwareIn(subject: string, files: FileChange[]): boolean {
  const summary = subject.slice(subject.lastIndexOf(": ") + 1).trim();
  if (!/^(?:add|enable)s?\b/i.test(summary) || !/\bsupport\.?$/i.test(summary)) return false;
  return files.length > 0 && files.every((f) => {
    const path = displayPath(f);
    return HARDWARE_HOME.test(path) || BUILD_GLUE.test(path) || HARDWARE_DESCRIPTION.test(path) || DOCS_ONLY.test(path);
  }) && files.some((f) => HARDWARE_HOME.test(displayPath(f)));
}

export function isTrivialChange(commit: Commit, files: FileChange[]): boolean {
  if (isToolImport(commit)) return true;
  if (TRIVIAL_SUBJECT.test(commit.subject) || enablesHardware(commit.subject)) return true;
  if (files.length === 0) return false;
  if (files.every((f) => DOCS_ONLY.test(displayPath(f)) || HARDWARE_DESCRIPTION.test(displayPath(f)))) return true;
  return addsHardwareSupport(files) || enablesHardwareIn(commit.subject, files) || bumpsVersion(files) || files.every((f) => TESTS.test(displayPath(f)));
}

/** Tests only: the reason is the coverage ("add test cases for escape chars in a character class"). */
const TESTS = /^(?:test|tests)\/|^tools\/testing\/|\/selftests?\//;

/** Why this message fails to say why, or null when it says why. Short: the long explanation is the doc page's. */
export function whatIsMissing(commit: Commit, reading: ChangelogReading, files: FileChange[] = []): string | null {
  return missingReason(commit, reading, files)?.message ?? null;
}

/** The finer ids of this rule's findings (meta.checks), as `changelog-why/<id>`, stable like checkpatch's types. */
type Check = "no-body" | "bare-revert" | "impact-tag" | "change-list" | "vague-phrase" | "fix-without-cause" | "describes-only";

function missingReason(commit: Commit, reading: ChangelogReading, files: FileChange[]): { check: Check; message: string } | null {
  if (isTrivialChange(commit, files)) return null;
  if (!reading.hasBody) return { check: "no-body", message: "The commit has no changelog at all, only a subject line: say what problem it solves." };
  if (reading.revertOnly) return { check: "bare-revert", message: 'The revert says only "This reverts commit ...": say what broke and why reverting is the fix.' };
  const causes = reading.reasons.filter((r) => !SYMPTOM_ONLY.test(r));
  if (causes.length > 0) return null;
  if (reading.impactTags.length > 0) return { check: "impact-tag", message: `The "${reading.impactTags[0]!.replace(/\s+/g, " ")}" tag names an effect; the changelog never says what causes it.` };
  if (reading.bulletOnly) return { check: "change-list", message: "The changelog lists what the patch changes and never says why any of it is needed." };
  if (reading.vague.length > 0) return { check: "vague-phrase", message: `"${reading.vague[0]}" stands in for a reason: say what was wrong.` };
  // A symptom, a quoted log or warning, a culprit, or a plain statement of
  // the situation is something a maintainer can weigh: only a body that
  // does nothing but describe the change is asked "why?".
  const namesSymptom = reading.symptoms.some((w) => SYMPTOM_ONLY.test(w));
  if (namesSymptom || reading.hasEvidence || reading.namesCulprit || !reading.describesOnly) return null;
  if (reading.symptoms.length > 0) return { check: "fix-without-cause", message: `The changelog says "${reading.symptoms[0]}" but names neither the symptom nor the cause, nor the commit that broke it (Fixes:).` };
  return { check: "describes-only", message: "The changelog only describes what the patch does: say what problem it solves, or for whom." };
}

function check(series: Series, config: PatchwardenConfig): Finding[] {
  const findings: Finding[] = [];
  const coverSaysWhy = coverLetterGivesReason(series);
  series.commits.forEach((commit, index) => {
    if (commit.isCoverLetter) return;
    const missing = missingReason(commit, readChangelog(commit), commit.files);
    if (!missing) return;
    // A step of a series whose cover letter says why ("net: mana: Use GIC
    // functions to allocate global EQs", 4/6) describes its part of a
    // change explained once, where b4 and the maintainer read it. A patch
    // with no body at all is still asked.
    if (coverSaysWhy && missing.check === "describes-only") return;
    findings.push(
      makeFinding(meta, series, config, {
        commitIndex: index,
        file: null,
        line: null,
        message: missing.message,
        // The anchor stays the message's start, as before finer ids: fingerprints already posted keep matching.
        anchor: `${commit.subject}\0${missing.message.slice(0, 40)}`,
        check: missing.check,
      }),
    );
  });
  return findings;
}

/** The series has a cover letter whose text gives a reason (read as a changelog is read). */
function coverLetterGivesReason(series: Series): boolean {
  const cover = series.commits.find((c) => c.isCoverLetter);
  if (!cover || cover.body.trim() === "") return false;
  const reading = readChangelog(cover);
  return reading.reasons.some((r) => !SYMPTOM_ONLY.test(r)) || !reading.describesOnly;
}

/** Every changelog is read (src/analysis/changelog.ts, shared with the other changelog rules). */
function warm(commit: Commit): void {
  readChangelog(commit);
}

export const changelogWhy: Rule = { meta, check, warm };
