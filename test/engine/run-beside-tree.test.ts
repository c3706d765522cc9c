// The rules run in two steps around the tree's lookups (src/engine/run.ts):
// those without `readsTree` before the tree is known. A rule that read the
// tree without saying so would judge without it on the command line and
// with it in tests: these tests hold every rule to its flag, and the two
// paths to the same findings.
import { describe, expect, it } from "@jest/globals";
import { readFileSync } from "node:fs";
import path from "node:path";
import { ruleRegistry } from "../../rules/index.js";
import { LINUX_DEFAULTS } from "../../src/config/defaults.js";
import { commitWarmer, runRules, runRulesBesideTree } from "../../src/engine/run.js";
import { parseSeries, SeriesBuilder } from "../../src/patch/series.js";
import { renderSeries } from "../rules/rule-tester.js";
import { viewOf } from "../../src/patch/source-view.js";
import type { Rule } from "../../rules/types.js";
import type { Commit, Series } from "../../src/patch/types.js";
import type { RuleContext, TreeFacts } from "../../src/tree/types.js";

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), "../..");
const example = (name: string) => ({ name, bytes: readFileSync(path.join(root, "examples", name)) });

// A series that gives several rules something to say, tree-reading ones among them.
const XEN_HELPER = renderSeries([
  {
    subject: "Add helper",
    body: "Add a helper.",
    files: [
      { path: "arch/x86/kernel/setup.c", section: "void setup(void)", hunk: " {\n \tfoo();\n }\n+\n+void x86_setup_extra(void)\n+{\n+\tif (xen_pv_domain())\n+\t\tbar();\n+}" },
      { path: "arch/x86/xen/enlighten.c", section: "void xen_start(void)", oldStart: 20, hunk: " {\n \tbaz();\n+\tx86_setup_extra();\n }" },
    ],
  },
]);

// A core prefix on arch-only code: changelog-subsystem suggests the prefix the tree's history uses.
const CORE_PREFIX_ON_ARCH = renderSeries([
  {
    subject: "mm: Check the walk's level before reading it",
    body: "The walk read a level past the last one on five-level paging, which\ncrashed the dump of a fault address.",
    files: [{ path: "arch/x86/mm/fault.c", section: "static void dump(void)", hunk: " {\n \twalk();\n+\tcheck_level();\n }" }],
  },
]);

function seriesOf(): Series[] {
  return [
    parseSeries([example("xen-dom0-series.mbox")], LINUX_DEFAULTS.limits),
    parseSeries([example("clean-fix.patch")], LINUX_DEFAULTS.limits),
    parseSeries([{ name: "helper.patch", bytes: Buffer.from(XEN_HELPER) }], LINUX_DEFAULTS.limits),
    parseSeries([{ name: "prefix.patch", bytes: Buffer.from(CORE_PREFIX_ON_ARCH) }], LINUX_DEFAULTS.limits),
  ];
}

function facts(series: Series): TreeFacts {
  const prefixes = new Map(series.files.map((f) => [f.newPath ?? f.oldPath ?? "", [{ prefix: "x86/xen", commits: 7 }]]));
  const symbols = new Map([["x86_setup_extra", { lines: [{ path: "arch/x86/kvm/x86.c", line: 3, text: "x86_setup_extra();" }], truncated: false }]]);
  return { base: "a".repeat(40), baseFrom: "test", symbols, prefixes, census: [], notes: [] };
}

describe("runRulesBesideTree", () => {
  it.each(ruleRegistry.filter((r) => !r.readsTree).map((r) => r.meta.id))("%s does not read the tree (it has no readsTree)", (id) => {
    const rule = ruleRegistry.find((r) => r.meta.id === id)!;
    const context: RuleContext = Object.defineProperty({}, "tree", {
      get() {
        throw new Error(`${id} read context.tree`);
      },
    });
    for (const series of seriesOf()) expect(() => rule.check(series, LINUX_DEFAULTS, context)).not.toThrow();
  });

  it("the tree-reading rules do read it (their flag is not left over)", () => {
    for (const rule of ruleRegistry.filter((r) => r.readsTree)) {
      let read = false;
      const context: RuleContext = Object.defineProperty({}, "tree", { get: () => ((read = true), undefined) });
      for (const series of seriesOf()) rule.check(series, LINUX_DEFAULTS, context);
      expect({ rule: rule.meta.id, read }).toEqual({ rule: rule.meta.id, read: true });
    }
  });

  it("gives the findings runRules gives, with a tree and without one", async () => {
    for (const series of seriesOf()) {
      const tree = facts(series);
      const withTree = await runRulesBesideTree(series, LINUX_DEFAULTS, Promise.resolve(tree));
      expect(withTree.findings).toEqual(runRules(series, LINUX_DEFAULTS, { tree }));
      expect(withTree.tree).toBe(tree);
      const without = await runRulesBesideTree(series, LINUX_DEFAULTS, Promise.resolve(null));
      expect(without.findings).toEqual(runRules(series, LINUX_DEFAULTS));
    }
  });

  it("the tree facts change what the tree-reading rules say (the comparison above can fail)", () => {
    for (const series of seriesOf().slice(2)) {
      const tree = facts(series);
      expect(runRules(series, LINUX_DEFAULTS, { tree })).not.toEqual(runRules(series, LINUX_DEFAULTS));
    }
  });

  it("keeps --rule and --ignore as runRules does", async () => {
    const series = seriesOf()[0]!;
    const only = ["hv-special-case", "commit-reference"];
    const got = await runRulesBesideTree(series, LINUX_DEFAULTS, Promise.resolve(null), { only });
    expect(got.findings).toEqual(runRules(series, LINUX_DEFAULTS, { only }));
    expect(new Set(got.findings.map((f) => f.rule))).toEqual(new Set(runRules(series, LINUX_DEFAULTS, { only }).map((f) => f.rule)));
  });

  it("a failed lookup fails the run, after the rules ran, with its own error", async () => {
    const series = seriesOf()[0]!;
    await expect(runRulesBesideTree(series, LINUX_DEFAULTS, Promise.reject(new Error("git died")))).rejects.toThrow("git died");
  });
});

describe("commitWarmer", () => {
  const inputs = () => [example("xen-dom0-series.mbox"), example("clean-fix.patch"), { name: "helper.patch", bytes: Buffer.from(XEN_HELPER) }, { name: "prefix.patch", bytes: Buffer.from(CORE_PREFIX_ON_ARCH) }];

  it("warming each commit as it arrives leaves the findings as they are", () => {
    const builder = new SeriesBuilder(LINUX_DEFAULTS.limits);
    const warm = commitWarmer(LINUX_DEFAULTS);
    for (const input of inputs()) warm(builder.add(input));
    const warmed = builder.finish();
    const cold = parseSeries(inputs(), LINUX_DEFAULTS.limits);
    expect(runRules(warmed, LINUX_DEFAULTS, { tree: facts(warmed) })).toEqual(runRules(cold, LINUX_DEFAULTS, { tree: facts(cold) }));
    expect(runRules(warmed, LINUX_DEFAULTS).length).toBeGreaterThan(0);
  });

  it("hands every commit given to the selected rules that warm, and to no other", () => {
    const seen: string[] = [];
    const warming = (id: string): Rule => ({ ...ruleRegistry[0]!, meta: { ...ruleRegistry[0]!.meta, id }, warm: (c: Commit) => void seen.push(`${id} ${c.subject}`) });
    const series = parseSeries([example("xen-dom0-series.mbox")], LINUX_DEFAULTS.limits);
    commitWarmer(LINUX_DEFAULTS, { rules: [warming("a"), warming("b")], ignore: ["b"] })(series.commits);
    expect(seen).toEqual(series.commits.map((c) => `a ${c.subject}`));
    expect(seen.length).toBeGreaterThan(1);
  });

  it("a view built before the series is finished still spends the series' parse budget", () => {
    const builder = new SeriesBuilder({ ...LINUX_DEFAULTS.limits, seriesParseMs: 0 });
    const [commit] = builder.add({ name: "helper.patch", bytes: Buffer.from(XEN_HELPER) });
    commitWarmer(LINUX_DEFAULTS)([commit!]);
    builder.finish();
    const view = viewOf(commit!.files[0]!, LINUX_DEFAULTS.limits.maxParseBytes);
    expect(view.functionAt(16)).toBeNull();
    expect(view.skipped().map((n) => n.message)).toEqual(["not parsed as C: the series used up its parse time"]);
  });
});
