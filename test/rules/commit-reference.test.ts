import { describe, expect, it } from "@jest/globals";
import { commitReference } from "../../rules/commit-reference.js";
import { LINUX_DEFAULTS } from "../../src/config/defaults.js";
import { parseSeries } from "../../src/patch/series.js";
import { ruleTester, type CommitSpec } from "./rule-tester.js";

const files = [{ path: "arch/x86/kernel/setup.c", hunk: " \tfoo();\n+\tbar();" }];
// The tester signs every commit as the author (Test Author <author@example.org>).
const c = (subject: string, body: string): { commits: CommitSpec[] } => ({ commits: [{ subject, body, files }] });

ruleTester(commitReference, {
  valid: [
    { name: "a well-formed commit", ...c("x86/setup: Reserve the EBDA early", 'Commit 1234567890ab ("x86/setup: Move EBDA") moved the reservation after the first allocation.') },
    { name: "a reference wrapped over lines", ...c("x86/setup: Reserve the EBDA early", 'Since commit\n\n  1234567890ab ("x86/setup: Move EBDA")\n\nthe reservation comes too late.') },
    { name: "git's own revert line", ...c('Revert "x86/setup: a very long subject that goes on and on and on past the seventy-five limit"', "This reverts commit 1234567.\n\nIt broke boot on the EBDA-less boards.") },
    // Prefixes as kernel-style trees write them (issue 9: 39 of 41 "no prefix" findings on merged tip commits were valid).
    ...["x86,fs/resctrl: Add a thing", "rseq, virt: Add a thing", "x86/mm/pat: Add a thing", "perf vendor events arm64: Add a thing", "kvfree_rcu(): Fix a thing", "clocksource/drivers/renesas,ostm: Add a thing", "KVM: SVM: Add a thing", 'Revert 337f13046ff0 ("futex: Allow FUTEX_CLOCK_REALTIME")', "board: ti: am62x: Add a thing"].map((subject) => ({
      name: `the prefix of "${subject}"`,
      ...c(subject, "The old code fails when the EBDA is missing."),
    })),
  ],
  invalid: [
    {
      name: "no prefix, with the tree: the prefix the touched file's history uses",
      ...c("Rewrite the EBDA reservation", "The old code fails when the EBDA is missing."),
      tree: { prefixes: { "arch/x86/kernel/setup.c": { "x86/setup": 6, "x86/boot": 2 } } },
      errors: [{ severity: "warning", message: ['"x86/setup:" (6 of them)'] }],
    },
    { name: "a short sha in a body reference", ...c("x86/setup: Fix it", "commit 1234567 broke this."), errors: [{ severity: "info", message: ["commit 1234567", "12+ hex"] }] },
    { name: "a reference without its subject", ...c("x86/setup: Fix it", "commit 1234567890abcdef broke this."), errors: [{ message: ["(\"subject\")"] }] },
    { name: "a long subject", ...c(`x86/setup: ${"a".repeat(80)}`, "The old code fails when the EBDA is missing."), errors: [{ severity: "info", message: ["characters"] }] },
    { name: "a subject that ends with a period", ...c("x86/setup: Reserve the EBDA early.", "The old code fails when the EBDA is missing."), errors: [{ severity: "info", message: ["period"] }] },
    { name: "a subject without a subsystem prefix", ...c("Reserve the EBDA early", "The old code fails when the EBDA is missing."), errors: [{ message: ["prefix"] }] },
    {
      name: "a malformed Fixes: tag",
      ...c("x86/setup: Reserve the EBDA early", "The old code fails when the EBDA is missing.\n\nFixes: 1234567 x86/setup: Move EBDA"),
      errors: [{ message: ["Fixes: 1234567", "12+ hex"] }],
    },
  ],
});

describe("commit-reference sign-offs", () => {
  const mail = (from: string, trailers: string) =>
    [
      "From 1111111111111111111111111111111111111111 Mon Sep 17 00:00:00 2001",
      `From: ${from}`,
      "Subject: [PATCH] x86/setup: Reserve the EBDA early",
      "",
      "The old code fails when the EBDA is missing.",
      "",
      trailers,
      "---",
      "diff --git a/a.c b/a.c",
      "--- a/a.c",
      "+++ b/a.c",
      "@@ -1 +1 @@",
      "-a",
      "+b",
      "",
    ].join("\n");
  const run = (text: string) => commitReference.check(parseSeries([{ name: "t", bytes: Buffer.from(text) }]), LINUX_DEFAULTS);

  it("a missing Signed-off-by is an error", () => {
    const found = run(mail("A <a@example.org>", "Reviewed-by: B <b@example.org>"));
    expect(found.map((f) => [f.severity, f.message.slice(0, 22)])).toEqual([["error", "No Signed-off-by: line"]]);
  });

  it.each([
    ["Cc:stable@ without a space", "Signed-off-by: A <a@example.org>\nCc:stable@vger.kernel.org"],
    ["a trailer without its colon", "Reported-by B <b@example.org>\nSigned-off-by: A <a@example.org>"],
    ["a maintainer's note after the trailers", "Signed-off-by: A <a@example.org>\nLink: https://lore.kernel.org/r/1\n\n[updated commit text and minor code fixes]"],
    ["a cherry-pick line after the trailers", "Signed-off-by: A <a@example.org>\n(cherry picked from commit 1234567890abcdef1234567890abcdef12345678)"],
  ])("a signed-off commit is not unsigned because of %s", (_what, trailers) => {
    expect(run(mail("A <a@example.org>", trailers)).filter((f) => f.severity === "error")).toEqual([]);
  });

  it("a git subtree import has no sign-off to check (U-Boot's dts/upstream squashes)", () => {
    const subtree = "b112f324c2a9 arm64: dts: rockchip: Enable USB OTG\n\ngit-subtree-dir: dts/upstream\ngit-subtree-split: fe2d6c49bb4e11ab4de4d2f9bd9234d1407c4f65";
    expect(run(mail("A <a@example.org>", subtree))).toEqual([]);
    // Without its subtree lines the same message is an unsigned commit.
    expect(run(mail("A <a@example.org>", "b112f324c2a9 arm64: dts: rockchip: Enable USB OTG")).map((f) => f.severity)).toContain("error");
  });

  it("a sign-off that is not the author's is a warning", () => {
    const found = run(mail("A <a@example.org>", "Signed-off-by: B <b@example.org>"));
    expect(found.map((f) => f.severity)).toEqual(["warning"]);
    expect(found[0]!.message).toContain("A <a@example.org>");
  });

  it("the author's sign-off, matched by email case-insensitively, is fine", () => {
    expect(run(mail("A <A@Example.org>", "Signed-off-by: A <a@example.org>"))).toEqual([]);
  });
});
