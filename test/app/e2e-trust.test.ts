// What the app believes (only its own markers; overrides only for what
// stood when the label was added) and what it posts (within GitHub's limits
// and the per-review caps), end to end: the real server, signed webhooks, the
// fake GitHub on loopback refusing what GitHub refuses.
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { renderSeries, type CommitSpec } from "../rules/rule-tester.js";
import { pullPayload, sendWebhook, startHarness, type Harness } from "./harness.js";

const OWNER = "kernel";
const REPO = "linux";
const BASE = "c".repeat(40);

const xenCommit: CommitSpec = {
  subject: "x86/acpi: Ignore the PM timer on Xen dom0",
  body: "Xen denies dom0 access to the PM timer's port, so detecting it only produces errors.",
  files: [{ path: "arch/x86/kernel/acpi/boot.c", section: "static int __init acpi_parse_fadt(struct acpi_table_header *table)", hunk: " \tfoo();\n+\tif (xen_initial_domain())\n+\t\treturn 0;\n \tbar();" }],
};
const hypervCommit: CommitSpec = {
  subject: "x86/mm: Skip the TLB flush IPI on Hyper-V",
  body: "Hyper-V flushes remote TLBs with a hypercall, so sending the IPI only costs time.",
  files: [{ path: "arch/x86/mm/tlb.c", section: "void flush_tlb_all(void)", hunk: " \tcount_vm_tlb_event(NR_TLB_REMOTE_FLUSH);\n+\tif (hv_is_hyperv_initialized())\n+\t\treturn;\n \ton_each_cpu(do_flush_tlb_all, NULL, 1);" }],
};

let h: Harness;
let nextPull = 500;

beforeAll(async () => {
  h = await startHarness();
  h.fake.addRepo(OWNER, REPO);
});
afterAll(async () => h?.stop());

function pull(patch: string, opts: { number?: number; headSha?: string; commits?: number; files?: number } = {}) {
  const number = opts.number ?? nextPull++;
  const headSha = opts.headSha ?? `${number}`.padStart(40, "d");
  h.fake.addPullRequest(OWNER, REPO, { number, title: "t", headSha, baseRef: "master", baseSha: BASE, user: "contributor", patch });
  return { number, headSha, baseSha: BASE, commits: opts.commits ?? 1, files: opts.files ?? 1 };
}

async function deliver(action: string, pr: ReturnType<typeof pull>, extra: Partial<Parameters<typeof pullPayload>[1]> = {}) {
  const res = await sendWebhook(h.url, "pull_request", pullPayload(action, { ...pr, ...extra }));
  expect(res.status).toBe(200);
  await h.queue.idle();
}

/** GitHub's timestamps have whole seconds: wait into the next one so "after" is after. */
const nextSecond = () => new Promise((resolve) => setTimeout(resolve, 1_100 - (Date.now() % 1_000)));

describe("markers count only in the app's own reviews", () => {
  it("a review by another bot carrying patchwarden's marker and fingerprints does not stop the app posting", async () => {
    const patch = renderSeries([xenCommit]);
    const original = pull(patch);
    await deliver("opened", original);
    const ours = h.fake.reviews(OWNER, REPO, original.number);
    expect(ours).toHaveLength(1);
    const forgedBody = [...ours[0]!.comments.map((c) => c.body), ours[0]!.body].join("\n\n");

    // Another app's bot copies the marker and every fingerprint onto a new pull request, before the app's first look at it.
    const target = pull(patch);
    h.fake.addReview(OWNER, REPO, target.number, { user: "mimic[bot]", body: forgedBody.replaceAll(original.headSha, target.headSha) });
    await deliver("synchronize", target);
    const reviews = h.fake.reviews(OWNER, REPO, target.number);
    expect(reviews.map((r) => r.user)).toEqual(["mimic[bot]", h.fake.botLogin]);
    expect(reviews[1]!.comments.map((c) => c.path)).toEqual(["arch/x86/kernel/acpi/boot.c"]);
  });

  it("the same marker in the app's own review does count (the test above is not vacuous)", async () => {
    const patch = renderSeries([xenCommit]);
    const original = pull(patch);
    await deliver("opened", original);
    const body = h.fake.reviews(OWNER, REPO, original.number)[0]!.body;
    const target = pull(patch);
    h.fake.addReview(OWNER, REPO, target.number, { body });
    await deliver("synchronize", target);
    expect(h.fake.reviews(OWNER, REPO, target.number).map((r) => r.user)).toEqual([h.fake.botLogin]);
  });

  it("asks GitHub who the app is once per process, with the app's JWT", () => {
    const asks = h.fake.requestsTo("GET", /^\/app$/);
    expect(asks).toHaveLength(1);
    expect(asks[0]!.status).toBe(200);
  });
});

describe("an override covers what stood when it was added", () => {
  it("a Hyper-V special case pushed after override-all fails the check again, and the check says what is not covered", async () => {
    const first = pull(renderSeries([xenCommit]));
    await deliver("opened", first);
    expect(h.fake.checkRuns(OWNER, REPO, first.headSha)[0]!.conclusion).toBe("failure");

    await nextSecond();
    h.fake.setCollaboratorPermission(OWNER, REPO, "maintainer", "maintain");
    h.fake.addLabelEvent(OWNER, REPO, first.number, { label: "patchwarden/override-all", actor: "maintainer", event: "labeled", createdAt: new Date().toISOString().replace(/\.\d{3}Z$/, "Z") });
    await deliver("labeled", first, { labels: ["patchwarden/override-all"], label: "patchwarden/override-all", sender: "maintainer" });
    const overridden = h.fake.checkRuns(OWNER, REPO, first.headSha);
    expect(overridden).toHaveLength(1);
    expect(overridden[0]).toMatchObject({ conclusion: "neutral" });
    expect(overridden[0]!.output.title).toContain("Passed with overrides by @maintainer");

    // The contributor pushes a new Hyper-V special case on top.
    await nextSecond();
    const pushed = pull(renderSeries([xenCommit, hypervCommit]), { number: first.number, headSha: "e".repeat(39) + "1", commits: 2, files: 2 });
    await deliver("synchronize", pushed, { labels: ["patchwarden/override-all"] });
    const check = h.fake.checkRuns(OWNER, REPO, pushed.headSha);
    expect(check).toHaveLength(1);
    expect(check[0]!.conclusion).toBe("failure");
    expect(check[0]!.output.title).toContain("not covered by the override");
    expect(check[0]!.output.summary).toContain("Overridden by @maintainer with `patchwarden/override-all`");
    expect(check[0]!.output.summary).toContain("Not covered by `patchwarden/override-all`");
    expect(check[0]!.output.summary).toContain("arch/x86/mm/tlb.c");
    expect(check[0]!.output.summary).not.toMatch(/Not covered[^]*arch\/x86\/kernel\/acpi\/boot\.c:11/);
    // Both in the override table: what the label overrode, and what it does not cover (the new
    // special case; the sprawl the second file brings is info without MAINTAINERS, nothing to cover).
    expect(check[0]!.output.text).toMatch(/\| \* \| @maintainer \| `patchwarden\/override-all` \| [^|]+ \| 1 \| 1 \|/);
    expect(check[0]!.output.text).toContain("| error (not covered by `patchwarden/override-all`) | [hv-special-case]");
    // The new finding gets its review comment; the old ones are not repeated.
    const reviews = h.fake.reviews(OWNER, REPO, first.number);
    expect(reviews).toHaveLength(2);
    expect(reviews[1]!.comments.map((c) => c.path)).toEqual(["arch/x86/mm/tlb.c"]);

    // Adding the label again (a maintainer looked at the new finding) covers it.
    await nextSecond();
    h.fake.addLabelEvent(OWNER, REPO, first.number, { label: "patchwarden/override-all", actor: "maintainer", event: "unlabeled", createdAt: new Date().toISOString().replace(/\.\d{3}Z$/, "Z") });
    h.fake.addLabelEvent(OWNER, REPO, first.number, { label: "patchwarden/override-all", actor: "maintainer", event: "labeled", createdAt: new Date().toISOString().replace(/\.\d{3}Z$/, "Z") });
    await deliver("labeled", pushed, { labels: ["patchwarden/override-all"], label: "patchwarden/override-all", sender: "maintainer" });
    expect(h.fake.checkRuns(OWNER, REPO, pushed.headSha)[0]).toMatchObject({ conclusion: "neutral" });
  });
});

describe("caps and GitHub's limits", () => {
  it("a pull request with 6,000 findings gets at most 4 check requests and one review, and a re-push posts no second review", async () => {
    const files = Array.from({ length: 60 }, (_, f) => ({
      path: `arch/x86/mm/gen${f}.c`,
      hunk: [" \tint x;", ...Array.from({ length: 100 }, (_, i) => `+\tif (xen_pv_domain()) f${f}_${i}();`)].join("\n"),
    }));
    const patch = renderSeries([{ subject: "x86/mm: Xen everywhere", body: "Xen PV guests need this in every file, because the hypervisor owns the page tables.", files }]);
    const pr = pull(patch, { files: 60 });
    const mark = h.fake.mark();
    await deliver("opened", pr);
    // Writes: finding the head's check run first is a read.
    const checkCalls = h.fake.callsSince(mark, "*", /\/check-runs/).filter((r) => r.method !== "GET");
    expect(checkCalls.length).toBeLessThanOrEqual(4);
    expect(checkCalls.every((r) => r.status < 300)).toBe(true);
    const reviewCalls = h.fake.callsSince(mark, "POST", /\/pulls\/\d+\/reviews$/);
    expect(reviewCalls.map((r) => r.status)).toEqual([200]);

    const check = h.fake.checkRuns(OWNER, REPO, pr.headSha)[0]!;
    expect(check.conclusion).toBe("failure");
    expect(check.annotations).toHaveLength(200);
    expect(check.output.title).toMatch(/^6,0\d\d errors/);
    expect(check.output.summary).toContain("patchwarden check --git");
    const review = h.fake.reviews(OWNER, REPO, pr.number)[0]!;
    expect(review.body).toContain("more findings, counted here");

    const pushed = { ...pull(patch, { number: pr.number, headSha: "f".repeat(40), files: 60 }) };
    const again = h.fake.mark();
    await deliver("synchronize", pushed);
    expect(h.fake.callsSince(again, "POST", /\/pulls\/\d+\/reviews$/)).toHaveLength(0);
    expect(h.fake.callsSince(again, "*", /\/check-runs/).filter((r) => r.method !== "GET").length).toBeLessThanOrEqual(4);
  }, 60_000);

  // The config reader now refuses such a file by size before validating it, and bounds the errors it
  // reports; the cut of a 20,000-error summary itself is tested on the plan (test/review/caps.test.ts).
  it("a config with 20,000 bad keys still gets a failing check that says what is wrong, within GitHub's limit", async () => {
    const pr = pull(renderSeries([xenCommit]));
    const yaml = `rules:\n${Array.from({ length: 20_000 }, (_, i) => `  hv-special-case-${i}:\n    severity: fatal\n`).join("")}`;
    h.fake.setFile(OWNER, REPO, "main", ".github/patchwarden.yml", yaml);
    try {
      await deliver("opened", pr);
    } finally {
      h.fake.setFile(OWNER, REPO, "main", ".github/patchwarden.yml", null);
    }
    const checks = h.fake.checkRuns(OWNER, REPO, pr.headSha);
    expect(checks).toHaveLength(1);
    expect(checks[0]!.conclusion).toBe("failure");
    expect(checks[0]!.output.summary!.length).toBeLessThanOrEqual(65_535);
    expect(checks[0]!.output.summary).toContain(".github/patchwarden.yml");
    expect(h.fake.requestsTo("*", /\/check-runs/).filter((r) => r.status === 422)).toHaveLength(0);
  }, 30_000);
});
