import { failedDeliveries, redeliver } from "../github/hook-deliveries.js";
import type { Octokit } from "../github/types.js";

// A webhook answered 503 (Redis away) or never answered (every replica
// down) is marked failed by GitHub and never sent again by itself. The
// sweeper asks GitHub to redeliver those, once each: the redelivery comes
// back through the webhook route like any delivery, under the same id.

export interface SweepOptions {
  /** How far back to look. */
  windowMs: number;
  now: () => number;
  /** True the first time a delivery's GUID is claimed, across replicas: one redelivery per delivery, ever. */
  claim: (guid: string) => Promise<boolean>;
}

export async function sweepFailedDeliveries(appOctokit: Octokit, options: SweepOptions): Promise<{ redelivered: string[]; calls: number }> {
  const { failed, calls } = await failedDeliveries(appOctokit, "pull_request", options.now() - options.windowMs);
  const redelivered: string[] = [];
  let made = calls;
  for (const d of failed) {
    if (!(await options.claim(d.guid))) continue;
    await redeliver(appOctokit, d.id);
    made++;
    redelivered.push(d.guid);
  }
  return { redelivered, calls: made };
}
