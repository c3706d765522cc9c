// A repository's own config must not stall the app for anyone else: an
// oversized file is refused between download and parse, a backtracking
// pattern is refused before any line is read with it, and both say so in a
// failing check while other repositories are reviewed as usual.
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { renderSeries } from "../rules/rule-tester.js";
import { XEN_DOM0_PATCH } from "./xen-dom0-patch.js";
import { pullPayload, sendWebhook, startHarness, type Harness } from "./harness.js";

const PATCH = XEN_DOM0_PATCH;

const HOSTILE_INSTALLATION = 4242;
let h: Harness;
let next = 1;
beforeAll(async () => {
  h = await startHarness();
  h.fake.addInstallation(HOSTILE_INSTALLATION, "hostile");
  h.fake.addRepo("hostile", "linux");
  h.fake.addRepo("kernel", "linux");
});
afterAll(async () => h?.stop());

async function review(owner: string, repo: string, patch = PATCH) {
  const number = next++;
  const headSha = `${number}`.padStart(40, "b");
  h.fake.addPullRequest(owner, repo, { number, title: "t", headSha, baseRef: "master", baseSha: "c".repeat(40), user: "contributor", patch, labels: [] });
  const res = await sendWebhook(h.url, "pull_request", pullPayload("opened", { number, headSha, baseSha: "c".repeat(40), commits: 1, files: 1, owner, ...(owner === "hostile" ? { installation: HOSTILE_INSTALLATION } : {}) }));
  expect(res.status).toBe(200);
  await h.queue.idle();
  const checks = h.fake.checkRuns(owner, repo, headSha);
  expect(checks).toHaveLength(1);
  return checks[0]!;
}

describe("a hostile .github/patchwarden.yml", () => {
  it("a 5 MB config with 250,000 keys is refused by size, and the next repository is reviewed", async () => {
    h.fake.setFile("hostile", "linux", "main", ".github/patchwarden.yml", Array.from({ length: 250_000 }, (_, i) => `k${i}: 1`).join("\n"));
    const check = await review("hostile", "linux");
    expect(check.conclusion).toBe("failure");
    expect(check.output.summary).toMatch(/bytes; a config file may have at most 32768 bytes/);
    const other = await review("kernel", "linux");
    expect(other.output.title).not.toMatch(/configuration/i);
    expect(other.conclusion).toBe("failure"); // the Xen special case
    h.fake.setFile("hostile", "linux", "main", ".github/patchwarden.yml", null);
  });

  it("a backtracking configSymbols pattern is a failing check that names it", async () => {
    h.fake.setFile("hostile", "linux", "main", ".github/patchwarden.yml", "hypervisors:\n  - id: xen\n    configSymbols: ['(a+)+X']\n");
    const check = await review("hostile", "linux");
    expect(check.conclusion).toBe("failure");
    expect(check.output.summary).toContain("hypervisors.0.configSymbols");
    expect(check.output.summary).toContain("(a+)+X");
    h.fake.setFile("hostile", "linux", "main", ".github/patchwarden.yml", null);
  });
});

describe("what the analysis skipped", () => {
  it("is named in the check run, and the rest of the series is still reviewed", async () => {
    const deep = renderSeries([
      {
        subject: "x86/acpi: Ignore the PM timer on Xen dom0",
        body: "Xen denies dom0 access to the PM timer's port, so detecting it only produces errors.",
        files: [{ path: "arch/x86/kernel/setup.c", hunk: ` int a;\n+\tx = ${"(".repeat(300)}1${")".repeat(300)};\n+\tif (xen_initial_domain())\n+\t\treturn 0;` }],
      },
    ]);
    const check = await review("kernel", "linux", deep);
    expect(check.conclusion).toBe("failure");
    expect(check.output.summary).toMatch(/arch\/x86\/kernel\/setup\.c:\d+: .*\(not analysed\)/);
  });
});
