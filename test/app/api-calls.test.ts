// How many requests a review sends to GitHub's API (issue 13: at most 5
// besides the installation token, MAINTAINERS included), counted on the fake
// GitHub's own log of what it received: every request except
// POST /app/installations/:id/access_tokens, retries and GraphQL included.
// A count, not a timing.
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import type { RecordedRequest } from "../fake-github/index.js";
import { renderSeries } from "../rules/rule-tester.js";
import { XEN_DOM0_PATCH } from "./xen-dom0-patch.js";
import { pullPayload, sendWebhook, startHarness, type Harness } from "./harness.js";

const OWNER = "kernel";
const REPO = "linux";
const BUDGET = 5;
const PATCH = XEN_DOM0_PATCH;
const MAINTAINERS = "X86 ARCHITECTURE\nM:\tA <a@example.org>\nF:\tarch/x86/\n\nXEN HYPERVISOR X86\nM:\tB <b@example.org>\nF:\tarch/x86/xen/\n";

let h: Harness;
let next = 1;
let base = 1;

beforeAll(async () => {
  h = await startHarness();
  h.fake.addRepo(OWNER, REPO);
});
afterAll(async () => h?.stop());

/** A pull request on a base of its own, whose MAINTAINERS no review has read yet. */
function newPull(opts: { patch?: string } = {}) {
  const number = next++;
  const baseSha = `${base++}`.padStart(40, "c");
  h.fake.setFile(OWNER, REPO, baseSha, "MAINTAINERS", MAINTAINERS);
  const headSha = `${number}`.padStart(40, "a");
  h.fake.addPullRequest(OWNER, REPO, { number, title: "t", headSha, baseRef: "master", baseSha, user: "contributor", patch: opts.patch ?? PATCH });
  return { number, headSha, baseSha, commits: 1, files: 1 };
}

/** Delivers the webhook and returns what the review sent to GitHub, the token aside. */
async function calls(action: string, pr: ReturnType<typeof newPull>, extra: Partial<Parameters<typeof pullPayload>[1]> = {}): Promise<RecordedRequest[]> {
  const mark = h.fake.mark();
  const res = await sendWebhook(h.url, "pull_request", pullPayload(action, { ...pr, ...extra }));
  expect(res.status).toBe(200);
  await h.queue.idle();
  return h.fake.callsSince(mark).filter((r) => !/^\/app\/installations\/\d+\/access_tokens$/.test(r.path));
}

const shown = (rs: RecordedRequest[]) => rs.map((r) => `${r.method} ${r.path}${r.graphql ? ` ${r.graphql.operation}` : ""}`);

describe("GitHub API calls per review, besides the installation token", () => {
  it("the process's first review also asks who the app is (GET /app, once per process)", async () => {
    const made = await calls("opened", newPull());
    expect(shown(made).filter((c) => c === "GET /app")).toHaveLength(1);
    expect(made.length).toBeLessThanOrEqual(BUDGET + 1);
  });

  it(`a first review (MAINTAINERS of a new base read, a check run and a review posted): at most ${BUDGET}`, async () => {
    const pr = newPull();
    const made = await calls("opened", pr);
    expect(h.fake.reviews(OWNER, REPO, pr.number)).toHaveLength(1);
    expect(h.fake.checkRuns(OWNER, REPO, pr.headSha)).toHaveLength(1);
    // MAINTAINERS came with the pull request: the review names the subsystem from it.
    expect(made.some((r) => r.graphql?.operation === "PatchwardenPull" && r.graphql.variables.withMaintainers === true)).toBe(true);
    expect(shown(made)).toEqual([
      "POST /graphql PatchwardenPull",
      `GET /repos/${OWNER}/${REPO}/pulls/${pr.number}`,
      "POST /graphql PatchwardenPosted",
      `POST /repos/${OWNER}/${REPO}/check-runs`,
      `POST /repos/${OWNER}/${REPO}/pulls/${pr.number}/reviews`,
    ]);
    expect(made.length).toBeLessThanOrEqual(BUDGET);
  });

  it(`a push with a new finding, a replay of the same webhook, and a re-run of the same head: at most ${BUDGET} each`, async () => {
    const pr = newPull();
    await calls("opened", pr);
    const pushed = { ...pr, headSha: "e".repeat(39) + "1" };
    const two = renderSeries([
      { subject: "x86/acpi: Ignore the PM timer on Xen dom0", body: "Xen denies dom0 access to the PM timer's port, so detecting it only produces errors.", files: [{ path: "arch/x86/kernel/acpi/boot.c", hunk: " \tfoo();\n+\tif (xen_initial_domain())\n+\t\treturn 0;\n \tbar();" }] },
      { subject: "x86/mm: Skip the flush on Xen PV", body: "Xen PV flushes with a hypercall, so the IPI only costs time.", files: [{ path: "arch/x86/mm/tlb.c", hunk: " \tint x;\n+\tif (xen_pv_domain())\n+\t\treturn;" }] },
    ]);
    h.fake.addPullRequest(OWNER, REPO, { number: pr.number, title: "t", headSha: pushed.headSha, baseRef: "master", baseSha: pr.baseSha, user: "contributor", patch: two });
    const push = await calls("synchronize", { ...pushed, commits: 2, files: 2 });
    expect(h.fake.reviews(OWNER, REPO, pr.number)).toHaveLength(2);
    expect(push.length).toBeLessThanOrEqual(BUDGET);

    // The same body under a new delivery id: nothing posted twice, the check updated in place.
    const replay = await calls("synchronize", { ...pushed, commits: 2, files: 2 });
    expect(h.fake.reviews(OWNER, REPO, pr.number)).toHaveLength(2);
    expect(h.fake.checkRuns(OWNER, REPO, pushed.headSha)).toHaveLength(1);
    expect(shown(replay)).toEqual(["POST /graphql PatchwardenPull", `GET /repos/${OWNER}/${REPO}/pulls/${pr.number}`, "POST /graphql PatchwardenPosted", `PATCH /repos/${OWNER}/${REPO}/check-runs/${h.fake.checkRuns(OWNER, REPO, pushed.headSha)[0]!.id}`]);

    const edited = await calls("edited", { ...pushed, commits: 2, files: 2 });
    expect(edited.length).toBeLessThanOrEqual(BUDGET);
  });

  it(`a maintainer's override label (who added it, and their permission, read): at most ${BUDGET}`, async () => {
    const pr = newPull();
    await calls("opened", pr);
    h.fake.setCollaboratorPermission(OWNER, REPO, "keeper", "maintain");
    h.fake.addLabelEvent(OWNER, REPO, pr.number, { label: "patchwarden/override-all", actor: "keeper", event: "labeled", createdAt: new Date(Date.now() + 1_000).toISOString() });
    const made = await calls("labeled", pr, { labels: ["patchwarden/override-all"], label: "patchwarden/override-all", sender: "keeper" });
    const check = h.fake.checkRuns(OWNER, REPO, pr.headSha);
    expect(check).toHaveLength(1);
    expect(check[0]!.conclusion).toBe("neutral");
    // Who added the label came with the pull request; only the permission is a call of its own.
    expect(shown(made)).toEqual([
      "POST /graphql PatchwardenPull",
      `GET /repos/${OWNER}/${REPO}/pulls/${pr.number}`,
      `GET /repos/${OWNER}/${REPO}/collaborators/keeper/permission`,
      "POST /graphql PatchwardenPosted",
      `PATCH /repos/${OWNER}/${REPO}/check-runs/${check[0]!.id}`,
    ]);
    expect(made.length).toBeLessThanOrEqual(BUDGET);
  });

  it("an unrelated label, a draft the config skips, a closed pull request: one read", async () => {
    const pr = newPull();
    await calls("opened", pr);
    expect(shown(await calls("labeled", pr, { labels: ["bug"], label: "bug", sender: "keeper" }))).toEqual(["POST /graphql PatchwardenPull"]);
    // The head moved on before the job ran: dropped after that one read, nothing posted.
    const moved = newPull();
    h.fake.addPullRequest(OWNER, REPO, { number: moved.number, title: "t", headSha: "9".repeat(40), baseRef: "master", baseSha: moved.baseSha, user: "contributor", patch: PATCH });
    expect(shown(await calls("opened", moved))).toEqual(["POST /graphql PatchwardenPull"]);
    expect(h.fake.checkRuns(OWNER, REPO, moved.headSha)).toHaveLength(0);
  });

  it("a pull request GraphQL says is not there (NOT_FOUND) is not read again by retries", async () => {
    const made = await calls("opened", { number: 4_999, headSha: "8".repeat(40), baseSha: "c".repeat(40), commits: 1, files: 1 });
    expect(made.filter((r) => r.graphql?.operation === "PatchwardenPull")).toHaveLength(1);
  });
});
