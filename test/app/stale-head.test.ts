// A review is only posted for the head it was built from, checked before and
// after the patch is read; and what is on GitHub for a head is found again by
// every run. Deterministic: the fake holds a request while the test moves the
// pull request, so each guarantee fails here when its check is taken out.
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { XEN_DOM0_PATCH } from "./xen-dom0-patch.js";
import { pullPayload, sendWebhook, startHarness, type Harness } from "./harness.js";

const OWNER = "kernel";
const REPO = "linux";
const BASE = "c".repeat(40);
const PATCH = XEN_DOM0_PATCH;

let h: Harness;
let next = 1;
// What BullMQ's lock check would answer for the run about to post.
let owned = true;
beforeAll(async () => {
  h = await startHarness({ stillOwned: async () => owned });
  h.fake.addRepo(OWNER, REPO);
});
afterAll(async () => h?.stop());

/**
 * A push on top of `onTop` keeps the older head a commit of the pull request,
 * so GitHub (and the fake) would still take a check run or a review for it:
 * only the app's own checks keep it from posting one.
 */
function push(number: number, headSha: string, onTop?: string) {
  const commits = [...(onTop ? [{ sha: onTop, message: "x86/acpi: Ignore the PM timer on Xen dom0" }] : []), { sha: headSha, message: "x86/acpi: Ignore the PM timer on Xen dom0" }];
  h.fake.addPullRequest(OWNER, REPO, { number, title: "t", headSha, baseRef: "master", baseSha: BASE, user: "contributor", patch: PATCH, commits });
  return { number, headSha, baseSha: BASE, commits: 1, files: 1 };
}

describe("the head a review names", () => {
  it("moved before the job ran: nothing read past the pull request, nothing posted", async () => {
    const number = next++;
    const old = push(number, "1".repeat(40));
    push(number, "2".repeat(40), old.headSha);
    await sendWebhook(h.url, "pull_request", pullPayload("opened", old));
    await h.queue.idle();
    expect(h.fake.checkRuns(OWNER, REPO, old.headSha)).toHaveLength(0);
    expect(h.fake.reviews(OWNER, REPO, number)).toHaveLength(0);
  });

  it("moved while the patch was read: the review built from it is dropped, nothing posted for the old head", async () => {
    const number = next++;
    const old = push(number, "3".repeat(40));
    // The patch is the only REST read of the pull request.
    const held = h.fake.holdNext("GET", new RegExp(`/pulls/${number}$`));
    await sendWebhook(h.url, "pull_request", pullPayload("opened", old));
    await held.arrived;
    push(number, "4".repeat(40), old.headSha);
    held.release();
    await h.queue.idle();
    expect(h.fake.checkRuns(OWNER, REPO, old.headSha)).toHaveLength(0);
    expect(h.fake.reviews(OWNER, REPO, number)).toHaveLength(0);
  });
});

describe("what is on GitHub for a head", () => {
  it("a check run posted by a run that then died (no review) is updated by the next run, not posted again; the review is posted once", async () => {
    const number = next++;
    const pr = push(number, "5".repeat(40));
    // The first run's review is refused for good (a 404 is not retried): it leaves its check run behind.
    h.fake.failNext("POST", new RegExp(`/pulls/${number}/reviews$`), 404);
    await sendWebhook(h.url, "pull_request", pullPayload("opened", pr));
    await h.queue.idle();
    expect([h.fake.checkRuns(OWNER, REPO, pr.headSha).length, h.fake.reviews(OWNER, REPO, number).length]).toEqual([1, 0]);
    await sendWebhook(h.url, "pull_request", pullPayload("opened", pr));
    await h.queue.idle();
    expect([h.fake.checkRuns(OWNER, REPO, pr.headSha).length, h.fake.reviews(OWNER, REPO, number).length]).toEqual([1, 1]);
    await sendWebhook(h.url, "pull_request", pullPayload("opened", pr));
    await h.queue.idle();
    expect([h.fake.checkRuns(OWNER, REPO, pr.headSha).length, h.fake.reviews(OWNER, REPO, number).length]).toEqual([1, 1]);
  });
});

describe("a run that no longer holds its job", () => {
  it("posts nothing (another replica has the job), and the run that holds it posts once", async () => {
    const number = next++;
    const pr = push(number, "6".repeat(40));
    owned = false;
    try {
      await sendWebhook(h.url, "pull_request", pullPayload("opened", pr));
      await h.queue.idle();
    } finally {
      owned = true;
    }
    expect([h.fake.checkRuns(OWNER, REPO, pr.headSha).length, h.fake.reviews(OWNER, REPO, number).length]).toEqual([0, 0]);
    await sendWebhook(h.url, "pull_request", pullPayload("opened", pr));
    await h.queue.idle();
    expect([h.fake.checkRuns(OWNER, REPO, pr.headSha).length, h.fake.reviews(OWNER, REPO, number).length]).toEqual([1, 1]);
  });
});
