import { describe, expect, it } from "@jest/globals";
import { sprawl } from "../../rules/sprawl.js";
import { mergeConfig } from "../../src/config/load.js";
import { loadSubsystemMap } from "../../src/maintainers/index.js";
import { parseSeries } from "../../src/patch/series.js";
import { renderSeries, ruleTester } from "./rule-tester.js";

const xen = (n: number) => ({ path: `arch/x86/xen/f${n}.c`, hunk: "+\tfoo();" });
const x86 = (n: number) => ({ path: `arch/x86/kernel/g${n}.c`, hunk: "+\tbar();" });

ruleTester(sprawl, {
  valid: [
    { name: "a series inside its topic", commits: [{ files: [xen(1), xen(2)] }, { files: [xen(3)] }] },
    { name: "a single commit without a named topic", commits: [{ files: [xen(1), x86(1), x86(2)] }] },
    { name: "documentation does not count", config: { topic: "xen" }, commits: [{ files: [xen(1), { path: "Documentation/x86/xen.rst", hunk: "+text" }] }] },
  ],
  invalid: [
    {
      name: "a Xen series found from its commits, reaching into arch/x86: info below the threshold",
      commits: [{ files: [xen(1), xen(2), xen(3)] }, { files: [xen(4), xen(5), xen(6)] }, { files: [xen(7), x86(1)] }],
      errors: [{ file: null, line: null, severity: "info", message: ["1 of the series' 8 changed files (13%)", "outside x86/xen", "arch/x86/kernel/g1.c"] }],
    },
    {
      name: "an explicit topic and most files outside it: a warning",
      config: { topic: "xen" },
      commits: [{ files: [xen(1), x86(1), x86(2)] }],
      errors: [{ severity: "warning", message: ["2 of the series' 3 changed files (67%)", "the topic given", "above the 30% threshold"] }],
    },
    {
      name: "above the threshold, a topic guessed from path conventions (no MAINTAINERS) is a judgement call: info",
      commits: [{ files: [xen(1)] }, { files: [xen(2)] }, { files: [x86(1), x86(2), x86(3)] }],
      errors: [{ severity: "info", message: ["outside x86/xen", "guessed from paths: give MAINTAINERS to be sure", "above the 30% threshold"] }],
    },
    {
      name: "the threshold is configurable",
      config: { topic: "xen", sprawlThreshold: 0.9 },
      commits: [{ files: [xen(1), x86(1), x86(2)] }],
      errors: [{ severity: "info" }],
    },
  ],
});

describe("sprawl with a MAINTAINERS file", () => {
  it("uses the sections of MAINTAINERS for the topic and what lies outside it", () => {
    const maintainers = [
      "XEN HYPERVISOR X86",
      "M:\tA <a@example.org>",
      "S:\tSupported",
      "F:\tarch/x86/xen/",
      "F:\tarch/x86/platform/pvh/",
      "",
      "X86 ARCHITECTURE",
      "M:\tB <b@example.org>",
      "S:\tMaintained",
      "F:\tarch/x86/",
      "X:\tarch/x86/xen/",
      "",
    ].join("\n");
    const config = { ...mergeConfig({}), subsystemMap: loadSubsystemMap(maintainers) };
    const series = parseSeries([
      {
        name: "s",
        bytes: Buffer.from(renderSeries([{ files: [xen(1), { path: "arch/x86/platform/pvh/enlighten.c", hunk: "+\tx();" }] }, { files: [xen(2), x86(1)] }])),
      },
    ]);
    const found = sprawl.check(series, config);
    expect(found).toHaveLength(1);
    expect(found[0]!.message).toContain("1 of the series' 4 changed files (25%) lie outside XEN HYPERVISOR X86");
    expect(found[0]!.message).toContain("arch/x86/kernel/g1.c");
    expect(found[0]!.commitIndex).toBe(1);
    // With MAINTAINERS the subsystem is known: above the threshold is a warning.
    const far = parseSeries([{ name: "s", bytes: Buffer.from(renderSeries([{ files: [xen(1)] }, { files: [xen(2), x86(1), x86(2), x86(3)] }])) }]);
    expect(sprawl.check(far, config).map((f) => f.severity)).toEqual(["warning"]);
  });
});
