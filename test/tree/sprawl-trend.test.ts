// The subsystem's sprawl over the last quarters, beside the series' own
// figure, in the check run's summary (issue 15): read in the base tree's
// history under the topic's directories, by committer quarter, bounded in
// time and lines, and never failing the review.
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { ruleRegistry } from "../../rules/index.js";
import { LINUX_DEFAULTS } from "../../src/config/defaults.js";
import type { PatchwardenConfig } from "../../src/config/types.js";
import { analyzeSeries } from "../../src/engine/job.js";
import { parseSeries } from "../../src/patch/series.js";
import { planReview, type PlanInput } from "../../src/review/plan.js";
import { describeSprawlTrend, sprawlTrend, topicDirectories } from "../../src/tree/sprawl-trend.js";
import { TestRepo } from "../history/test-repo.js";

const signed = "\n\nSigned-off-by: Test Runner <runner@example.org>";
const config: PatchwardenConfig = { ...LINUX_DEFAULTS, topic: "xen" };
let repo: TestRepo;
let base: string;

beforeAll(() => {
  repo = new TestRepo("patchwarden-trend-");
  repo.commit(`xen: start${signed}`, "2023-01-05T00:00:00Z", { "drivers/xen/a.c": "int a;\n", "drivers/xen/events/b.c": "int b;\n", "mm/m.c": "int m;\n" });
  // 2024-Q1: one commit, half outside. 2024-Q2: quiet. 2024-Q3: one commit, all inside (in a subdirectory).
  repo.commit(`xen: reach${signed}`, "2024-02-01T00:00:00Z", { "drivers/xen/a.c": "int a2;\n", "mm/m.c": "int m2;\n" });
  repo.commit(`xen: events${signed}`, "2024-08-01T00:00:00Z", { "drivers/xen/events/b.c": "int b2;\n" });
  base = repo.commit(`mm: unrelated${signed}`, "2024-09-01T00:00:00Z", { "mm/m.c": "int m3;\n" });
});
afterAll(() => repo.remove());

/** One commit changing drivers/xen/a.c and mm/m.c: half its files outside Xen. */
const patch = `From 1234567890123456789012345678901234567890 Mon Sep 17 00:00:00 2001
From: A <a@example.org>
Date: Mon, 2 Sep 2024 00:00:00 +0000
Subject: [PATCH] xen: reach into mm again

Xen needs mm to know.${signed}
---
diff --git a/drivers/xen/a.c b/drivers/xen/a.c
--- a/drivers/xen/a.c
+++ b/drivers/xen/a.c
@@ -1 +1 @@
-int a2;
+int a3;
diff --git a/mm/m.c b/mm/m.c
--- a/mm/m.c
+++ b/mm/m.c
@@ -1 +1 @@
-int m3;
+int m4;
-- 
2.40.0
`;
const series = () => parseSeries([{ name: "t.patch", bytes: Buffer.from(patch) }], LINUX_DEFAULTS.limits);

describe("the subsystem's sprawl over the last quarters", () => {
  it("reads the topic's directories by quarter, the base's quarter last, quiet quarters as gaps", async () => {
    const { trend, note } = await sprawlTrend(series(), { repo: repo.dir, commit: base, from: "test" }, config, { quarters: 4, deadline: Date.now() + 5000, maxLines: 10_000 });
    expect(note).toBeNull();
    expect(trend!.periods).toEqual([
      { label: "2023-Q4", commits: 0, share: null },
      { label: "2024-Q1", commits: 1, share: 0.5 },
      { label: "2024-Q2", commits: 0, share: null },
      { label: "2024-Q3", commits: 1, share: 0 },
    ]);
    expect(trend!.series).toEqual({ outside: 1, files: 2 });
    expect(describeSprawlTrend(trend!)).toBe(
      "xen's sprawl over the last 4 quarters (2023-Q4 to 2024-Q3, · no commits): ·▅·▁ — 33% of the files its 2 commits touched lie outside it (treewide commits left out); this series: 50% (1 of its 2 files)",
    );
  });

  it("stops at its bounds and says so", async () => {
    const { trend, note } = await sprawlTrend(series(), { repo: repo.dir, commit: base, from: "test" }, config, { quarters: 8, deadline: Date.now() + 5000, maxLines: 2 });
    expect(trend).toBeNull();
    expect(note).toContain("over the 2-line limit");
  });

  it("the highest directory the topic still covers stands for a file", () => {
    const covers = (p: string) => p.startsWith("drivers/xen/") || p === "include/xen.h";
    expect(topicDirectories(["drivers/xen/events/b.c", "drivers/xen/a.c", "include/xen.h"], covers)).toEqual(["drivers/xen", "include/xen.h"]);
  });

  it("the review's tree report carries the line, and the check run's summary shows it", async () => {
    const result = await analyzeSeries({ sources: [{ name: "t.patch", text: patch }], config, maintainers: null, tree: { at: { repo: repo.dir, commit: base, from: "the pull request's base" } } });
    expect(result.kind).toBe("reviewed");
    const tree = result.kind === "reviewed" ? result.tree! : null;
    expect(tree!.sprawl).toMatch(/^xen's sprawl over the last 8 quarters \(2022-Q4 to 2024-Q3, · no commits\): ·▃···▅·▁ — 33% of the files its 3 commits .*this series: 50% \(1 of its 2 files\)$/);
    const input: PlanInput = {
      series: result.kind === "reviewed" ? result.series : series(),
      findings: [],
      applied: [],
      posted: { fingerprints: new Set(), heads: new Set() },
      headSha: "b".repeat(40),
      settings: LINUX_DEFAULTS.app,
      rules: ruleRegistry.map((r) => r.meta),
      unread: [],
      ignoredLabels: [],
      tree: tree!,
    };
    expect(planReview(input).check.summary).toContain(`\n- ${tree!.sprawl}`);
  });
});
