import { describe, expect, it } from "@jest/globals";
import { ruleRegistry } from "../../rules/index.js";
import { LINUX_DEFAULTS } from "../../src/config/defaults.js";
import { runRules } from "../../src/engine/run.js";
import { parseSeries } from "../../src/patch/series.js";
import { addedLinesAtHead, lineAtHead } from "../../src/review/head-lines.js";
import { readMarkers } from "../../src/review/markers.js";
import { applyOverrides } from "../../src/review/overrides.js";
import { planReview, type PlanInput } from "../../src/review/plan.js";
import { renderSeries } from "../rules/rule-tester.js";

const xenTest = { path: "arch/x86/kernel/acpi/boot.c", hunk: " \tfoo();\n+\tif (xen_initial_domain())\n+\t\treturn 0;\n \tbar();" };
const series = parseSeries([
  {
    name: "pr",
    bytes: Buffer.from(
      renderSeries([
        { subject: "x86/acpi: skip the PM timer on Xen dom0", body: "Xen denies access to the PM timer's port, so dom0 cannot use it.", files: [xenTest] },
        // Moves everything in boot.c down by two lines.
        { subject: "x86/acpi: add two lines above", body: "The comment is needed because the code is subtle.", files: [{ path: "arch/x86/kernel/acpi/boot.c", hunk: "+/* one */\n+/* two */\n \tfoo();", oldStart: 5 }] },
      ]),
    ),
  },
]);
const findings = runRules(series, LINUX_DEFAULTS, { only: ["hv-special-case"] });

function input(over: Partial<PlanInput> = {}): PlanInput {
  return {
    series,
    findings,
    applied: [],
    posted: { fingerprints: new Set(), heads: new Set() },
    headSha: "b".repeat(40),
    settings: LINUX_DEFAULTS.app,
    rules: ruleRegistry.map((r) => r.meta),
    unread: [],
    ignoredLabels: [],
    ...over,
  };
}

describe("lines at the head", () => {
  it("follows a line through later commits that add lines above it", () => {
    expect(lineAtHead(series, 0, "arch/x86/kernel/acpi/boot.c", 11)).toEqual({ path: "arch/x86/kernel/acpi/boot.c", line: 13 });
    expect(addedLinesAtHead(series).get("arch/x86/kernel/acpi/boot.c")).toEqual(new Set([5, 6, 13, 14]));
  });
});

describe("planReview", () => {
  it("fails the check on an error and comments inline on the head line, with a marker", () => {
    const plan = planReview(input());
    expect(plan.check.conclusion).toBe("failure");
    expect(plan.check.title).toBe("1 error, 0 warnings");
    expect(plan.check.annotations).toEqual([expect.objectContaining({ path: "arch/x86/kernel/acpi/boot.c", start_line: 13, annotation_level: "failure" })]);
    expect(plan.review!.comments).toEqual([expect.objectContaining({ path: "arch/x86/kernel/acpi/boot.c", line: 13, side: "RIGHT" })]);
    expect(plan.review!.comments[0]!.body).toContain(`<!-- patchwarden:fp=${findings[0]!.fingerprint} -->`);
    expect(plan.review!.comments[0]!.body).toContain("rules/hv-special-case.md");
    expect(readMarkers([plan.review!.body]).fingerprints).toEqual(new Set([findings[0]!.fingerprint]));
  });

  it("posts no review for what was already posted, and reports what disappeared as resolved", () => {
    const plan = planReview(input({ posted: { fingerprints: new Set([findings[0]!.fingerprint, "0123456789abcdef0123"]), heads: new Set() } }));
    expect(plan.review).toBeNull();
    expect(plan.resolved).toEqual(["0123456789abcdef0123"]);
    expect(plan.check.summary).toContain("Resolved since the last review: 1 finding");
  });

  it("a maintainer's override turns errors into info and the check into neutral, saying who", () => {
    // The review that reported it came before the label.
    const posted = readMarkers([{ body: planReview(input()).review!.body, at: "2026-11-25T09:00:00Z" }]);
    const { findings: over, applied } = applyOverrides(
      findings,
      [{ label: { name: "patchwarden/allow-hv-special-case", addedBy: "maintainer", addedAt: "2026-11-25T10:00:00Z" }, rules: ["hv-special-case"] }],
      posted,
    );
    const plan = planReview(input({ findings: over, applied }));
    expect(plan.check.conclusion).toBe("neutral");
    expect(plan.check.title).toBe("Passed with overrides by @maintainer (patchwarden/allow-hv-special-case)");
    expect(plan.check.text).toContain("| hv-special-case | @maintainer | `patchwarden/allow-hv-special-case` | 2026-11-25T10:00:00Z | 1 | 0 |");
    expect(plan.check.text).toContain("info (was error)");
    expect(plan.review).toBeNull();
  });

  it("never concludes success while part of the series went unread", () => {
    const plan = planReview(input({ findings: [], unread: ["12 commits beyond the 250 GitHub lists"] }));
    expect(plan.check.conclusion).toBe("neutral");
    expect(plan.check.summary).toContain("Not checked: 12 commits beyond the 250 GitHub lists");
  });

  it("caps inline comments and summarises the rest in the body", () => {
    const plan = planReview(input({ settings: { ...LINUX_DEFAULTS.app, maxInlineComments: 0 } }));
    expect(plan.review!.comments).toEqual([]);
    expect(plan.review!.body).toContain("`arch/x86/kernel/acpi/boot.c:13` **error**");
  });

  it("puts a series-wide finding under the series, not under a commit", () => {
    const sprawlFinding = { ...findings[0]!, rule: "sprawl", severity: "warning" as const, file: null, line: null, message: "3 of 4 files lie outside xen", fingerprint: "f".repeat(20) };
    const plan = planReview(input({ findings: [sprawlFinding] }));
    expect(plan.review!.body).toContain("### The series\n- **warning** [sprawl]");
    expect(plan.review!.body).not.toContain("### Commit messages");
    expect(plan.check.text).toContain("| `the series` |");
  });

  it("succeeds with no findings", () => {
    expect(planReview(input({ findings: [] })).check).toMatchObject({ conclusion: "success", title: "No findings" });
  });
});
