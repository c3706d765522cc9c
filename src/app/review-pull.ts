import { ruleRegistry } from "../../rules/index.js";
import { ConfigError } from "../config/errors.js";
import type { PatchwardenConfig } from "../config/types.js";
import type { AnalysisInput } from "../engine/job.js";
import { loadRepoConfig, type ConfigReader } from "../github/config.js";
import { appIdentity } from "../github/identity.js";
import { labelAdders, mayOverride, rejectLabel } from "../github/labels.js";
import { readBaseMaintainers } from "../github/maintainers.js";
import { readOnGitHub } from "../github/posted.js";
import type { BaseTreeAnswer } from "../github/mirror.js";
import { findCheckRun, publishCheck, publishReview } from "../github/publish.js";
import { fetchPullPatch, missingCommits } from "../github/series.js";
import type { Octokit, PullRef } from "../github/types.js";
import { applyOverrides, overrideLabelsOn, type PullLabel } from "../review/overrides.js";
import { failingCheck, planReview } from "../review/plan.js";
import type { Analysis, Analyzer } from "./review-pool.js";

/** What the webhook said about the pull request; the payload saves calls. */
export interface PullEvent {
  action: string;
  pull: PullRef;
  headSha: string;
  baseSha: string;
  draft: boolean;
  labels: string[];
  commits: number;
  changedFiles: number;
  /** For labeled/unlabeled: the label and who acted. */
  label?: { name: string; sender: string };
  /** The branch name, which may name the topic (`xen/...`). */
  headRef: string;
  /** The pull request's latest `labeled` events, read with it; absent: listed when an override label needs them. */
  labelEvents?: { events: PullLabel[]; complete: boolean };
}

export interface ReviewOutcome {
  conclusion: string | null;
  skipped?: string;
}

export interface ReviewDeps {
  octokit: Octokit;
  config: ConfigReader;
  now: () => Date;
  /** Where the patch is read and the rules run: off the server's thread, with a time limit. */
  analyzer: Analyzer;
  /**
   * Asked last before anything is posted: false when this run no longer
   * holds its job (BullMQ's lock lapsed and another replica may run it).
   * Absent where nothing else can take the job.
   */
  stillOwned?: () => Promise<boolean>;
  /**
   * The base tree of the pull request (the app's mirror, src/github/mirror.ts),
   * or why there is none. Absent: the app keeps no mirror (MIRROR_DIR unset).
   */
  baseTree?: (event: PullEvent) => Promise<BaseTreeAnswer>;
}

/** A review that failed after saying so on the pull request (a failing check): not to be retried or reported again. */
export class ReviewFailed extends Error {
  constructor(override readonly cause: unknown) {
    super(`review failed: ${(cause as Error)?.message ?? String(cause)}`);
    this.name = "ReviewFailed";
  }
}

/**
 * Reviews one pull request head: reads it, runs the rules, posts one check
 * run and at most one review. GitHub requests, for a review that posts both:
 * the pull request's read (by the caller, with config and MAINTAINERS), the
 * patch, what is on GitHub for the head (head now, markers, check run), the
 * check run, the review.
 */
export async function reviewPull(event: PullEvent, deps: ReviewDeps): Promise<ReviewOutcome> {
  const { octokit, now } = deps;
  const repo = { owner: event.pull.owner, repo: event.pull.repo };

  let config: PatchwardenConfig;
  try {
    config = { ...(await loadRepoConfig(deps.config)) };
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    // A bad config gets a failing check that says what is wrong, never silence.
    const summary = `patchwarden could not use \`${err.source}\`:\n\n> ${err.message}\n\nFix the file (see the configuration reference in the README); nothing was reviewed.`;
    return failWith(deps, event, `Invalid configuration in ${err.source}`, summary);
  }
  if (event.draft && !config.app.reviewDrafts) return { conclusion: null, skipped: "draft" };
  // Adding "bug" or "needs-rebase" changes nothing we report: only our override labels do.
  if ((event.action === "labeled" || event.action === "unlabeled") && event.label && !(event.label.name in config.app.overrideLabels)) {
    return { conclusion: null, skipped: "unrelated label" };
  }

  // Usually known already: read with the pull request, or by an earlier review against this base.
  const maintainers = await readBaseMaintainers(octokit, repo, event.baseSha);
  config.topic ??= topicFromBranch(event.headRef, config);

  const fetched = await fetchPullPatch(octokit, event.pull, { commits: event.commits, files: event.changedFiles });
  const tree = await baseTreeOf(deps, event);
  let analysis: Analysis;
  try {
    analysis = await deps.analyzer.analyze({ sources: [fetched.source], config, maintainers: maintainers && { sha: maintainers.sha, text: maintainers.text }, tree });
  } catch (err) {
    // A bug in a rule, or a worker that died: say so on the pull request
    // rather than leave it without a check, then let the queue log the stack.
    await failWith(deps, event, "Review failed: internal error", internalError(err)).catch(() => undefined);
    throw new ReviewFailed(err);
  }
  if (analysis.kind === "over-budget") return failWith(deps, event, ...overBudget(analysis));
  if (analysis.kind === "unreadable") return failWith(deps, event, "The pull request's patch could not be read", `patchwarden could not read the series: \`${analysis.error}\`.`);
  const { series, findings } = analysis;
  const unread = [...fetched.unread, ...missingCommits(fetched, series.commits.length), ...analysis.notes.map((n) => `${n} (not analysed)`)];

  const { trusted, ignored } = await judgeLabels(octokit, event, config, now);

  // Read on every run, "opened" too, after the patch and as late as can be:
  // the head now (a review is only ever built from the head it names), and
  // what was posted (the same body replayed under a new delivery id, or a
  // job re-run after its replica died, must find it), in one request.
  const self = await appIdentity(octokit);
  const onGitHub = await readOnGitHub(octokit, event.pull, event.headSha, self);
  if (onGitHub.headSha !== event.headSha) return { conclusion: null, skipped: "superseded" };
  const posted = onGitHub.posted;
  const { findings: final, applied } = applyOverrides(findings, trusted, posted);

  const plan = planReview({
    series,
    findings: final,
    applied,
    posted,
    headSha: event.headSha,
    baseSha: event.baseSha,
    settings: config.app,
    rules: ruleRegistry.map((r) => r.meta),
    unread,
    ignoredLabels: ignored.map((l) => ({ label: l.name, by: l.addedBy ?? "unknown" })),
    ...(analysis.tree ? { tree: analysis.tree } : {}),
  });
  // Checked last, the closest to posting: a run whose job was handed to another replica posts nothing.
  if (deps.stillOwned && !(await deps.stillOwned())) return { conclusion: null, skipped: "no longer this run's job" };
  // A check run already on the head (a job re-run after a kill between the
  // check run and the review) is updated rather than posted a second time.
  await publishCheck(octokit, repo, event.headSha, plan.check, onGitHub.checkRunId, now());
  if (plan.review) await publishReview(octokit, event.pull, event.headSha, plan.review);
  return { conclusion: plan.check.conclusion };
}

/** The tree the rules may read, or why there is none: a mirror that fails never fails the review. */
async function baseTreeOf(deps: ReviewDeps, event: PullEvent): Promise<AnalysisInput["tree"]> {
  if (!deps.baseTree) return { absent: "the app keeps no mirror of repositories (MIRROR_DIR is not set)" };
  try {
    const answer = await deps.baseTree(event);
    return answer.tree ? { at: answer.tree } : { absent: answer.why };
  } catch (err) {
    return { absent: `the app's mirror failed (${(err as Error).message})` };
  }
}

async function judgeLabels(octokit: Octokit, event: PullEvent, config: PatchwardenConfig, now: () => Date) {
  const candidates = overrideLabelsOn(
    event.labels.map((name) => ({ name, addedBy: null, addedAt: null })),
    config.app,
  );
  const trusted: { label: PullLabel; rules: string[] }[] = [];
  const ignored: PullLabel[] = [];
  if (candidates.length === 0) return { trusted, ignored };
  const adders = await labelAdders(octokit, event.pull, candidates.map((c) => c.label.name), event.labelEvents);
  for (const c of candidates) {
    const label = adders.labels.find((l) => l.name === c.label.name)!;
    const who = label.addedBy;
    const verdict = who ? await mayOverride(octokit, event.pull, who, config.app, now().getTime()) : { allowed: false };
    if (verdict.allowed) trusted.push({ label, rules: c.rules });
    else {
      ignored.push(label);
      // Take it off and say why, whichever event brought the job: a label
      // event for a head whose job was already waiting is that job, and the
      // labels are the pull request's own, read when it runs. Once off, it
      // is not seen again.
      if (who) await rejectLabel(octokit, event.pull, label.name, who, config.app);
    }
  }
  return { trusted, ignored };
}

/** `xen/fix-pm-timer` → "xen" when a hypervisor of that id exists: the branch names the topic. */
function topicFromBranch(ref: string, config: PatchwardenConfig): string | undefined {
  const first = ref.split("/")[0]?.toLowerCase();
  return first && ref.includes("/") && config.hypervisors.some((h) => h.id === first) ? first : undefined;
}

/** Posts a failing check that says why nothing was reviewed (on the head it names, while it is the pull request's). */
async function failWith(deps: ReviewDeps, event: PullEvent, title: string, summary: string): Promise<ReviewOutcome> {
  const repo = { owner: event.pull.owner, repo: event.pull.repo };
  const onGitHub = await readOnGitHub(deps.octokit, event.pull, event.headSha, await appIdentity(deps.octokit));
  if (onGitHub.headSha !== event.headSha) return { conclusion: null, skipped: "superseded" };
  if (deps.stillOwned && !(await deps.stillOwned())) return { conclusion: null, skipped: "no longer this run's job" };
  await publishCheck(deps.octokit, repo, event.headSha, failingCheck(title, summary), onGitHub.checkRunId, deps.now());
  return { conclusion: "failure" };
}

/** The neutral check of a job that kept failing (GitHub errors, timeouts): the pull request is told, never left silent. */
export async function reportGaveUp(deps: ReviewDeps, event: PullEvent, attempts: number, err: unknown): Promise<void> {
  const what = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
  const check = {
    ...failingCheck(
      `Review not done: failed ${attempts} times`,
      [
        `patchwarden tried to review this head ${attempts} times and each attempt failed (last: \`${what.slice(0, 500).replaceAll("`", "'")}\`). Nothing was reviewed.`,
        "",
        "Pushing a new head, or re-running this check, tries again.",
      ].join("\n"),
    ),
    conclusion: "neutral" as const,
  };
  const repo = { owner: event.pull.owner, repo: event.pull.repo };
  const existing = await findCheckRun(deps.octokit, repo, event.headSha, (await appIdentity(deps.octokit)).id);
  await publishCheck(deps.octokit, repo, event.headSha, check, existing, deps.now());
}

function internalError(err: unknown): string {
  const what = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
  return [
    `patchwarden failed while reviewing this head (\`${what.slice(0, 500).replaceAll("`", "'")}\`). Nothing was reviewed.`,
    "",
    "This is a bug in patchwarden, not a problem with the series: tell whoever runs it and link this pull request. Pushing a new head tries again.",
  ].join("\n");
}

/** The failing check's title and summary for a review that was stopped: what happened and what to do. */
function overBudget(analysis: Extract<Analysis, { kind: "over-budget" }>): [string, string] {
  const what = analysis.budget === "time" ? `time budget (${analysis.limit})` : `memory budget (${analysis.limit})`;
  const knob = analysis.budget === "time" ? "REVIEW_TIMEOUT_MS" : "REVIEW_MEMORY_MB";
  return [
    `Review stopped: over its ${what}`,
    [
      `patchwarden stopped reviewing this head when it went over its ${what}. Nothing was reviewed, so this check fails rather than pass a series nobody read.`,
      "",
      "What to do:",
      "- Look for what makes this series unusual to read: a very long added line, deeply nested `#if`s or braces, a huge generated file, or an unterminated string or comment. Splitting the series into smaller pull requests also helps.",
      "- Pushing a new head reviews it again.",
      `- If the series is ordinary, tell whoever runs patchwarden and link this pull request: a slow review is a bug to fix. They can raise the limit with \`${knob}\`.`,
    ].join("\n"),
  ];
}
