// Mails of a commits list (linux-tip-commits) come from a bot and name the
// commit's author in a preamble: the author is that one, and the preamble is
// not the changelog (issue 9: every such mail got a sign-off mismatch).
import { describe, expect, it } from "@jest/globals";
import { LINUX_DEFAULTS } from "../../src/config/defaults.js";
import { runRules } from "../../src/engine/run.js";
import { parseSeries } from "../../src/patch/series.js";

const MAIL = [
  "From tip-bot2@linutronix.de Tue Jun 25 10:00:00 2024",
  'From: "tip-bot2 for Thomas Gleixner" <tip-bot2@linutronix.de>',
  "Date: Tue, 25 Jun 2024 10:00:00 -0000",
  "Subject: [tip: x86/cpu] x86/cpu: Make the thing work on Xen PV",
  "",
  "The following commit has been merged into the x86/cpu branch of tip:",
  "",
  "Commit-ID:     0123456789abcdef0123456789abcdef01234567",
  "Gitweb:        https://git.kernel.org/tip/0123456789abcdef0123456789abcdef01234567",
  "Author:        Thomas Gleixner <tglx@linutronix.de>",
  "AuthorDate:    Mon, 24 Jun 2024 12:00:00 +02:00",
  "Committer:     Borislav Petkov (AMD) <bp@alien8.de>",
  "CommitterDate: Tue, 25 Jun 2024 11:00:00 +02:00",
  "",
  "The thing breaks on Xen PV because the hypervisor hides the leaf.",
  "",
  "Signed-off-by: Thomas Gleixner <tglx@linutronix.de>",
  "Signed-off-by: Borislav Petkov (AMD) <bp@alien8.de>",
  "---",
  " arch/x86/kernel/cpu/common.c | 1 +",
  "",
  "diff --git a/arch/x86/kernel/cpu/common.c b/arch/x86/kernel/cpu/common.c",
  "--- a/arch/x86/kernel/cpu/common.c",
  "+++ b/arch/x86/kernel/cpu/common.c",
  "@@ -1,2 +1,3 @@",
  " int a;",
  "+int b;",
  " int c;",
  "",
].join("\n");

describe("a commits list's mail", () => {
  const series = parseSeries([{ name: "tip.mbox", bytes: Buffer.from(MAIL) }]);
  const commit = series.commits[0]!;

  it("names the author from the preamble, not the bot that sent it", () => {
    expect(commit.author).toMatchObject({ name: "Thomas Gleixner", email: "tglx@linutronix.de" });
    expect(commit.sha).toBe("0123456789abcdef0123456789abcdef01234567");
  });

  it("keeps the bot's preamble out of the changelog", () => {
    expect(commit.body).not.toContain("Commit-ID");
    expect(commit.body).toContain("The thing breaks on Xen PV");
  });

  it("gets no sign-off mismatch", () => {
    expect(runRules(series, LINUX_DEFAULTS, { only: ["commit-reference"] }).filter((f) => f.message.includes("Signed-off-by"))).toEqual([]);
  });

  it("an ordinary changelog that happens to start with a field is not a preamble", () => {
    const plain = MAIL.replace(/The following commit[^]*?CommitterDate:[^\n]*\n\n/, "Reported-by: Someone <s@example.org>\n\n");
    const c = parseSeries([{ name: "plain.mbox", bytes: Buffer.from(plain) }]).commits[0]!;
    expect(c.author?.email).toBe("tip-bot2@linutronix.de");
  });
});
