// One pull request cannot hold up another: reviews run on worker threads
// with a time and a memory limit. The slow review here is made slow on
// purpose (test/app/test-worker.mjs burns CPU when the patch asks it to), so
// these tests keep meaning something after every slow rule is fixed. Run on
// the server's own thread, the spinning review would block the second
// installation's webhook and check for 30 s, and the ordering below fails.
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { renderSeries, type CommitSpec } from "../rules/rule-tester.js";
import { pullPayload, sendWebhook, startHarness, INSTALLATION_ID, type Harness } from "./harness.js";

const OTHER_INSTALLATION = INSTALLATION_ID + 1;
const TIME_LIMIT_MS = 3000;
const MEMORY_MB = 128;
// The slow cases wait out TIME_LIMIT_MS; jest's default 5 s leaves too little room on a busy machine.
const SLOW_TEST_MS = 20_000;

const xenCommit = (body: string): CommitSpec => ({
  subject: "x86/acpi: Ignore the PM timer on Xen dom0",
  body,
  files: [{ path: "arch/x86/kernel/acpi/boot.c", section: "static int __init acpi_parse_fadt(struct acpi_table_header *table)", hunk: " \tfoo();\n+\tif (xen_initial_domain())\n+\t\treturn 0;\n \tbar();" }],
});
const ORDINARY = renderSeries([xenCommit("Xen denies dom0 access to the PM timer's port, so detecting it only produces errors.")]);
// Far past the time limit: a limit that is not enforced shows as a test timeout, not a pass.
const SPINNING = renderSeries([xenCommit("Xen denies dom0 the PM timer.\n\nX-Test-Worker: spin 30000")]);
const HOGGING = renderSeries([xenCommit("Xen denies dom0 the PM timer.\n\nX-Test-Worker: hog")]);
const FAILING = renderSeries([xenCommit("Xen denies dom0 the PM timer.\n\nX-Test-Worker: throw")]);

let h: Harness;
let nextPull = 1;

beforeAll(async () => {
  h = await startHarness({ pool: { workers: 2, timeLimitMs: TIME_LIMIT_MS, memoryMb: MEMORY_MB }, workerFile: new URL("./test-worker.mjs", import.meta.url) });
  h.fake.addRepo("kernel", "linux");
  h.fake.addInstallation(OTHER_INSTALLATION, "other");
  h.fake.addRepo("other", "linux");
});
afterAll(async () => h?.stop());

function newPull(owner: string, patch: string) {
  const number = nextPull++;
  const headSha = `${number}`.padStart(40, "b");
  h.fake.addPullRequest(owner, "linux", { number, title: "ACPI PM timer", headSha, baseRef: "master", baseSha: "c".repeat(40), user: "contributor", patch });
  return { number, headSha, baseSha: "c".repeat(40), commits: 1, files: 1, owner, installation: owner === "kernel" ? INSTALLATION_ID : OTHER_INSTALLATION };
}

async function open(pr: ReturnType<typeof newPull>): Promise<void> {
  const res = await sendWebhook(h.url, "pull_request", pullPayload("opened", pr));
  expect(res.status).toBe(200);
}

/** Index in the fake's log of the first check run posted for `headSha`, or -1. */
function checkPostedAt(owner: string, headSha: string): number {
  return h.fake.requests.findIndex((r) => r.method === "POST" && r.path === `/repos/${owner}/linux/check-runs` && r.status === 201 && JSON.stringify(r.body ?? "").includes(headSha));
}

async function until(what: string, ok: () => boolean): Promise<void> {
  for (let i = 0; i < 400 && !ok(); i++) await new Promise((r) => setTimeout(r, 25));
  if (!ok()) throw new Error(`gave up waiting for ${what}`);
}

describe("a review that goes over its time budget", () => {
  it("is stopped and reported, while another installation's pull request sent after it is reviewed first", async () => {
    const slow = newPull("kernel", SPINNING);
    const other = newPull("other", ORDINARY);
    await open(slow);
    await open(other);

    await until("the other installation's review", () => h.fake.reviews("other", "linux", other.number).length > 0);
    // Done while the slow review was still running: nothing is posted for it yet.
    expect(h.fake.checkRuns("kernel", "linux", slow.headSha)).toEqual([]);
    expect(h.fake.checkRuns("other", "linux", other.headSha)[0]).toMatchObject({ conclusion: "failure" });
    const health = await fetch(`${h.url}/healthz`);
    expect(health.status).toBe(200);

    await h.queue.idle();
    const [check] = h.fake.checkRuns("kernel", "linux", slow.headSha);
    expect(check).toMatchObject({ conclusion: "failure" });
    expect(check!.output.title).toBe("Review stopped: over its time budget (3 s)");
    expect(check!.output.summary).toContain("Nothing was reviewed");
    expect(check!.output.summary).toContain("What to do");
    expect(h.fake.reviews("kernel", "linux", slow.number)).toHaveLength(0);
    expect(checkPostedAt("other", other.headSha)).toBeLessThan(checkPostedAt("kernel", slow.headSha));
  }, SLOW_TEST_MS);

  it("leaves the pool able to review the next pull request (the stopped thread is replaced)", async () => {
    const a = newPull("kernel", ORDINARY);
    const b = newPull("other", ORDINARY);
    await open(a);
    await open(b);
    await h.queue.idle();
    expect(h.fake.checkRuns("kernel", "linux", a.headSha)[0]).toMatchObject({ conclusion: "failure" });
    expect(h.fake.reviews("kernel", "linux", a.number)).toHaveLength(1);
    expect(h.fake.reviews("other", "linux", b.number)).toHaveLength(1);
  });
});

describe("a review that goes over its memory budget", () => {
  it("is stopped and reported, and the server goes on", async () => {
    const greedy = newPull("kernel", HOGGING);
    await open(greedy);
    await h.queue.idle();
    const [check] = h.fake.checkRuns("kernel", "linux", greedy.headSha);
    expect(check).toMatchObject({ conclusion: "failure" });
    expect(check!.output.title).toBe(`Review stopped: over its memory budget (${MEMORY_MB} MB)`);
    expect(check!.output.summary).toContain("REVIEW_MEMORY_MB");

    const next = newPull("other", ORDINARY);
    await open(next);
    await h.queue.idle();
    expect(h.fake.reviews("other", "linux", next.number)).toHaveLength(1);
  }, SLOW_TEST_MS);
});

describe("a review that fails (a bug in a rule)", () => {
  it("gets a failing check that says so instead of no check at all", async () => {
    const pr = newPull("kernel", FAILING);
    await open(pr);
    await h.queue.idle();
    const [check] = h.fake.checkRuns("kernel", "linux", pr.headSha);
    expect(check).toMatchObject({ conclusion: "failure" });
    expect(check!.output.title).toBe("Review failed: internal error");
    expect(check!.output.summary).toContain("TypeError: test worker: a deliberate bug");
  });
});

describe("the hostile line from issue 8", () => {
  // 81 characters that once took the C-declaration matcher more than 60 s.
  // Whether the rules have been made linear or not, the pull request gets an
  // answer (a review, or "over its time budget") and the next one is served.
  const line = `_\t_[]__0${"______0".repeat(10)} A=`;
  const hostile = renderSeries([{ subject: "x86/mm: Tidy", body: "The old code did the wrong thing; this changes it.", files: [{ path: "arch/x86/mm/init.c", hunk: ` \tfoo();\n+${line}\n \tbar();` }] }]);

  it("gets a check, and another installation's pull request sent after it gets its own", async () => {
    expect(line).toHaveLength(81);
    const slow = newPull("kernel", hostile);
    const other = newPull("other", ORDINARY);
    await open(slow);
    await open(other);
    await until("the other installation's check", () => h.fake.checkRuns("other", "linux", other.headSha).length > 0);
    await h.queue.idle();
    const [check] = h.fake.checkRuns("kernel", "linux", slow.headSha);
    expect(check).toBeDefined();
    expect(["success", "neutral", "failure"]).toContain(check!.conclusion);
  }, SLOW_TEST_MS);
});
