import { commitReferences, subjectPrefix, isToolImport } from "../src/analysis/changelog.js";
import type { PatchwardenConfig } from "../src/config/types.js";
import { makeFinding } from "../src/findings/make.js";
import type { Finding, RuleMeta, Severity } from "../src/findings/types.js";
import type { Commit, Series } from "../src/patch/types.js";
import type { RuleContext } from "../src/tree/types.js";
import type { Rule } from "./types.js";

const meta: RuleMeta = {
  id: "commit-reference",
  defaultSeverity: "warning",
  description: "checkpatch's commit conventions: Fixes: and commit references with 12+ hex and a (\"subject\"), a Signed-off-by matching the author, subject length and form.",
  docPath: "rules/commit-reference.md",
  checks: ["no-sign-off", "sign-off-mismatch", "fixes-form", "commit-id-form", "subject-length", "subject-period", "subject-prefix"],
};

/** A problem with one commit's references or form; `kind` is the stable part of the fingerprint. */
interface Problem {
  kind: string;
  /** Its finer id, one of meta.checks. */
  check: string;
  severity: Severity;
  message: string;
}

const MAX_SUBJECT = 75;

export function commitProblems(commit: Commit, maxSubject = MAX_SUBJECT): Problem[] {
  return [...signOffProblems(commit), ...fixesProblems(commit), ...referenceProblems(commit), ...subjectProblems(commit, maxSubject)];
}

function signOffProblems(commit: Commit): Problem[] {
  // The trailer block is where sign-offs belong, but a line that breaks it
  // (`Cc:stable@...`, `Reported-by Jann Horn`, a `[name: ...]` note or a
  // cherry-pick line after it) does not make a signed-off commit unsigned:
  // the DCO is a Signed-off-by: line anywhere at the start of a line.
  const signOffs = [
    ...commit.trailers.filter((t) => /^signed-off-by$/i.test(t.key)),
    ...[...commit.body.matchAll(/^Signed-off-by:[ \t]*(\S.*)$/gim)].map((m) => ({ key: "Signed-off-by", value: m[1]! })),
  ];
  if (signOffs.length === 0) {
    return [
      {
        kind: "no-signoff", check: "no-sign-off",
        severity: "error",
        message: "No Signed-off-by: line. The Developer's Certificate of Origin is how the author certifies the right to submit the patch; it cannot be merged without one.",
      },
    ];
  }
  const author = commit.author;
  if (!author || (!author.email && !author.name)) return [];
  const matches = signOffs.some((t) => {
    const value = t.value.toLowerCase();
    return (author.email !== "" && value.includes(author.email.toLowerCase())) || (author.name !== "" && value.startsWith(author.name.toLowerCase()));
  });
  if (matches) return [];
  return [
    {
      kind: "signoff-mismatch", check: "sign-off-mismatch",
      severity: "warning",
      message: `The author (${author.name} <${author.email}>) has no Signed-off-by: line; the first sign-off must be the author's, as checkpatch's FROM_SIGN_OFF_MISMATCH says.`,
    },
  ];
}

function fixesProblems(commit: Commit): Problem[] {
  const out: Problem[] = [];
  // A Fixes: line cut off from the sign-offs by a blank line stays in the body; check it too.
  const values = [...commit.trailers.filter((x) => /^fixes$/i.test(x.key)).map((x) => x.value), ...[...commit.body.matchAll(/^Fixes:\s*(.+)$/gim)].map((m) => m[1]!.trim())];
  for (const value of values) {
    const t = { value };
    const m = t.value.trimEnd().match(/^([0-9a-f]+)\s*(\(".*"\))?$/i);
    if (m && m[1]!.length >= 12 && m[2]) continue;
    out.push({
      kind: `fixes:${t.value.slice(0, 12)}`, check: "fixes-form",
      severity: "warning",
      message: `"Fixes: ${t.value}" is not in the form "Fixes: <12+ hex digits> (\\"subject\\")"${m && m[1]!.length < 12 ? ": the sha is too short to stay unique" : ""}. Tools and stable maintainers parse this line; generate it with git log -1 --format='Fixes: %h ("%s")' --abbrev=12.`,
    });
  }
  return out;
}

function referenceProblems(commit: Commit): Problem[] {
  const out: Problem[] = [];
  for (const ref of commitReferences(commit.body)) {
    // git's own revert line is fine as it is.
    if (/reverts\s*$/i.test(commit.body.slice(Math.max(0, ref.index - 10), ref.index))) continue;
    if (ref.sha.length >= 12 && ref.hasTitle) continue;
    out.push({
      kind: `ref:${ref.sha}`, check: "commit-id-form",
      // A reference in prose is read by people, who can look it up; only Fixes: is parsed by tools.
      severity: "info",
      message: `The reference to commit ${ref.sha} should read 'commit <12+ hex digits> ("subject")' so it survives abbreviation collisions and says what the commit was (checkpatch GIT_COMMIT_ID).`,
    });
  }
  return out;
}

function subjectProblems(commit: Commit, maxSubject: number): Problem[] {
  const out: Problem[] = [];
  const subject = commit.subject;
  if (subject === "") return out;
  // git writes a revert's subject itself, from the reverted one; `Revert <sha> ("...")` is the kernel's other form.
  const isRevert = /^Revert (?:"|[0-9a-f]{7,40} \(")/.test(subject);
  if (subject.length > maxSubject && !isRevert) {
    // Style, not substance: info (checkpatch's CHECK), never an inline comment or a failed check.
    out.push({ kind: "subject-long", check: "subject-length", severity: "info", message: `The subject is ${subject.length} characters; keep it under ${maxSubject} so it stays whole in git log --oneline, shortlogs and mail subjects.` });
  }
  if (/\.$/.test(subject) && !/\.\.\.$/.test(subject)) {
    out.push({ kind: "subject-period", check: "subject-period", severity: "info", message: "The subject ends with a period; a subject is a title, not a sentence." });
  }
  if (!subjectPrefix(subject) && !isRevert) {
    out.push({ kind: "subject-prefix", check: "subject-prefix", severity: "warning", message: `The subject has no "subsystem: " prefix; start it with the prefix the touched code uses (see git log --oneline of those files).` });
  }
  return out;
}

function check(series: Series, config: PatchwardenConfig, context: RuleContext = {}): Finding[] {
  const findings: Finding[] = [];
  series.commits.forEach((commit, index) => {
    // A bare diff has no message to check; a cover letter is not a commit.
    if (commit.isCoverLetter || (commit.subject === "" && commit.body === "" && commit.trailers.length === 0)) return;
    if (isToolImport(commit)) return;
    // A tree's own limit (rules: commit-reference/subject-length: {max: N}), else checkpatch's.
    for (const p of commitProblems(commit, config.rules["commit-reference/subject-length"]?.max ?? MAX_SUBJECT)) {
      const message = p.check === "subject-prefix" ? prefixAdvice(series, index, context) ?? p.message : p.message;
      findings.push(makeFinding(meta, series, config, { commitIndex: index, file: null, line: null, message, anchor: `${commit.subject}\0${p.kind}`, severity: p.severity, check: p.check }));
    }
  });
  return findings;
}

/** With the tree: the prefix most of the latest commits to these files use, a suggestion the tree itself makes. */
function prefixAdvice(series: Series, index: number, context: RuleContext): string | null {
  const counts = new Map<string, number>();
  for (const f of series.files) {
    if (f.commitIndex !== index) continue;
    for (const use of context.tree?.prefixes.get(f.oldPath ?? f.newPath ?? "") ?? []) counts.set(use.prefix, (counts.get(use.prefix) ?? 0) + use.commits);
  }
  const best = [...counts].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))[0];
  if (!best) return null;
  return `The subject has no "subsystem: " prefix; the latest commits to the files it touches start with "${best[0]}:" (${best[1]} of them), so start it that way.`;
}

export const commitReference: Rule = { meta, check, readsTree: true };
