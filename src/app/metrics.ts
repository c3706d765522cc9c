import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from "prom-client";
import type { ReviewQueue } from "./review-job.js";

// What an operator scrapes at /metrics (Prometheus text format): the queue,
// how long a webhook waits for its check, and what GitHub is asked.

export class AppMetrics {
  readonly registry = new Registry();
  private readonly latency = new Histogram({
    name: "patchwarden_review_latency_seconds",
    help: "From the webhook's arrival to the review posted (or dropped)",
    buckets: [0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120],
    registers: [this.registry],
  });
  private readonly calls = new Counter({ name: "patchwarden_github_requests_total", help: "Requests made to GitHub's API, by HTTP status", labelNames: ["status"], registers: [this.registry] });
  private readonly remaining = new Gauge({ name: "patchwarden_github_rate_limit_remaining", help: "x-ratelimit-remaining of the last GitHub answer", registers: [this.registry] });
  private readonly outcomes = new Counter({ name: "patchwarden_reviews_total", help: "Reviews run, by outcome", labelNames: ["outcome"], registers: [this.registry] });

  constructor(queue: ReviewQueue) {
    collectDefaultMetrics({ register: this.registry, prefix: "patchwarden_" });
    new Gauge({
      name: "patchwarden_jobs",
      help: "Review jobs by state (the whole queue, shared by every replica on one Redis)",
      labelNames: ["state"],
      registers: [this.registry],
      async collect() {
        const c = await queue.counts().catch(() => null);
        if (!c) return;
        for (const [state, n] of Object.entries(c)) this.set({ state }, n);
      },
    });
  }

  reviewed(outcome: string, latencyMs: number): void {
    this.outcomes.inc({ outcome });
    this.latency.observe(latencyMs / 1000);
  }

  failed(outcome: string): void {
    this.outcomes.inc({ outcome });
  }

  githubAnswered(status: number, headers: Record<string, unknown>): void {
    this.calls.inc({ status: String(status) });
    const left = Number(headers["x-ratelimit-remaining"]);
    if (Number.isFinite(left)) this.remaining.set(left);
  }
}
