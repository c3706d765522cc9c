// The shapes an attacker tried against the whole engine (reader, C view,
// every rule): each must cost time linear in its size. Growth between n and
// 4n is compared, never a wall-clock threshold.
import { describe, expect, it } from "@jest/globals";
import { LINUX_DEFAULTS } from "../../src/config/defaults.js";
import { runRules } from "../../src/engine/run.js";
import { parseSeries } from "../../src/patch/series.js";
import { renderSeries } from "../rules/rule-tester.js";
import { growthRatio, LINEAR_GROWTH_LIMIT } from "../security/growth.js";

function patchOf(path: string, added: string[]): string {
  return renderSeries([{ subject: "x86/mm: Do a thing", body: "Because the thing was not done, the other thing broke.", files: [{ path, hunk: [" int a;", ...added.map((l) => (l.startsWith("-") ? l : `+${l}`)), " int b;"].join("\n") }] }]);
}

function review(text: string): number {
  const series = parseSeries([{ name: "hostile.patch", bytes: Buffer.from(text, "utf8") }], LINUX_DEFAULTS.limits);
  return runRules(series, LINUX_DEFAULTS).length;
}

const repeat = (n: number, f: (i: number) => string) => Array.from({ length: n }, (_, i) => f(i));

// Each shape: a name, a path, and added lines for size n.
const shapes: [string, string, (n: number) => string[], number?][] = [
  ["deeply nested #if", "arch/x86/mm/init.c", (n) => [...repeat(n, () => "#ifdef CONFIG_XEN"), "\tfoo();", ...repeat(n, () => "#endif")]],
  ["nested conditions", "kernel/sched/core.c", (n) => [...repeat(n, () => "\tif (xen_pv_domain()) {"), ...repeat(n, () => "\t}")]],
  ["nested structs", "arch/x86/include/asm/paravirt_types.h", (n) => [...repeat(n, (i) => `struct pv_s${i} {`), "\tvoid (*op)(void);", ...repeat(n, () => "};")]],
  ["many hypervisor tests on one line", "arch/x86/kernel/setup.c", (n) => [`\tif (${repeat(n, () => "xen_pv_domain()").join(" && ")})`]],
  ["many feature tests on one line", "arch/x86/kernel/setup.c", (n) => [`\tif (${repeat(n, () => "boot_cpu_has(X86_FEATURE_XENPV)").join(" || ")})`]],
  ["a long macro continuation", "arch/x86/kernel/setup.c", (n) => ["#define XEN_THING(x) \\", ...repeat(n, () => "\tif (xen_pv_domain()) x; \\"), "\tdo { } while (0)"]],
  ["unclosed parentheses", "mm/memory.c", (n) => [`\tfoo(${"(".repeat(n)}xen_pv_domain()`]],
  ["unterminated strings", "mm/memory.c", (n) => repeat(n, () => '\tpr_info("xen_pv_domain() %d')],
  ["one long line of declarations", "arch/x86/kernel/setup.c", (n) => [`static int ${repeat(n, (i) => `a${i}`).join(", ")};`]],
  ["thousands of removed and added tests that do not pair", "arch/x86/kernel/setup.c", (n) => [...repeat(n, (i) => `-\tif (xen_pv_domain()) a${i}();`), ...repeat(n, (i) => `\tif (kvm_para_available()) b${i}();`)]],
  ["one name declared thousands of times", "arch/x86/kernel/setup.c", (n) => repeat(n, () => "int xen_thing;")],
  ["thousands of tests under one Kconfig guard each, nested", "arch/x86/mm/init.c", (n) => [...repeat(n, () => "#ifdef CONFIG_XEN"), ...repeat(n, () => "\tif (xen_pv_domain()) foo();"), ...repeat(n, () => "#endif")]],
  ["many file-scope functions", "arch/x86/kernel/setup.c", (n) => repeat(n, (i) => `void __init xen_thing_${i}(void) { }`)],
];

describe("hostile shapes cost linear time through the whole engine", () => {
  // `from`: a size where a quadratic term would already show over the linear cost of reading.
  it.each(shapes)("%s", (_name, path, lines, from = 50) => {
    expect(() => review(patchOf(path, lines(50)))).not.toThrow();
    expect(growthRatio(review, (n) => patchOf(path, lines(n)), from, 3)).toBeLessThan(LINEAR_GROWTH_LIMIT);
  }, 120_000);
});

describe("hostile series shapes cost linear time", () => {
  const commit = (i: number, body: string) => ({ subject: `x86/xen: Thing ${i}`, body, files: [{ path: `arch/x86/xen/f${i % 50}.c`, hunk: " int a;\n+int b;" }] });
  const series: [string, (n: number) => string][] = [
    ["many commits", (n) => renderSeries(Array.from({ length: n }, (_, i) => commit(i, "Because it broke.")))],
    ["a long changelog", (n) => renderSeries([commit(0, Array.from({ length: n }, (_, i) => `Line ${i} of a changelog that says why, because it broke.`).join("\n"))])],
    ["a changelog of one long line", (n) => renderSeries([commit(0, "because ".repeat(n))])],
    ["many trailers", (n) => renderSeries([commit(0, `Because it broke.\n\n${Array.from({ length: n }, (_, i) => `Cc: person${i} <p${i}@example.org>`).join("\n")}`)])],
    ["many Fixes: lines", (n) => renderSeries([commit(0, `Because it broke.\n\n${Array.from({ length: n }, () => 'Fixes: 123456789012 ("x').join("\n")}`)])],
  ];
  it.each(series)("%s", (_name, make) => {
    expect(growthRatio(review, make, 20, 3)).toBeLessThan(LINEAR_GROWTH_LIMIT);
  }, 120_000);
});
