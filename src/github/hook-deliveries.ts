import type { Octokit } from "./types.js";

// GitHub does not retry a webhook delivery that failed; it keeps a log of
// every delivery (and its HTTP status) and redelivers one when asked. Read
// with the app's JWT, not an installation's token.

export interface FailedDelivery {
  /** The newest attempt's id: the one to redeliver. */
  id: number;
  /** The delivery's GUID (X-GitHub-Delivery), the same on every attempt. */
  guid: string;
  event: string;
  statusCode: number;
}

/** At most this many pages of 100 are read per sweep. */
const MAX_PAGES = 10;

/**
 * Deliveries of `event` since `sinceMs` none of whose attempts succeeded, and
 * whose last attempt failed in a way a redelivery can fix (5xx, or no
 * answer: status 0). A 400 (a bad signature) would fail again.
 */
export async function failedDeliveries(octokit: Octokit, event: string, sinceMs: number): Promise<{ failed: FailedDelivery[]; calls: number }> {
  const byGuid = new Map<string, { ok: boolean; newest: { id: number; at: number; statusCode: number; event: string } }>();
  let calls = 0;
  for await (const page of octokit.paginate.iterator(octokit.rest.apps.listWebhookDeliveries, { per_page: 100 })) {
    calls++;
    let older = false;
    for (const d of page.data) {
      const at = Date.parse(d.delivered_at);
      if (at < sinceMs) {
        older = true;
        continue;
      }
      const seen = byGuid.get(d.guid) ?? { ok: false, newest: { id: d.id, at, statusCode: d.status_code, event: d.event } };
      if (d.status_code >= 200 && d.status_code < 300) seen.ok = true;
      if (at > seen.newest.at || (at === seen.newest.at && d.id > seen.newest.id)) seen.newest = { id: d.id, at, statusCode: d.status_code, event: d.event };
      byGuid.set(d.guid, seen);
    }
    // Newest first: past the window, the rest is older still.
    if (older || calls >= MAX_PAGES) break;
  }
  const failed = [...byGuid.entries()]
    .filter(([, d]) => !d.ok && d.newest.event === event && (d.newest.statusCode === 0 || d.newest.statusCode >= 500))
    .map(([guid, d]) => ({ id: d.newest.id, guid, event: d.newest.event, statusCode: d.newest.statusCode }));
  return { failed, calls };
}

export async function redeliver(octokit: Octokit, id: number): Promise<void> {
  await octokit.rest.apps.redeliverWebhookDelivery({ delivery_id: id });
}
