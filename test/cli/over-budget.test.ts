// What the analysis skipped (a line too long to parse, nesting too deep) is
// said on stderr, and the rest of the series is still checked.
import { describe, expect, it } from "@jest/globals";
import { spawnSync } from "node:child_process";
import path from "node:path";
import { renderSeries } from "../rules/rule-tester.js";

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), "../..");
const bin = path.join(root, "bin/patchwarden.js");

describe("patchwarden check over a budget", () => {
  it("says which hunk was not analysed and still reports the special case next to it", () => {
    const patch = renderSeries([
      {
        subject: "x86/acpi: Ignore the PM timer on Xen dom0",
        body: "Xen denies dom0 access to the PM timer's port, so detecting it only produces errors.",
        files: [
          { path: "arch/x86/kernel/setup.c", hunk: ` int a;\n+static const char junk[] = "${"x".repeat(20_000)}";\n int b;` },
          { path: "arch/x86/kernel/acpi/boot.c", hunk: " \tfoo();\n+\tif (xen_initial_domain())\n+\t\treturn 0;\n \tbar();" },
        ],
      },
    ]);
    const r = spawnSync(process.execPath, [bin, "check", "-"], { input: patch, encoding: "utf8", env: { ...process.env, NO_COLOR: "1" } });
    expect(r.status).toBe(1);
    expect(r.stdout).toMatch(/^arch\/x86\/kernel\/acpi\/boot\.c:11: error: .*\[hv-special-case\]$/m);
    expect(r.stderr).toMatch(/warning: arch\/x86\/kernel\/setup\.c: .*not parsed as C/);
  });

  it("says so when brackets nest too deep to parse", () => {
    const patch = renderSeries([
      {
        subject: "x86/acpi: Ignore the PM timer on Xen dom0",
        body: "Xen denies dom0 access to the PM timer's port, so detecting it only produces errors.",
        files: [{ path: "arch/x86/kernel/setup.c", hunk: ` int a;\n+\tx = ${"(".repeat(300)}1${")".repeat(300)};\n+\tif (xen_initial_domain())\n+\t\treturn 0;` }],
      },
    ]);
    const r = spawnSync(process.execPath, [bin, "check", "-"], { input: patch, encoding: "utf8", env: { ...process.env, NO_COLOR: "1" } });
    expect(r.stdout).toMatch(/^arch\/x86\/kernel\/setup\.c:12: error: .*\[hv-special-case\]$/m);
    expect(r.stderr).toMatch(/warning: arch\/x86\/kernel\/setup\.c:\d+: .*\(not analysed\)/);
  });
});

describe("patchwarden check --verbose", () => {
  it("adds each fired rule's reasoning from its doc page, once per rule", () => {
    const r = spawnSync(process.execPath, [bin, "check", "--verbose", path.join(root, "examples/xen-dom0-series.mbox")], { encoding: "utf8", env: { ...process.env, NO_COLOR: "1" } });
    expect(r.status).toBe(1);
    for (const id of ["hv-special-case", "changelog-why", "hv-only-interface"]) expect(r.stdout.split("\n").filter((l) => l === `[${id}]`)).toHaveLength(1);
    expect(r.stdout).toContain("who else will ever use this");
    const plain = spawnSync(process.execPath, [bin, "check", path.join(root, "examples/xen-dom0-series.mbox")], { encoding: "utf8", env: { ...process.env, NO_COLOR: "1" } });
    expect(plain.stdout.split("\n")).not.toContain("[hv-only-interface]");
    expect(plain.stdout).not.toContain("who else will ever use this");
  });
});
