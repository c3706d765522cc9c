// patchwarden b4-check speaks b4 review's check-command protocol
// (docs/maintainer/review.rst in b4): one mail in, a JSON array out.
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { writeFileSync } from "node:fs";
import path from "node:path";
import { Readable } from "node:stream";
import { main } from "../../src/cli/main.js";
import { captureIo, TestRepo } from "../history/test-repo.js";

async function b4Check(input: string, cwd: string, env: Record<string, string> = {}) {
  const io = { ...captureIo(cwd), stdin: Readable.from([Buffer.from(input)]), env: { ...process.env, ...env } };
  const code = await main(["b4-check"], io);
  return { code, out: io.out(), err: io.err() };
}

const mail = (subject: string, body: string, diff: string) =>
  ["From: Dev One <dev@example.org>", `Subject: ${subject}`, "Message-ID: <1@example.org>", "", body, "", "Signed-off-by: Dev One <dev@example.org>", "---", diff, "-- ", "2.43.0", ""].join("\n");
const xenDiff = ["diff --git a/arch/x86/kernel/acpi/boot.c b/arch/x86/kernel/acpi/boot.c", "--- a/arch/x86/kernel/acpi/boot.c", "+++ b/arch/x86/kernel/acpi/boot.c", "@@ -10,1 +10,3 @@", " \tfoo();", "+\tif (xen_initial_domain())", "+\t\treturn 0;"].join("\n");

let repo: TestRepo;
beforeAll(() => {
  repo = new TestRepo("patchwarden-b4-");
});
afterAll(() => repo.remove());

describe("b4-check", () => {
  it("a patch with a Xen special case: one fail result, each finding in the details, and the series not seen", async () => {
    const r = await b4Check(mail("[PATCH] x86/acpi: skip the PM timer", "The PM timer cannot be read on Xen dom0, so boot hangs.", xenDiff), repo.root);
    expect(r.code).toBe(0);
    const results = JSON.parse(r.out);
    expect(results).toHaveLength(1);
    expect(results[0]).toMatchObject({ tool: "patchwarden", status: "fail" });
    expect(results[0].summary).toMatch(/^1 error: hv-special-case/);
    expect(results[0].url).toMatch(/rules\/hv-special-case\.md$/);
    expect(results[0].details).toContain("arch/x86/kernel/acpi/boot.c:11: error: Adds a Xen special case");
    expect(results[0].details).toContain("note: the series was not seen");
    // b4 caches by message-id: the same mail gets the same answer.
    expect((await b4Check(mail("[PATCH] x86/acpi: skip the PM timer", "The PM timer cannot be read on Xen dom0, so boot hangs.", xenDiff), repo.root)).out).toBe(r.out);
  });

  it("nothing to say is an empty array: a clean patch, a reply without a diff", async () => {
    const clean = mail("[PATCH] x86/mm: fix the flush", "The flush was skipped when the range wrapped, which left stale TLB entries.", xenDiff.replace("if (xen_initial_domain())", "if (wrapped)"));
    expect((await b4Check(clean, repo.root)).out).toBe("[]\n");
    const reply = ["From: Reviewer <r@example.org>", "Subject: Re: [PATCH] x86/acpi: skip the PM timer", "Message-ID: <2@example.org>", "", "Looks fine to me.", ""].join("\n");
    expect((await b4Check(reply, repo.root)).out).toBe("[]\n");
  });

  it("a mail cut in its headers is an execution error: exit 2, nothing on stdout", async () => {
    const r = await b4Check("From: Dev One <dev@example.org>\nSubject: [PATCH] x86/", repo.root);
    expect(r.code).toBe(2);
    expect(r.out).toBe("");
    expect(r.err).toContain("ends inside its headers");
  });

  it("with b4's tracking data and review branch: the whole series against its base, this patch's findings", async () => {
    repo.commit("x86/smpboot: base\n\nSigned-off-by: Test Runner <runner@example.org>", "2024-01-01T00:00:00Z", {
      "arch/x86/kernel/smpboot.c": "static void calc_packages(void)\n{\n}\n",
      "arch/x86/xen/smp.c": "void xen_smp(void)\n{\n\tcalc_packages();\n}\n",
    });
    repo.git(["checkout", "-q", "-b", "b4/review/my-series"]);
    const first = repo.commit("x86/smpboot: Make calc_packages() global\n\nXen PV needs the count before SMP starts.\n\nSigned-off-by: Test Runner <runner@example.org>", "2024-01-02T00:00:00Z", {
      "arch/x86/kernel/smpboot.c": "void calc_packages(void)\n{\n}\n",
    });
    const second = repo.commit("x86/smpboot: Document calc_packages()\n\nThe comment was missing, so readers guessed.\n\nSigned-off-by: Test Runner <runner@example.org>", "2024-01-03T00:00:00Z", {
      "arch/x86/kernel/smpboot.c": "/* Counts packages. */\nvoid calc_packages(void)\n{\n}\n",
    });
    repo.git(["commit", "-q", "--allow-empty", "-m", "tracking"]);
    const tracking = path.join(repo.root, "tracking.json");
    writeFileSync(tracking, JSON.stringify({ series: { "change-id": "my-series", "first-patch-commit": first, "base-commit": repo.git(["rev-parse", `${first}~1`]) }, patches: [] }));
    const patch1 = repo.git(["format-patch", "--stdout", "-1", first]);
    const r1 = JSON.parse((await b4Check(patch1, repo.dir, { B4_TRACKING_FILE: tracking })).out);
    expect(r1[0].details).toContain("arch/x86/xen/smp.c:3");
    expect(r1[0].details).not.toContain("the series was not seen");
    // The second patch is clean; the first one's findings are not repeated on it.
    const patch2 = repo.git(["format-patch", "--stdout", "-1", second]);
    expect((await b4Check(patch2, repo.dir, { B4_TRACKING_FILE: tracking })).out).toBe("[]\n");
  });
});
