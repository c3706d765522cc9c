import { describe, expect, it } from "@jest/globals";
import { formatJson } from "../../src/cli/format-json.js";
import type { Finding } from "../../src/findings/types.js";

function finding(over: Partial<Finding>): Finding {
  return {
    rule: "arch-ifdef-core",
    severity: "warning",
    file: "kernel/fork.c",
    line: 120,
    commitIndex: 0,
    commit: "abcdef1234567890abcdef1234567890abcdef12",
    commitSubject: "fork: something",
    message: "Architecture conditional in core code.",
    fingerprint: "f-1",
    ...over,
  };
}

const KEYS = ["rule", "check", "severity", "file", "line", "commit", "message", "fingerprint", "code", "doc"];

describe("formatJson", () => {
  it("renders an empty list", () => {
    expect(formatJson([])).toBe('{\n  "findings": []\n}\n');
  });

  it("gives exactly the documented keys, in order, and nothing internal", () => {
    const parsed = JSON.parse(formatJson([finding({})])) as { findings: Record<string, unknown>[] };
    expect(Object.keys(parsed)).toEqual(["findings"]);
    expect(Object.keys(parsed.findings[0]!)).toEqual(KEYS);
    expect(parsed.findings[0]).toEqual({
      rule: "arch-ifdef-core",
      check: null,
      severity: "warning",
      file: "kernel/fork.c",
      line: 120,
      commit: "abcdef1234567890abcdef1234567890abcdef12",
      message: "Architecture conditional in core code.",
      fingerprint: "f-1",
      code: null,
      doc: "https://github.com/patchwarden/patchwarden/blob/main/rules/arch-ifdef-core.md",
    });
  });

  it("keeps key order even when the Finding was built in another order", () => {
    const scrambled = {
      fingerprint: "f-2", message: "m", commitSubject: "s", commit: null, commitIndex: 0,
      line: null, file: null, severity: "info", rule: "r",
    } as Finding;
    const parsed = JSON.parse(formatJson([scrambled])) as { findings: Record<string, unknown>[] };
    expect(Object.keys(parsed.findings[0]!)).toEqual(KEYS);
  });

  it("writes nulls for missing file, line and commit sha", () => {
    const parsed = JSON.parse(formatJson([finding({ file: null, line: null, commit: null })])) as {
      findings: Record<string, unknown>[];
    };
    expect(parsed.findings[0]).toMatchObject({ file: null, line: null, commit: null });
  });

  it("pretty-prints with two spaces and ends with a newline", () => {
    const out = formatJson([finding({})]);
    expect(out.endsWith("}\n")).toBe(true);
    expect(out.split("\n")[1]).toBe('  "findings": [');
    expect(out).toContain('\n      "rule": "arch-ifdef-core",\n');
  });

  it("orders findings by commit, then location, independent of input order", () => {
    const a = finding({ commitIndex: 1, file: "b.c", line: 1, fingerprint: "a" });
    const b = finding({ commitIndex: 0, file: "z.c", line: 9, fingerprint: "b" });
    const c = finding({ commitIndex: 0, file: null, line: null, fingerprint: "c" });
    const fps = (out: string) => (JSON.parse(out) as { findings: { fingerprint: string }[] }).findings.map((f) => f.fingerprint);
    expect(fps(formatJson([a, b, c]))).toEqual(["c", "b", "a"]);
    expect(formatJson([c, a, b])).toBe(formatJson([a, b, c]));
  });
});
