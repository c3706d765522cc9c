import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { LINUX_DEFAULTS } from "../../src/config/defaults.js";
import { runRules } from "../../src/engine/run.js";
import { parseSeries } from "../../src/patch/series.js";
import { belowCeilings, CHANGELOG_GROUP_KEY, measureNoise, overCeilings, REFERENCE_ERRORS_KEY } from "../../src/stats/noise.js";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

describe("overCeilings", () => {
  it("fails a figure above its ceiling, and one without a ceiling unless it is zero", () => {
    expect(overCeilings({ a: 10, b: 3, c: 0 }, { a: 10, b: 2 })).toEqual(["b 3.0 per 1,000 is above its ceiling 2"]);
    expect(overCeilings({ d: 1 }, {})).toEqual(["d 1.0 per 1,000 has no ceiling in eval-floors.json (noise.d)"]);
  });

  it("names the ceilings the figures came down from", () => {
    expect(belowCeilings({ a: 5, b: 2 }, { a: 10, b: 2, gone: 1 })).toEqual(["a 5.0 per 1,000 (ceiling 10)", "gone 0.0 per 1,000 (ceiling 1)"]);
  });
});

describe("measureNoise", () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), "patchwarden-noise-"));
    copyFileSync(path.join(root, "examples/clean-fix.patch"), path.join(dir, "clean.patch"));
    // No body, no sign-off: as noisy a commit as there is.
    writeFileSync(
      path.join(dir, "thin.patch"),
      "From 1111111111111111111111111111111111111111 Mon Sep 17 00:00:00 2001\nFrom: A <a@example.org>\nSubject: [PATCH] mm: tweak\n\n---\ndiff --git a/mm/a.c b/mm/a.c\n--- a/mm/a.c\n+++ b/mm/a.c\n@@ -1,1 +1,2 @@\n a\n+b\n",
    );
    writeFileSync(path.join(dir, "junk.patch"), "not a patch\n");
    writeFileSync(path.join(dir, "README.md"), "not counted\n");
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("counts each readable .patch as one commit, with per-rule and group figures that agree with check", async () => {
    const report = await measureNoise(dir, LINUX_DEFAULTS);
    expect(report.commits).toBe(2);
    expect(report.unreadable.map((e) => e.source)).toEqual([path.join(dir, "junk.patch")]);
    const noisy = new Map<string, number>();
    const group = new Set<string>();
    const errors = new Set<string>();
    const noisyFiles = new Set<string>();
    for (const name of ["clean.patch", "thin.patch"]) {
      const findings = runRules(parseSeries([{ name, bytes: readFileSync(path.join(dir, name)) }]), LINUX_DEFAULTS).filter((f) => f.severity !== "info");
      for (const rule of new Set(findings.map((f) => f.rule))) noisy.set(rule, (noisy.get(rule) ?? 0) + 1);
      if (findings.length > 0) noisyFiles.add(name);
      if (findings.some((f) => ["changelog-why", "changelog-subsystem", "commit-reference"].includes(f.rule))) group.add(name);
      if (findings.some((f) => f.rule === "commit-reference" && f.severity === "error")) errors.add(name);
    }
    for (const [rule, n] of noisy) expect(report.counts[rule]).toBe(n);
    expect(report.counts[CHANGELOG_GROUP_KEY]).toBe(group.size);
    expect(report.counts[REFERENCE_ERRORS_KEY]).toBe(errors.size);
    expect(report.figures[CHANGELOG_GROUP_KEY]).toBe(group.size * 500);
    expect(group.has("thin.patch")).toBe(true);
    // Every warning and error is listed by file, for a reader to judge.
    expect(report.noisy.length).toBeGreaterThan(0);
    expect(report.noisy.every((n) => n.finding.severity !== "info")).toBe(true);
    expect(new Set(report.noisy.map((n) => n.input))).toEqual(new Set([...group, ...noisyFiles]));
  });
});
