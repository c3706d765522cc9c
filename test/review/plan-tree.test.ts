// What the check run and the review say about the base tree (issue 11): the
// census of the touched areas, the commit read, and why there was no tree.
import { describe, expect, it } from "@jest/globals";
import { ruleRegistry } from "../../rules/index.js";
import { LINUX_DEFAULTS } from "../../src/config/defaults.js";
import { runRules } from "../../src/engine/run.js";
import { parseSeries } from "../../src/patch/series.js";
import { planReview, type PlanInput } from "../../src/review/plan.js";
import { renderSeries } from "../rules/rule-tester.js";

const series = parseSeries([
  {
    name: "pr",
    bytes: Buffer.from(renderSeries([{ subject: "x86/acpi: skip the PM timer on Xen dom0", body: "Xen denies access to the PM timer's port, so dom0 cannot use it.", files: [{ path: "arch/x86/kernel/acpi/boot.c", hunk: " \tfoo();\n+\tif (xen_initial_domain())\n+\t\treturn 0;\n \tbar();" }] }])),
  },
]);
const findings = runRules(series, LINUX_DEFAULTS, { only: ["hv-special-case"] });
const input = (tree: PlanInput["tree"]): PlanInput => ({
  series,
  findings,
  applied: [],
  posted: { fingerprints: new Set(), heads: new Set() },
  headSha: "b".repeat(40),
  settings: LINUX_DEFAULTS.app,
  rules: ruleRegistry.map((r) => r.meta),
  unread: [],
  ignoredLabels: [],
  ...(tree ? { tree } : {}),
});
const census = "arch/x86: 41 Xen conditionals at the base, 42 after this series (+1)";

describe("the base tree in the plan", () => {
  it("the check's summary names the commit read and lists the census; the review body repeats the census", () => {
    const plan = planReview(input({ base: "a".repeat(40), from: "the pull request's base", census: [census], notes: ["the tree lookup stopped after 20000 lines"] }));
    expect(plan.check.summary).toContain("- Base tree: `aaaaaaaaaaaa` (the pull request's base)");
    expect(plan.check.summary).toContain(`- Hypervisor conditionals in the shared code the series touches:\n  - ${census}`);
    expect(plan.check.summary).toContain("- Base tree: the tree lookup stopped after 20000 lines");
    expect(plan.review!.body).toContain(`### Hypervisor conditionals at the base \`aaaaaaaaaaaa\`\n- ${census}`);
    // The tree changes what is said, not the verdict.
    expect(plan.check.conclusion).toBe(planReview(input(undefined)).check.conclusion);
  });

  it("without a tree the summary says why, and no census is shown anywhere", () => {
    const plan = planReview(input({ base: null, from: null, census: [], notes: ["reviewed without the base tree: the mirror is being built"] }));
    expect(plan.check.summary).toContain("- Base tree: reviewed without the base tree: the mirror is being built");
    expect(plan.check.summary).not.toContain("Hypervisor conditionals");
    expect(plan.review!.body).not.toContain("Hypervisor conditionals");
  });

  it("says nothing of a tree when the caller gave no report (the CLI's own output has its lines)", () => {
    expect(planReview(input(undefined)).check.summary).not.toContain("Base tree");
  });
});
