import type { ApplicationFunction, Context, Probot } from "probot";
import { readOnlyTokens, type Mirrors } from "../github/mirror.js";
import type { Octokit } from "../github/types.js";
import { MemoryQueue } from "./memory-queue.js";
import { AppMetrics } from "./metrics.js";
import { DEFAULT_POOL } from "./pool-settings.js";
import { jobKey, QueueUnavailable, type ReviewJob, type ReviewQueue } from "./review-job.js";
import { ReviewPool, type Analyzer } from "./review-pool.js";
import type { PullEvent } from "./review-pull.js";
import { reportQueueGaveUp, runReview, type RunDeps } from "./run-review.js";
import { sweepFailedDeliveries } from "./sweeper.js";

export interface AppOptions {
  /** Where jobs wait and which worker runs them (default: in this process's memory). */
  queue?: ReviewQueue;
  now?: () => Date;
  /** Where reviews run (a worker pool; its owner closes it). Default: a pool of DEFAULT_POOL, never closed. */
  analyzer?: Analyzer;
  /** Called after each review, with the API calls it made (for the bench and logs). */
  onReviewed?: (event: PullEvent, outcome: { calls: number; conclusion: string | null; ms: number; latencyMs: number }) => void;
  /** Asks GitHub to redeliver failed webhooks of the last `windowMs`, every `everyMs` (default: none). */
  sweep?: { everyMs: number; windowMs: number };
  /** The app's mirrors of the repositories it reviews (MIRROR_DIR); without, reviews run on the series alone and say so. */
  mirror?: Mirrors;
}

const EVENTS: ("pull_request.opened" | "pull_request.reopened" | "pull_request.synchronize" | "pull_request.edited" | "pull_request.ready_for_review" | "pull_request.labeled" | "pull_request.unlabeled")[] = [
  "pull_request.opened",
  "pull_request.reopened",
  "pull_request.synchronize",
  "pull_request.edited",
  "pull_request.ready_for_review",
  "pull_request.labeled",
  "pull_request.unlabeled",
];

/**
 * The app: wiring only. A webhook becomes a stored job and is answered (503
 * when the job could not be stored, so GitHub counts it failed); the queue's
 * worker reviews. /healthz: the process is alive; /readyz: it can work;
 * /metrics: Prometheus text.
 */
export function createApp(options: AppOptions = {}): ApplicationFunction {
  return (app: Probot, { addHandler }) => {
    const queue = options.queue ?? new MemoryQueue((job, err) => app.log.error({ err, job: job && jobKey(job) }, "review failed"));
    const now = options.now ?? (() => new Date());
    const analyzer = options.analyzer ?? new ReviewPool(DEFAULT_POOL);
    const metrics = new AppMetrics(queue);
    // Its fetches authenticate with tokens asked for with the app's JWT (contents: read, one repository).
    options.mirror?.connect(
      readOnlyTokens(async () => (await app.auth()) as unknown as Octokit),
      app.log,
    );

    const deps: RunDeps = {
      auth: async (id) => {
        const octokit = (await app.auth(id)) as unknown as Octokit;
        octokit.hook.after("request", (res) => metrics.githubAnswered(res.status, res.headers));
        octokit.hook.error("request", (err) => {
          const e = err as { status?: number; response?: { headers?: Record<string, unknown> } };
          metrics.githubAnswered(e.status ?? 0, e.response?.headers ?? {});
          throw err;
        });
        return octokit;
      },
      analyzer,
      now,
      log: app.log,
      ...(options.mirror ? { mirror: options.mirror } : {}),
      onFailed: (outcome) => metrics.failed(outcome),
      onReviewed: (event, outcome) => {
        metrics.reviewed(outcome.conclusion ?? "skipped", outcome.latencyMs);
        options.onReviewed?.(event, outcome);
      },
    };
    queue.start(
      (job, attempt) => runReview(job, attempt, deps),
      (job, err, runs) => reportQueueGaveUp(job, err, runs, deps),
    );

    const sweep = options.sweep;
    if (sweep) {
      queue
        .every("redeliver-failed-webhooks", sweep.everyMs, async () => {
          const octokit = (await app.auth()) as unknown as Octokit;
          const { redelivered } = await sweepFailedDeliveries(octokit, { windowMs: sweep.windowMs, now: Date.now, claim: (guid) => queue.claim(`redelivered:${guid}`) });
          if (redelivered.length > 0) app.log.info({ redelivered }, "asked GitHub to redeliver failed webhooks");
        })
        .catch((err: unknown) => app.log.warn({ err }, "the failed-webhook sweep could not be scheduled"));
    }

    addHandler(async (req, res) => {
      if (req.method !== "GET") return false;
      if (req.url === "/healthz") {
        res.writeHead(200, { "content-type": "application/json" }).end('{"status":"ok"}');
        return true;
      }
      if (req.url === "/readyz") {
        const why = await notReady(app, queue);
        res.writeHead(why ? 503 : 200, { "content-type": "application/json" }).end(JSON.stringify(why ? { status: "not ready", reason: why } : { status: "ready" }));
        return true;
      }
      if (req.url === "/metrics") {
        res.writeHead(200, { "content-type": metrics.registry.contentType }).end(await metrics.registry.metrics());
        return true;
      }
      return false;
    });

    app.on(EVENTS, async (context) => {
      const job = reviewJobOf(context as unknown as PullContext);
      if (!job) return;
      const ids = { delivery: context.id, repository: `${job.owner}/${job.repo}`, pull: job.pull_number, head: job.headSha, job: jobKey(job) };
      try {
        const result = await queue.add(context.id, job);
        app.log.info({ ...ids, outcome: result }, result === "queued" ? "webhook queued" : "redelivery ignored");
      } catch (err) {
        if (err instanceof QueueUnavailable) app.log.warn({ ...ids, outcome: "refused 503" }, err.message);
        throw err;
      }
    });
  };
}

async function notReady(app: Probot, queue: ReviewQueue): Promise<string | null> {
  try {
    // Signs a JWT with the app's key: no request is made.
    await ((await app.auth()) as unknown as Octokit).auth({ type: "app" });
  } catch (err) {
    return `the private key does not sign: ${(err as Error).message}`;
  }
  return queue.notReady();
}

type PullContext = Context<"pull_request">;

/** The job a webhook asks for, or null when it asks for nothing (closed, an unchanged edit). */
export function reviewJobOf(context: PullContext): ReviewJob | null {
  const p = context.payload;
  const pr = p.pull_request;
  const installation = (p as { installation?: { id: number } }).installation;
  if (pr.state !== "open" || !installation) return null;
  if (p.action === "edited" && !("changes" in p && (p.changes.title || p.changes.body))) return null;
  const label = "label" in p && p.label ? { name: p.label.name, sender: p.sender.login } : undefined;
  return {
    installation: installation.id,
    owner: p.repository.owner.login,
    repo: p.repository.name,
    pull_number: pr.number,
    headSha: pr.head.sha,
    baseSha: pr.base.sha,
    action: p.action,
    delivery: context.id,
    receivedAt: Date.now(),
    ...(label ? { label } : {}),
  };
}

export default createApp();
