// An override covers the findings that stood when the label was added, by
// fingerprint: what this app had reported by then. Later findings need a
// maintainer again, and the check says which.
import { describe, expect, it } from "@jest/globals";
import { ruleRegistry } from "../../rules/index.js";
import { LINUX_DEFAULTS } from "../../src/config/defaults.js";
import type { Finding } from "../../src/findings/types.js";
import { FingerprintFilter } from "../../src/review/fingerprint-filter.js";
import { readMarkers, reviewMarker } from "../../src/review/markers.js";
import { applyOverrides } from "../../src/review/overrides.js";
import { planReview } from "../../src/review/plan.js";
import { parseSeries } from "../../src/patch/series.js";
import { renderSeries } from "../rules/rule-tester.js";

const series = parseSeries([{ name: "s", bytes: Buffer.from(renderSeries([{ files: [{ path: "arch/x86/mm/init.c", hunk: " \tint x;\n+\tif (xen_pv_domain())\n+\t\tf();\n+\tif (hv_is_isolation_supported())\n+\t\tg();" }] }])) }]);

function finding(fp: string, line: number, rule = "hv-special-case"): Finding {
  return { rule, severity: "error", file: "arch/x86/mm/init.c", line, commitIndex: 0, commit: null, commitSubject: "s", message: `finding ${fp}`, fingerprint: fp };
}

const xen = finding("a".repeat(20), 11);
const hyperv = finding("b".repeat(20), 13);
const label = { name: "patchwarden/override-all", addedBy: "maintainer", addedAt: "2026-11-25T10:00:00Z" };
const all = [{ label, rules: ["*"] }];

describe("overrides bound to fingerprints", () => {
  it("covers what was reported before the label, not what came after", () => {
    const posted = readMarkers([
      { body: reviewMarker("1".repeat(40), [xen.fingerprint]), at: "2026-11-25T09:59:59Z" },
      { body: reviewMarker("2".repeat(40), [hyperv.fingerprint]), at: "2026-11-25T10:05:00Z" },
    ]);
    const { findings, applied } = applyOverrides([xen, hyperv], all, posted);
    expect(findings.map((f) => f.severity)).toEqual(["info", "error"]);
    expect(applied[0]).toMatchObject({ count: 1, uncovered: 1 });
    expect(findings[1]!.notCoveredBy).toBe(applied[0]);
  });

  it("a label added in the same second as the review covers it", () => {
    const posted = readMarkers([{ body: reviewMarker("1".repeat(40), [xen.fingerprint]), at: label.addedAt }]);
    expect(applyOverrides([xen], all, posted).findings[0]!.severity).toBe("info");
  });

  it("covers findings the review only counted (the filter in the marker)", () => {
    const posted = readMarkers([{ body: reviewMarker("1".repeat(40), [], FingerprintFilter.of([xen.fingerprint], 1024)), at: "2026-11-25T09:00:00Z" }]);
    expect(applyOverrides([xen, hyperv], all, posted).findings.map((f) => f.severity)).toEqual(["info", "error"]);
  });

  it("a label without a known time covers nothing; a rule label leaves other rules alone", () => {
    const posted = readMarkers([{ body: reviewMarker("1".repeat(40), [xen.fingerprint]), at: "2026-11-25T09:00:00Z" }]);
    const unknown = applyOverrides([xen], [{ label: { ...label, addedAt: null }, rules: ["*"] }], posted);
    expect(unknown.findings[0]!.severity).toBe("error");
    const other = applyOverrides([finding("c".repeat(20), 11, "changelog-why")], [{ label, rules: ["hv-special-case"] }], posted);
    expect(other.findings[0]!.notCoveredBy).toBeUndefined();
    expect(other.applied[0]).toMatchObject({ count: 0, uncovered: 0 });
  });

  it("the check fails, says which findings the label does not cover, and shows both in the override table", () => {
    const posted = readMarkers([{ body: reviewMarker("1".repeat(40), [xen.fingerprint]), at: "2026-11-25T09:00:00Z" }]);
    const { findings, applied } = applyOverrides([xen, hyperv], all, posted);
    const plan = planReview({
      series,
      findings,
      applied,
      posted,
      headSha: "2".repeat(40),
      settings: LINUX_DEFAULTS.app,
      rules: ruleRegistry.map((r) => r.meta),
      unread: [],
      ignoredLabels: [],
    });
    expect(plan.check.conclusion).toBe("failure");
    expect(plan.check.title).toBe("1 error, 0 warnings (1 finding not covered by the override)");
    expect(plan.check.summary).toContain("Overridden by @maintainer with `patchwarden/override-all` on 2026-11-25T10:00:00Z: 1 finding");
    expect(plan.check.summary).toContain("Not covered by `patchwarden/override-all` (@maintainer, 2026-11-25T10:00:00Z): 1 finding that was not reported when the label was added");
    expect(plan.check.summary).toContain("`arch/x86/mm/init.c:13` **error** hv-special-case: finding bbbb");
    expect(plan.check.text).toContain("| Rules | Who | Label | When | Overridden | Not covered |");
    expect(plan.check.text).toContain("| * | @maintainer | `patchwarden/override-all` | 2026-11-25T10:00:00Z | 1 | 1 |");
    expect(plan.check.text).toContain("error (not covered by `patchwarden/override-all`)");
    // The new finding is new to the review too.
    expect(plan.review!.comments.map((c) => c.line)).toEqual([13]);
  });

  it("a warning the label does not cover keeps the check neutral and says so", () => {
    const warn = { ...hyperv, severity: "warning" as const };
    const { findings, applied } = applyOverrides([warn], all, readMarkers([]));
    const plan = planReview({ series, findings, applied, posted: readMarkers([]), headSha: "2".repeat(40), settings: LINUX_DEFAULTS.app, rules: ruleRegistry.map((r) => r.meta), unread: [], ignoredLabels: [] });
    expect(plan.check).toMatchObject({ conclusion: "neutral", title: "1 warning (1 finding not covered by the override)" });
  });
});
