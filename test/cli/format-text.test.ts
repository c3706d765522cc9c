import { describe, expect, it } from "@jest/globals";
import { formatText } from "../../src/cli/format-text.js";
import type { Finding, RuleMeta } from "../../src/findings/types.js";

const SHA_A = "abcdef1234567890abcdef1234567890abcdef12";
const SHA_C = "0123456789ab0123456789ab0123456789ab0123";

function finding(over: Partial<Finding>): Finding {
  return {
    rule: "hv-special-case",
    severity: "error",
    file: "arch/x86/kernel/setup.c",
    line: 10,
    commitIndex: 0,
    commit: SHA_A,
    commitSubject: "x86/xen: add special case",
    message: "Do not special-case one hypervisor in generic code.",
    fingerprint: "fp",
    ...over,
  };
}

const rules: RuleMeta[] = [
  { id: "hv-special-case", defaultSeverity: "error", description: "d", docPath: "rules/hv-special-case.md" },
];

const plain = (findings: Finding[], inputs = 3) => formatText(findings, { color: false, rules, inputs });
const ESC = "\x1b[";

describe("formatText", () => {
  it("prints only a summary when there are no findings", () => {
    expect(plain([], 2)).toBe("no findings in 2 commits\n");
    expect(plain([], 1)).toBe("no findings in 1 commit\n");
  });

  it("groups findings by commit in series order, whatever the input order", () => {
    const out = plain([
      finding({ commitIndex: 2, commit: SHA_C, commitSubject: "mm: third", file: "mm/a.c", line: 5, severity: "warning", message: "third" }),
      finding({ commitIndex: 0, file: "kernel/b.c", line: 7, message: "first-b" }),
      finding({ commitIndex: 0, file: "kernel/a.c", line: 9, severity: "info", message: "first-a" }),
    ]);
    expect(out).toBe(
      [
        `commit 1/3 abcdef123456 ("x86/xen: add special case")`,
        `kernel/a.c:9: info: first-a [hv-special-case]`,
        `kernel/b.c:7: error: first-b [hv-special-case]`,
        ``,
        `commit 3/3 0123456789ab ("mm: third")`,
        `mm/a.c:5: warning: third [hv-special-case]`,
        ``,
        `1 error, 1 warning, 1 info in 3 commits`,
        ``,
      ].join("\n"),
    );
  });

  it("omits the sha from the header when the commit has none", () => {
    const out = plain([finding({ commitIndex: 1, commit: null, commitSubject: "virt: no sha" })]);
    expect(out.split("\n")[0]).toBe(`commit 2/3 ("virt: no sha")`);
  });

  it("handles file-level and commit-level findings, listing them before line findings", () => {
    const out = plain([
      finding({ file: "drivers/x.c", line: 3, message: "line" }),
      finding({ file: "drivers/x.c", line: null, message: "whole file" }),
      finding({ file: null, line: null, message: "about the message" }),
      finding({ commitIndex: 1, commit: null, commitSubject: "no sha", file: null, line: null, message: "unknown sha" }),
    ]);
    const lines = out.split("\n");
    expect(lines.slice(1, 4)).toEqual([
      `commit abcdef123456 ("x86/xen: add special case"): error: about the message [hv-special-case]`,
      `drivers/x.c: error: whole file [hv-special-case]`,
      `drivers/x.c:3: error: line [hv-special-case]`,
    ]);
    // No sha: refer to the commit by its 1-based position in the series.
    expect(lines).toContain(`commit #2 ("no sha"): error: unknown sha [hv-special-case]`);
  });

  it("counts severities with correct plurals", () => {
    const out = plain([
      finding({ severity: "error", line: 1 }),
      finding({ severity: "error", line: 2 }),
      finding({ severity: "error", line: 3 }),
      finding({ severity: "info", line: 4 }),
      finding({ severity: "info", line: 5 }),
    ], 2);
    expect(out.trimEnd().split("\n").at(-1)).toBe("3 errors, 0 warnings, 2 info in 2 commits");
  });

  it("emits no escape codes without color", () => {
    const out = plain([finding({}), finding({ severity: "warning" }), finding({ severity: "info" })]);
    expect(out).not.toContain("\x1b");
  });

  it("colors severities and headers only when asked", () => {
    const out = formatText(
      [finding({ severity: "error" }), finding({ severity: "warning", line: 11 }), finding({ severity: "info", line: 12 })],
      { color: true, rules, inputs: 1 },
    );
    expect(out).toContain(`${ESC}31merror${ESC}0m`);
    expect(out).toContain(`${ESC}33mwarning${ESC}0m`);
    expect(out).toContain(`${ESC}36minfo${ESC}0m`);
    expect(out.split("\n")[0]).toMatch(/^\x1b\[1mcommit 1\/1 /);
    // Stripping the codes gives back exactly the uncolored output.
    const stripped = out.replace(/\x1b\[[0-9;]*m/g, "");
    expect(stripped).toBe(formatText(
      [finding({ severity: "error" }), finding({ severity: "warning", line: 11 }), finding({ severity: "info", line: 12 })],
      { color: false, rules, inputs: 1 },
    ));
  });

  it("keeps one line per finding: no wrapping, embedded newlines flattened", () => {
    const long = "word ".repeat(100).trim();
    const out = plain([finding({ message: long }), finding({ line: 11, message: "first\n  second\r\nthird" })]);
    const lines = out.split("\n");
    expect(lines[1]).toBe(`arch/x86/kernel/setup.c:10: error: ${long} [hv-special-case]`);
    expect(lines[2]).toBe(`arch/x86/kernel/setup.c:11: error: first second third [hv-special-case]`);
    expect(lines).toHaveLength(6); // header, 2 findings, blank, summary, final ""
  });

  it("never shows a position past the total when inputs is undercounted", () => {
    expect(plain([finding({ commitIndex: 4 })], 2).split("\n")[0]).toMatch(/^commit 5\/5 /);
  });
});
