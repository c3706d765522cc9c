// The app end to end: the real HTTP server, signed webhooks built from
// GitHub's example payloads, and a fake GitHub on loopback that answers like
// the real API (tokens, media types, 404s, 406s, 422s, Retry-After).
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { renderSeries, type CommitSpec } from "../rules/rule-tester.js";
import { pullPayload, sendWebhook, startHarness, type Harness } from "./harness.js";

const OWNER = "kernel";
const REPO = "linux";

const xenCommit: CommitSpec = {
  subject: "x86/acpi: Ignore the PM timer on Xen dom0",
  body: "Xen denies dom0 access to the PM timer's port, so detecting it only produces errors.",
  files: [{ path: "arch/x86/kernel/acpi/boot.c", section: "static int __init acpi_parse_fadt(struct acpi_table_header *table)", hunk: " \tfoo();\n+\tif (xen_initial_domain())\n+\t\treturn 0;\n \tbar();" }],
};
const bareCommit: CommitSpec = { subject: "x86/smpboot: Make calculate_max_logical_packages() global", body: "", files: [{ path: "arch/x86/kernel/smpboot.c", hunk: " \tint ncpus;\n+\tint x;" }] };
const PATCH = renderSeries([xenCommit, bareCommit]);

let h: Harness;
let nextPull = 1;

beforeAll(async () => {
  // Long enough for a busy machine; short enough for the test of a GitHub that never answers.
  h = await startHarness({ requestTimeoutMs: 3_000 });
  h.fake.addRepo(OWNER, REPO);
});
afterAll(async () => h?.stop());

// The app reads labels, draft and head from GitHub when the job runs: the
// fake's state, not only the payload, says what happened.
function newPull(opts: { patch?: string; diff?: string; labels?: string[]; base?: string; draft?: boolean } = {}) {
  const number = nextPull++;
  const headSha = `${number}`.padStart(40, "a");
  const baseSha = opts.base ?? "c".repeat(40);
  h.fake.addPullRequest(OWNER, REPO, { number, title: "ACPI PM timer", headSha, baseRef: "master", baseSha, user: "contributor", patch: opts.patch ?? PATCH, labels: opts.labels ?? [], draft: opts.draft ?? false, ...(opts.diff ? { diff: opts.diff } : {}) });
  return { number, headSha, baseSha, commits: 2, files: 2 };
}

async function deliver(action: string, pr: ReturnType<typeof newPull>, extra: Parameters<typeof pullPayload>[1] extends infer T ? Partial<T> : never = {}, opts: { delivery?: string } = {}) {
  const res = await sendWebhook(h.url, "pull_request", pullPayload(action, { ...pr, ...extra }), opts);
  await h.queue.idle();
  return res;
}

describe("a pull request with a Xen special case", () => {
  it("gets one review with an inline comment, the changelog finding in the body, and a failing check", async () => {
    const pr = newPull();
    const started = performance.now();
    const res = await sendWebhook(h.url, "pull_request", pullPayload("opened", pr));
    expect(res.status).toBe(200);
    // The webhook is answered before the review is done.
    expect(performance.now() - started).toBeLessThan(2000);
    await h.queue.idle();

    const reviews = h.fake.reviews(OWNER, REPO, pr.number);
    expect(reviews).toHaveLength(1);
    const comments = h.fake.reviewComments(OWNER, REPO, pr.number);
    expect(comments.map((c) => [c.path, c.line])).toEqual([["arch/x86/kernel/acpi/boot.c", 11]]);
    expect(comments[0]!.body).toContain("Xen special case");
    expect(reviews[0]!.body).toContain("changelog-why");
    const checks = h.fake.checkRuns(OWNER, REPO, pr.headSha);
    expect(checks).toHaveLength(1);
    expect(checks[0]).toMatchObject({ name: "patchwarden", conclusion: "failure" });
    expect(checks[0]!.annotations.map((a) => [a.path, a.start_line, a.annotation_level])).toEqual([["arch/x86/kernel/acpi/boot.c", 11, "failure"]]);
  });

  it("does not comment again on a redelivery or on a push that keeps the same findings", async () => {
    const pr = newPull();
    await deliver("opened", pr, {}, { delivery: `d-${pr.number}` });
    await deliver("opened", pr, {}, { delivery: `d-${pr.number}` });
    expect(h.fake.reviews(OWNER, REPO, pr.number)).toHaveLength(1);
    expect(h.fake.checkRuns(OWNER, REPO, pr.headSha)).toHaveLength(1);

    const pushed = { ...pr, headSha: "e".repeat(40) };
    h.fake.addPullRequest(OWNER, REPO, { number: pr.number, title: "ACPI PM timer", headSha: pushed.headSha, baseRef: "master", baseSha: pr.baseSha, user: "contributor", patch: PATCH });
    await deliver("synchronize", pushed);
    expect(h.fake.reviews(OWNER, REPO, pr.number)).toHaveLength(1);
    expect(h.fake.reviewComments(OWNER, REPO, pr.number)).toHaveLength(1);
    expect(h.fake.checkRuns(OWNER, REPO, pushed.headSha)).toEqual([expect.objectContaining({ conclusion: "failure" })]);
  });

  it("a maintainer's label flips the check to neutral and says who; removing it restores the failure", async () => {
    const pr = newPull();
    await deliver("opened", pr);
    h.fake.setCollaboratorPermission(OWNER, REPO, "maintainer", "maintain");
    // After the review that reported the finding: a label covers what stood when it was added.
    h.fake.addLabelEvent(OWNER, REPO, pr.number, { label: "patchwarden/allow-hv-special-case", actor: "maintainer", event: "labeled", createdAt: new Date(Date.now() + 1_000).toISOString() });
    await deliver("labeled", pr, { labels: ["patchwarden/allow-hv-special-case"], label: "patchwarden/allow-hv-special-case", sender: "maintainer" });
    let checks = h.fake.checkRuns(OWNER, REPO, pr.headSha);
    expect(checks).toHaveLength(1);
    expect(checks[0]!.conclusion).toBe("neutral");
    expect(checks[0]!.output.title).toContain("@maintainer");
    expect(checks[0]!.output.text).toContain("| @maintainer | `patchwarden/allow-hv-special-case` |");

    h.fake.addLabelEvent(OWNER, REPO, pr.number, { label: "patchwarden/allow-hv-special-case", actor: "maintainer", event: "unlabeled", createdAt: new Date(Date.now() + 2_000).toISOString() });
    await deliver("unlabeled", pr, { labels: [], label: "patchwarden/allow-hv-special-case", sender: "maintainer" });
    checks = h.fake.checkRuns(OWNER, REPO, pr.headSha);
    expect(checks).toHaveLength(1);
    expect(checks[0]!.conclusion).toBe("failure");
  });

  it("an unrelated label costs one read (the pull request with its config), and posts nothing", async () => {
    const pr = newPull();
    await deliver("opened", pr);
    const mark = h.fake.requests.length;
    await deliver("labeled", pr, { labels: ["bug"], label: "bug", sender: "maintainer" });
    const calls = h.fake.requests.slice(mark).filter((r) => !r.path.endsWith("/access_tokens"));
    expect(calls.map((r) => [r.method, r.path, r.graphql?.operation])).toEqual([["POST", "/graphql", "PatchwardenPull"]]);
    expect(h.fake.checkRuns(OWNER, REPO, pr.headSha)).toHaveLength(1);
  });

  it("a contributor's label on the pull request is removed and explained whichever event runs the review (one coalesced into another)", async () => {
    const pr = newPull();
    h.fake.setCollaboratorPermission(OWNER, REPO, "contributor", "write");
    h.fake.addLabelEvent(OWNER, REPO, pr.number, { label: "patchwarden/override-all", actor: "contributor", event: "labeled", createdAt: "2026-11-25T11:00:00Z" });
    await deliver("opened", pr);
    expect(h.fake.checkRuns(OWNER, REPO, pr.headSha)[0]!.conclusion).toBe("failure");
    expect(h.fake.labels(OWNER, REPO, pr.number)).not.toContain("patchwarden/override-all");
    expect(h.fake.issueComments(OWNER, REPO, pr.number).map((c) => c.body)).toEqual([expect.stringContaining("only maintainers")]);
    await deliver("edited", pr);
    expect(h.fake.issueComments(OWNER, REPO, pr.number)).toHaveLength(1);
  });

  it("a contributor's label is ignored, removed, and explained", async () => {
    const pr = newPull();
    await deliver("opened", pr);
    h.fake.setCollaboratorPermission(OWNER, REPO, "contributor", "write");
    h.fake.addLabelEvent(OWNER, REPO, pr.number, { label: "patchwarden/override-all", actor: "contributor", event: "labeled", createdAt: "2026-11-25T11:00:00Z" });
    await deliver("labeled", pr, { labels: ["patchwarden/override-all"], label: "patchwarden/override-all", sender: "contributor" });
    expect(h.fake.checkRuns(OWNER, REPO, pr.headSha)[0]!.conclusion).toBe("failure");
    expect(h.fake.labels(OWNER, REPO, pr.number)).not.toContain("patchwarden/override-all");
    const comments = h.fake.issueComments(OWNER, REPO, pr.number);
    expect(comments).toHaveLength(1);
    expect(comments[0]!.body).toContain("only maintainers");
  });
});

describe("configuration", () => {
  it("a bad .github/patchwarden.yml gives a failing check that quotes the key and the reason", async () => {
    const pr = newPull();
    // Probot reads the config from the default branch, never from the pull request.
    h.fake.setFile(OWNER, REPO, "main", ".github/patchwarden.yml", "rules:\n  hv-special-case:\n    severity: fatal\n");
    await deliver("opened", pr);
    const checks = h.fake.checkRuns(OWNER, REPO, pr.headSha);
    expect(checks).toHaveLength(1);
    expect(checks[0]!.conclusion).toBe("failure");
    expect(checks[0]!.output.summary).toContain("rules.hv-special-case.severity: must be one of error, warning, info");
    expect(h.fake.reviews(OWNER, REPO, pr.number)).toHaveLength(0);
    h.fake.setFile(OWNER, REPO, "main", ".github/patchwarden.yml", null);
  });
});

describe("GitHub's refusals", () => {
  it("falls back to the listed files when the patch is too large (406) and never concludes success", async () => {
    const pr = newPull();
    h.fake.setPatchTooLarge(OWNER, REPO, pr.number, true);
    await deliver("opened", pr);
    const checks = h.fake.checkRuns(OWNER, REPO, pr.headSha);
    expect(checks[0]!.conclusion).toBe("failure");
    expect(checks[0]!.output.summary).toContain("diff too large");
    expect(h.fake.reviewComments(OWNER, REPO, pr.number).map((c) => c.path)).toEqual(["arch/x86/kernel/acpi/boot.c"]);
  });

  it("waits out a secondary rate limit (403 with Retry-After) and posts once", async () => {
    const pr = newPull();
    h.fake.failNext("POST", /\/pulls\/\d+\/reviews$/, 403, { headers: { "retry-after": "1" }, body: { message: "You have exceeded a secondary rate limit." } });
    await deliver("opened", pr);
    expect(h.fake.reviews(OWNER, REPO, pr.number)).toHaveLength(1);
  });
});

describe("bad input", () => {
  it("a patch that does not parse gives a failing check that says where, and the next pull request is still reviewed", async () => {
    // The fake derives its own diff from a patch; give it a valid one so only our reader meets the broken hunk.
    const broken = newPull({
      patch: "From 1111111111111111111111111111111111111111 Mon Sep 17 00:00:00 2001\nFrom: A <a@example.org>\nSubject: [PATCH] x\n\nbody\n---\ndiff --git a/x.c b/x.c\n--- a/x.c\n+++ b/x.c\n@@ -1,3 +1,3 @@\n a\n",
      diff: "diff --git a/x.c b/x.c\n--- a/x.c\n+++ b/x.c\n@@ -1 +1 @@\n-a\n+b\n",
    });
    await deliver("opened", broken);
    const checks = h.fake.checkRuns(OWNER, REPO, broken.headSha);
    expect(checks).toHaveLength(1);
    expect(checks[0]!.conclusion).toBe("failure");
    expect(checks[0]!.output.summary).toContain("hunk ends early");
    const fine = newPull();
    await deliver("opened", fine);
    expect(h.fake.reviews(OWNER, REPO, fine.number)).toHaveLength(1);
  });
});

describe("what GitHub accepts", () => {
  it("moves inline comments into the body when GitHub answers 422 for a line outside the diff", async () => {
    const pr = newPull();
    // GitHub's own diff of the pull request lacks the file the finding is on.
    h.fake.addPullRequest(OWNER, REPO, {
      number: pr.number,
      title: "t",
      headSha: pr.headSha,
      baseRef: "master",
      baseSha: pr.baseSha,
      user: "contributor",
      patch: PATCH,
      diff: "diff --git a/README b/README\n--- a/README\n+++ b/README\n@@ -1 +1 @@\n-a\n+b\n",
    });
    await deliver("opened", pr);
    const reviews = h.fake.reviews(OWNER, REPO, pr.number);
    expect(reviews).toHaveLength(1);
    expect(reviews[0]!.body).toContain("Could not be placed on the diff");
    expect(reviews[0]!.body).toContain("arch/x86/kernel/acpi/boot.c:11");
    expect(h.fake.requestsTo("POST", /\/pulls\/\d+\/reviews$/).filter((r) => r.path.includes(`/pulls/${pr.number}/`)).map((r) => r.status)).toEqual([422, 200]);
  });

  it("sends annotations in batches of 50", async () => {
    const hunk = Array.from({ length: 60 }, (_, i) => `+\tif (xen_pv_domain())\n+\t\tf${i}();`).join("\n");
    const pr = newPull({ patch: renderSeries([{ ...xenCommit, files: [{ path: "arch/x86/mm/init.c", hunk }] }]) });
    await deliver("opened", pr);
    const checks = h.fake.checkRuns(OWNER, REPO, pr.headSha);
    expect(checks).toHaveLength(1);
    expect(checks[0]!.annotations).toHaveLength(60);
    expect(h.fake.reviewComments(OWNER, REPO, pr.number)).toHaveLength(30);
    expect(h.fake.reviews(OWNER, REPO, pr.number)[0]!.body).toContain("beyond the inline comment limit");
  });

  it("a job that keeps failing (GitHub answering 502 to every read of the pull request) ends in a neutral check that says so", async () => {
    const pr = newPull();
    // Only this pull request's reads fail (the first, over GraphQL, and the patch): what is left unused harms no other test.
    h.fake.failNextGraphql("PatchwardenPull", 502, { times: 1000, variables: { number: pr.number } });
    h.fake.failNext("GET", new RegExp(`/pulls/${pr.number}$`), 502, { times: 1000 });
    await deliver("opened", pr);
    const checks = h.fake.checkRuns(OWNER, REPO, pr.headSha);
    expect(checks).toHaveLength(1);
    expect(checks[0]!.conclusion).toBe("neutral");
    expect(checks[0]!.output.title).toBe("Review not done: failed 3 times");
    expect(checks[0]!.output.summary).toContain("Nothing was reviewed");
    expect(h.fake.reviews(OWNER, REPO, pr.number)).toHaveLength(0);
  });

  it("a request GitHub never answers is abandoned after the timeout and tried again; the review is posted once", async () => {
    const pr = newPull();
    // The read of what is on GitHub, right before posting.
    const held = h.fake.holdNextGraphql("PatchwardenPosted", { number: pr.number });
    await deliver("opened", pr);
    await held.gone;
    expect(h.fake.reviews(OWNER, REPO, pr.number)).toHaveLength(1);
    expect(h.fake.checkRuns(OWNER, REPO, pr.headSha)).toHaveLength(1);
  }, 30_000);

  it("retries a 502 and still posts one check run", async () => {
    const pr = newPull();
    h.fake.failNext("POST", /\/check-runs$/, 502);
    await deliver("opened", pr);
    expect(h.fake.checkRuns(OWNER, REPO, pr.headSha)).toHaveLength(1);
    expect(h.fake.reviews(OWNER, REPO, pr.number)).toHaveLength(1);
  });
});

describe("webhooks", () => {
  it("refuses unsigned and mis-signed webhooks and posts nothing", async () => {
    const pr = newPull();
    const before = h.fake.requests.length;
    expect((await sendWebhook(h.url, "pull_request", pullPayload("opened", pr), { secret: null })).status).toBeGreaterThanOrEqual(400);
    expect((await sendWebhook(h.url, "pull_request", pullPayload("opened", pr), { secret: "wrong" })).status).toBeGreaterThanOrEqual(400);
    await h.queue.idle();
    expect(h.fake.requests.length).toBe(before);
  });

  it("skips drafts when the repository says so, and reviews them by default", async () => {
    const pr = newPull({ draft: true });
    await deliver("opened", pr, { draft: true });
    expect(h.fake.checkRuns(OWNER, REPO, pr.headSha)).toHaveLength(1);
    h.fake.setFile(OWNER, REPO, "main", ".github/patchwarden.yml", "app:\n  reviewDrafts: false\n");
    const draft = newPull({ draft: true });
    await deliver("opened", draft, { draft: true });
    expect(h.fake.checkRuns(OWNER, REPO, draft.headSha)).toHaveLength(0);
    h.fake.setFile(OWNER, REPO, "main", ".github/patchwarden.yml", null);
  });

  it("re-reviews when the title or body is edited, without commenting twice", async () => {
    const pr = newPull();
    await deliver("opened", pr);
    await deliver("edited", pr);
    expect(h.fake.checkRuns(OWNER, REPO, pr.headSha)).toHaveLength(1);
    expect(h.fake.reviews(OWNER, REPO, pr.number)).toHaveLength(1);
    expect(h.reviewed.at(-1)!.conclusion).toBe("failure");
  });

  it("does nothing for a closed pull request", async () => {
    const pr = newPull();
    const payload = pullPayload("closed", pr) as { pull_request: { state: string } };
    payload.pull_request.state = "closed";
    await sendWebhook(h.url, "pull_request", payload);
    await h.queue.idle();
    expect(h.fake.checkRuns(OWNER, REPO, pr.headSha)).toHaveLength(0);
  });

  it("answers GET /healthz", async () => {
    const res = await fetch(`${h.url}/healthz`);
    expect(res.status).toBe(200);
  });

  it("serves Prometheus metrics: jobs by state, review latency, GitHub requests and rate limit", async () => {
    const res = await fetch(`${h.url}/metrics`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toContain("text/plain");
    const text = await res.text();
    expect(text).toMatch(/^patchwarden_jobs\{state="waiting"\} 0$/m);
    expect(text).toMatch(/^patchwarden_jobs\{state="failed"\} 0$/m);
    expect(Number(/^patchwarden_review_latency_seconds_count (\d+)$/m.exec(text)?.[1])).toBe(h.reviewed.length);
    expect(Number(/^patchwarden_github_requests_total\{status="200"\} (\d+)$/m.exec(text)?.[1])).toBeGreaterThan(h.reviewed.length);
    expect(text).toMatch(/^patchwarden_github_requests_total\{status="502"\} \d+$/m);
    expect(text).toMatch(/^patchwarden_github_rate_limit_remaining \d+$/m);
    expect(text).toMatch(/^patchwarden_reviews_total\{outcome="gave up"\} 1$/m);
    expect(text).toMatch(/^patchwarden_process_resident_memory_bytes \d+$/m);
  });

  it("makes few API calls per review (test/app/api-calls.test.ts counts them exactly)", () => {
    // Besides the token: the pull request with config and MAINTAINERS, the patch, what is posted, check run, review;
    // the first review of the process also asks who the app is, and this file's faults add retries.
    const opened = h.reviewed.filter((r) => r.conclusion !== null);
    expect(opened.length).toBeGreaterThan(0);
    for (const r of opened) expect(r.calls).toBeLessThanOrEqual(12);
  });
});
