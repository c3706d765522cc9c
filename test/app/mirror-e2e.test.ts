// The app with its mirror, end to end: the real server, signed webhooks, the
// fake GitHub serving the repository over git's smart HTTP (git
// http-backend) with the installation token checked. The first review of
// the repository runs without the tree and says so while the mirror is
// built; the next one reads the base tree: a function made global whose
// only user in the tree is Xen's own code is a finding, and the check run
// shows the census of the touched area. A new base is fetched; a fetch that
// fails leaves the review without the tree, never without a check.
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { MIRROR_DEFAULTS, Mirrors } from "../../src/github/mirror.js";
import { FakeGitHub } from "../fake-github/index.js";
import { TestRepo } from "../history/test-repo.js";
import { INSTALLATION_ID, pullPayload, sendWebhook, startHarness, type Harness } from "./harness.js";

const OWNER = "kernel";
const REPO = "linux";
const signed = "\n\nSigned-off-by: Test Runner <runner@example.org>";
const why = "Xen PV's CPU bring-up cannot see the package count, which it needs before SMP starts.";

let h: Harness;
let fake: FakeGitHub;
let mirror: Mirrors;
let upstream: TestRepo;
let scratch: string;
let base: string;

// As test/cli/tree-context.test.ts: Xen's user of calc_packages() is already in the tree.
const BASE_FILES = {
  "arch/x86/kernel/smpboot.c": "static void calc_packages(void)\n{\n}\n\nvoid native_smp(void)\n{\n\tcalc_packages();\n}\n",
  "arch/x86/xen/smp.c": "void xen_smp(void)\n{\n\tif (xen_pv_domain())\n\t\tcalc_packages();\n}\n",
  "arch/x86/kernel/setup.c": "void setup(void)\n{\n\tif (xen_pv_domain())\n\t\treturn;\n#ifdef CONFIG_XEN\n\tfoo();\n#endif\n}\n",
};
const HEAD_FILES = {
  "arch/x86/kernel/smpboot.c": "void calc_packages(void)\n{\n}\n\nvoid native_smp(void)\n{\n\tcalc_packages();\n}\n",
  "arch/x86/kernel/setup.c": "void setup(void)\n{\n#ifdef CONFIG_XEN\n\tfoo();\n#endif\n}\n",
};

let nextPull = 1;
let day = 2;

/** A branch off `from` with the series, as a pull request the fake knows; the patch is what GitHub would serve. */
function pullOn(from: string) {
  const number = nextPull++;
  upstream.git(["checkout", "-q", "-B", `topic-${number}`, from]);
  const head = upstream.commit(`x86/smpboot: Make calc_packages() global\n\n${why}${signed}`, `2024-01-${String(day++).padStart(2, "0")}T00:00:00Z`, HEAD_FILES);
  const patch = upstream.git(["format-patch", "--stdout", `${from}..${head}`]);
  fake.addPullRequest(OWNER, REPO, { number, title: "x86/smpboot: Make calc_packages() global", headSha: head, baseRef: "main", baseSha: from, user: "contributor", patch: `${patch}\n` });
  return { number, headSha: head, baseSha: from, commits: 1, files: 2 };
}

async function review(pr: ReturnType<typeof pullOn>) {
  const res = await sendWebhook(h.url, "pull_request", pullPayload("opened", pr));
  expect(res.status).toBe(200);
  await h.queue.idle();
  const checks = fake.checkRuns(OWNER, REPO, pr.headSha);
  expect(checks).toHaveLength(1);
  return { check: checks[0]!, reviews: fake.reviews(OWNER, REPO, pr.number) };
}

beforeAll(async () => {
  upstream = new TestRepo("patchwarden-mirror-e2e-");
  base = upstream.commit(`x86/smpboot: Count packages${signed}`, "2024-01-01T00:00:00Z", BASE_FILES);
  scratch = mkdtempSync(path.join(tmpdir(), "patchwarden-mirror-e2e-dir-"));
  h = await startHarness({ mirror: (host) => (mirror = new Mirrors({ ...MIRROR_DEFAULTS, dir: scratch, gitBase: `http://${host}` })) });
  fake = h.fake;
  fake.addRepo(OWNER, REPO, { defaultBranch: "main" });
  fake.serveGit(OWNER, REPO, path.join(upstream.dir, ".git"));
});
afterAll(async () => {
  await h?.stop();
  await mirror?.close();
  upstream?.remove();
  rmSync(scratch, { recursive: true, force: true });
});

describe("reviews with the app's mirror", () => {
  it("the first review runs without the tree and says so; the mirror is built meanwhile, with the installation's token", async () => {
    const before = fake.gitRequests.length;
    const { check } = await review(pullOn(base));
    expect(check.output.summary).toContain("Base tree: reviewed without the base tree: this is the repository's first review with a mirror: it is being built in the background");
    expect(check.output.summary).not.toContain("Hypervisor conditionals");
    // The Xen user already in the tree is not known without it.
    expect(check.output.text).not.toContain("arch/x86/xen/smp.c:4");
    await mirror.idle();
    const git = fake.gitRequests.slice(before);
    expect(git.map((r) => [r.method, r.service, r.status, r.auth, r.installationId])).toEqual([
      ["GET", "git-upload-pack", 200, "token", INSTALLATION_ID],
      ["POST", "git-upload-pack", 200, "token", INSTALLATION_ID],
    ]);
  });

  it("the next review reads the base tree: the new global's only user is Xen's, and the check shows the census", async () => {
    const before = fake.gitRequests.length;
    const { check, reviews } = await review(pullOn(base));
    // The mirror has the base already: no fetch.
    expect(fake.gitRequests.length).toBe(before);
    expect(check.output.summary).toContain(`Base tree: \`${base.slice(0, 12)}\` (the pull request's base)`);
    expect(check.output.summary).toContain("arch/x86: 2 Xen conditionals at the base, 1 after this series (-1) — fewer special cases in shared code");
    expect(check.output.summary).not.toContain("without the base tree");
    expect(check.output.text).toContain("in the tree after the series are Xen's own code (arch/x86/xen/smp.c:4)");
    expect(reviews).toHaveLength(1);
    const review0 = reviews[0]!;
    expect([review0.body, ...review0.comments.map((c) => c.body)].join("\n")).toContain("arch/x86/xen/smp.c:4");
    expect(review0.body).toContain("arch/x86: 2 Xen conditionals at the base, 1 after this series (-1)");
  });

  it("a pull request on a newer base fetches only that commit, then reads it", async () => {
    upstream.git(["checkout", "-q", "main"]);
    const newer = upstream.commit(`x86/setup: Another Xen check${signed}`, "2024-02-01T00:00:00Z", {
      "arch/x86/kernel/setup.c": "void setup(void)\n{\n\tif (xen_pv_domain())\n\t\treturn;\n\tif (xen_hvm_domain())\n\t\treturn;\n#ifdef CONFIG_XEN\n\tfoo();\n#endif\n}\n",
    });
    const before = fake.gitRequests.length;
    const { check } = await review(pullOn(newer));
    expect(fake.gitRequests.slice(before).map((r) => [r.method, r.status])).toEqual([
      ["GET", 200],
      ["POST", 200],
    ]);
    expect(check.output.summary).toContain(`Base tree: \`${newer.slice(0, 12)}\``);
    expect(check.output.summary).toMatch(/arch\/x86: 3 Xen conditionals at the base, \d+ after this series/);
  });

  it("a fetch that fails leaves the review without the tree, saying why; the review itself is done", async () => {
    upstream.git(["checkout", "-q", "main"]);
    const newest = upstream.commit(`x86/setup: Tidy${signed}`, "2024-03-01T00:00:00Z", { "arch/x86/kernel/other.c": "int other;\n" });
    fake.failGitNext(500);
    const { check } = await review(pullOn(newest));
    expect(check.conclusion).not.toBeNull();
    expect(check.output.summary).toContain("Base tree: reviewed without the base tree: the base commit could not be fetched into the app's mirror");
    expect(check.output.summary).toContain("500");
  });
});
