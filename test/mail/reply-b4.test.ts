// reply on what real b4 makes of a thread: `b4 am` (Debian's b4) on a local
// mbox of a cover letter, two patches and a review, then reply on its output.
import { afterAll, beforeAll, expect, it } from "@jest/globals";
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { Readable } from "node:stream";
import { main } from "../../src/cli/main.js";
import { captureIo } from "../history/test-repo.js";

let tmp: string;
beforeAll(() => {
  tmp = mkdtempSync(path.join(os.tmpdir(), "patchwarden-b4am-"));
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function mail(subject: string, id: string, refs: string[], body: string, diff?: string, from = "Dev One <dev@example.org>"): string {
  return [
    "From x Mon Jan  1 00:00:00 2024",
    `From: ${from}`,
    "To: list@example.org",
    `Subject: ${subject}`,
    `Message-Id: <${id}>`,
    "Date: Mon, 1 Jan 2024 10:00:00 +0000",
    ...(refs.length > 0 ? [`In-Reply-To: <${refs.at(-1)}>`, `References: ${refs.map((r) => `<${r}>`).join(" ")}`] : []),
    "",
    body,
    "",
    ...(diff ? ["Signed-off-by: Dev One <dev@example.org>", "---", diff, "-- ", "2.43.0"] : []),
    "",
  ].join("\n");
}

it("replies to the patch b4 am picked, threaded by the Message-Id b4 kept", async () => {
  const xen = ["diff --git a/arch/x86/kernel/acpi/boot.c b/arch/x86/kernel/acpi/boot.c", "--- a/arch/x86/kernel/acpi/boot.c", "+++ b/arch/x86/kernel/acpi/boot.c", "@@ -10,1 +10,3 @@", " \tfoo();", "+\tif (xen_initial_domain())", "+\t\treturn 0;"].join("\n");
  const clean = ["diff --git a/arch/x86/mm/tlb.c b/arch/x86/mm/tlb.c", "--- a/arch/x86/mm/tlb.c", "+++ b/arch/x86/mm/tlb.c", "@@ -10,1 +10,2 @@", " \tfoo();", "+\tflush(range);"].join("\n");
  const thread = [
    mail("[PATCH 0/2] x86: dom0 fixes", "c@example.org", [], "Two fixes for dom0 boot."),
    mail("[PATCH 1/2] x86/acpi: skip the PM timer", "p1@example.org", ["c@example.org"], "The PM timer cannot be read on Xen dom0, so boot hangs there.", xen),
    mail("[PATCH 2/2] x86/mm: flush the range", "p2@example.org", ["c@example.org"], "The range was not flushed when it wrapped, which left stale entries.", clean),
    mail("Re: [PATCH 1/2] x86/acpi: skip the PM timer", "r1@example.org", ["c@example.org", "p1@example.org"], "Looks right.\n\nReviewed-by: Rev Iewer <rev@example.org>", undefined, "Rev Iewer <rev@example.org>"),
  ].join("");
  const file = path.join(tmp, "thread.mbox");
  writeFileSync(file, thread);
  const am = spawnSync("b4", ["--offline-mode", "am", "-m", file, "-o", "-", "c@example.org"], { cwd: tmp, encoding: "utf8", env: {
      ...process.env,
      HOME: tmp,
      XDG_CONFIG_HOME: tmp,
      XDG_DATA_HOME: tmp,
      GIT_CONFIG_GLOBAL: "/dev/null",
      GIT_CONFIG_NOSYSTEM: "1",
      // b4 stops without a git identity; given here, not read from the machine.
      GIT_CONFIG_COUNT: "2",
      GIT_CONFIG_KEY_0: "user.name",
      GIT_CONFIG_VALUE_0: "Test Runner",
      GIT_CONFIG_KEY_1: "user.email",
      GIT_CONFIG_VALUE_1: "runner@example.org",
    },
  });
  expect(am.stderr).not.toMatch(/error|traceback/i);
  expect(am.status).toBe(0);
  expect(am.stdout).toContain("Reviewed-by: Rev Iewer <rev@example.org>");
  const io = { ...captureIo(tmp), stdin: Readable.from([Buffer.from(am.stdout)]) };
  const code = await main(["reply", "-"], io);
  expect(io.err()).toBe("patchwarden: 1 reply for 2 commits\n");
  expect(code).toBe(0);
  const replies = io.out().split(/^From patchwarden /m).filter(Boolean);
  expect(replies).toHaveLength(1);
  expect(replies[0]).toContain("Subject: Re: [PATCH 1/2] x86/acpi: skip the PM timer");
  expect(replies[0]).toContain("In-Reply-To: <p1@example.org>");
  expect(replies[0]).toContain("error (hv-special-case)");
});
