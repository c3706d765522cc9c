// The config comes with the pull request's GraphQL read, and means what
// Probot's `context.config` means: the repository's `.github/patchwarden.yml`
// on its default branch, else the owner's `.github` repository's, `_extends`
// followed (by Probot's own reader), a bad file a failing check that says so.
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { XEN_DOM0_PATCH } from "./xen-dom0-patch.js";
import { pullPayload, sendWebhook, startHarness, type Harness } from "./harness.js";

const OWNER = "kernel";
const PATCH = XEN_DOM0_PATCH;
const FILE = ".github/patchwarden.yml";

let h: Harness;
let next = 1;
beforeAll(async () => {
  h = await startHarness();
  h.fake.addRepo(OWNER, "linux");
  h.fake.addRepo(OWNER, ".github");
  h.fake.addRepo(OWNER, "uboot");
});
afterAll(async () => h?.stop());

/** A draft pull request on `repo`: reviewed unless the config says `app.reviewDrafts: false`. */
async function draftReviewed(repo: string): Promise<{ checks: number; conclusion: string | null; summary: string | null }> {
  const number = next++;
  const headSha = `${number}`.padStart(40, "a");
  h.fake.addPullRequest(OWNER, repo, { number, title: "t", headSha, baseRef: "master", baseSha: "c".repeat(40), user: "contributor", patch: PATCH, draft: true });
  const payload = pullPayload("opened", { number, headSha, baseSha: "c".repeat(40), draft: true }) as { repository: { name: string; full_name: string } };
  payload.repository.name = repo;
  payload.repository.full_name = `${OWNER}/${repo}`;
  expect((await sendWebhook(h.url, "pull_request", payload)).status).toBe(200);
  await h.queue.idle();
  const checks = h.fake.checkRuns(OWNER, repo, headSha);
  return { checks: checks.length, conclusion: checks[0]?.conclusion ?? null, summary: checks[0]?.output.summary ?? null };
}

describe("the config read with the pull request", () => {
  it("without a file of its own, the repository takes the owner's .github repository's", async () => {
    h.fake.setFile(OWNER, ".github", "main", FILE, "app:\n  reviewDrafts: false\n");
    try {
      expect((await draftReviewed("linux")).checks).toBe(0);
      // A file of its own wins, even one that sets nothing.
      h.fake.setFile(OWNER, "uboot", "main", FILE, "rules: {}\n");
      expect((await draftReviewed("uboot")).checks).toBe(1);
    } finally {
      h.fake.setFile(OWNER, ".github", "main", FILE, null);
      h.fake.setFile(OWNER, "uboot", "main", FILE, null);
    }
    expect((await draftReviewed("linux")).checks).toBe(1);
  });

  it("_extends is followed", async () => {
    h.fake.setFile(OWNER, "uboot", "main", "shared.yml", "app:\n  reviewDrafts: false\n");
    h.fake.setFile(OWNER, "uboot", "main", FILE, "_extends: uboot:shared.yml\n");
    try {
      expect((await draftReviewed("uboot")).checks).toBe(0);
    } finally {
      h.fake.setFile(OWNER, "uboot", "main", FILE, null);
    }
  });

  it("a file that is not YAML, or a directory in its place, is a failing check that says so", async () => {
    h.fake.setFile(OWNER, "uboot", "main", FILE, "rules: [unclosed\n");
    try {
      const bad = await draftReviewed("uboot");
      expect(bad.conclusion).toBe("failure");
      expect(bad.summary).toContain("cannot be read as YAML");
    } finally {
      h.fake.setFile(OWNER, "uboot", "main", FILE, null);
    }
    h.fake.setFile(OWNER, "uboot", "main", `${FILE}/inside.yml`, "x: 1\n");
    try {
      const dir = await draftReviewed("uboot");
      expect(dir.conclusion).toBe("failure");
      expect(dir.summary).toContain("is either a directory or a submodule");
    } finally {
      h.fake.setFile(OWNER, "uboot", "main", `${FILE}/inside.yml`, null);
    }
  });
});
