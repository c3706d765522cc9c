import type { ApplicationFunction, Context, Probot } from "probot";
import { guardConfigReads, type ConfigReader } from "../github/config.js";
import { respectRetryAfter } from "../github/rate-limit.js";
import type { Octokit } from "../github/types.js";
import { DEFAULT_POOL } from "./pool-settings.js";
import { InMemoryDeliveries, noLock, PullQueue, type DeliveryMemory, type PullLock } from "./queue.js";
import { ReviewPool, type Analyzer } from "./review-pool.js";
import { reviewPull, type PullEvent } from "./review-pull.js";

export interface AppOptions {
  deliveries?: DeliveryMemory;
  lock?: PullLock;
  /** Receives the queue, to wait for it on shutdown (and in tests). */
  onQueue?: (queue: PullQueue) => void;
  now?: () => Date;
  /** Where reviews run (a worker pool; its owner closes it). Default: a pool of DEFAULT_POOL, never closed. */
  analyzer?: Analyzer;
  /** Called after each review, with the API calls it made (for the bench and logs). */
  onReviewed?: (event: PullEvent, outcome: { calls: number; conclusion: string | null; ms: number }) => void;
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

/** The app: wiring only. Webhooks become queued reviews; /healthz answers 200. */
export function createApp(options: AppOptions = {}): ApplicationFunction {
  return (app: Probot, { addHandler }) => {
    const queue = new PullQueue(options.deliveries ?? new InMemoryDeliveries(), options.lock ?? noLock, (key, err) => app.log.error({ err, pull: key }, "review failed"));
    options.onQueue?.(queue);
    const now = options.now ?? (() => new Date());
    const analyzer = options.analyzer ?? new ReviewPool(DEFAULT_POOL);

    addHandler((req, res) => {
      if (req.method !== "GET" || req.url !== "/healthz") return false;
      res.writeHead(200, { "content-type": "application/json" }).end('{"status":"ok"}');
      return true;
    });

    app.on(EVENTS, async (context) => {
      const event = pullEvent(context as unknown as PullContext);
      if (!event) return;
      const octokit = context.octokit as unknown as Octokit;
      respectRetryAfter(octokit);
      guardConfigReads(octokit);
      const key = `${event.pull.owner}/${event.pull.repo}#${event.pull.pull_number}`;
      const queued = await queue.enqueue(context.id, key, async () => {
        const started = performance.now();
        const outcome = await reviewPull(event, { octokit, config: context as unknown as ConfigReader, now, analyzer });
        const ms = performance.now() - started;
        context.log.info({ pull: key, head: event.headSha, calls: outcome.calls, conclusion: outcome.conclusion, skipped: outcome.skipped, ms: Math.round(ms) }, "reviewed");
        options.onReviewed?.(event, { calls: outcome.calls, conclusion: outcome.conclusion, ms });
      });
      if (!queued) context.log.info({ delivery: context.id }, "redelivery ignored");
    });
  };
}

type PullContext = Context<"pull_request">;

/** The review's input from the payload, or null when the event asks for nothing (closed, an unchanged edit). */
export function pullEvent(context: PullContext): PullEvent | null {
  const p = context.payload;
  const pr = p.pull_request;
  if (pr.state !== "open") return null;
  if (p.action === "edited" && !("changes" in p && (p.changes.title || p.changes.body))) return null;
  const label = "label" in p && p.label ? { name: p.label.name, sender: p.sender.login } : undefined;
  return {
    action: p.action,
    pull: { owner: p.repository.owner.login, repo: p.repository.name, pull_number: pr.number },
    headSha: pr.head.sha,
    baseSha: pr.base.sha,
    headRef: pr.head.ref,
    draft: pr.draft ?? false,
    labels: (pr.labels ?? []).map((l) => l.name),
    commits: pr.commits ?? 0,
    changedFiles: pr.changed_files ?? 0,
    ...(label ? { label } : {}),
  };
}

export default createApp();
