import { describe, expect, it } from "@jest/globals";
import type { Finding, Severity } from "../../src/findings/types.js";
import type { Series } from "../../src/patch/types.js";
import { formatStatsJson, formatStatsText } from "../../src/stats/format.js";
import { StatsTally } from "../../src/stats/tally.js";

const one: Series = {
  commits: [{ sha: "a".repeat(40), author: null, date: null, subject: "s", rawSubject: "s", body: "", trailers: [], notes: "", files: [], source: { name: "x", line: 1 }, isCoverLetter: false }],
  files: [],
  warnings: [],
};

function f(rule: string, severity: Severity): Finding {
  return { rule, severity, file: null, line: null, commitIndex: 0, commit: "a".repeat(40), commitSubject: "s", message: `${rule} says`, fingerprint: `fp-${rule}` };
}

function tally(): { t: StatsTally; findings: Finding[][] } {
  const t = new StatsTally(["changelog-why", "commit-reference", "hv-special-case"]);
  const findings = [[f("commit-reference", "error"), f("changelog-why", "warning")], [f("changelog-why", "warning")], [], [f("changelog-why", "info")]];
  for (const fs of findings) t.add(one, fs);
  return { t, findings };
}

describe("formatStatsText", () => {
  it("is a table a maintainer reads: per rule, commits, per 1,000, per severity, findings", () => {
    expect(formatStatsText(tally().t, { inputs: 5, unreadable: 1 })).toBe(
      [
        "4 commits checked, each as its own series (5 inputs, 1 unreadable)",
        "",
        "rule              commits  per 1,000  error  warning  info  findings",
        "changelog-why           3      750.0      0        2     1         3",
        "commit-reference        1      250.0      1        0     0         1",
        "hv-special-case         0        0.0      0        0     0         0",
        "",
        "Severity columns count commits with a finding at that level.",
        "3 commits got a finding (750.0 per 1,000); 2 a warning or error (500.0 per 1,000).",
        "",
      ].join("\n"),
    );
  });

  it("groups thousands and speaks of one commit in the singular", () => {
    const t = new StatsTally([]);
    t.add(one, []);
    const out = formatStatsText(t, { inputs: 1, unreadable: 0 });
    expect(out.split("\n")[0]).toBe("1 commit checked, each as its own series (1 input)");
    expect(out).toContain("0 commits got a finding (0.0 per 1,000)");
  });
});

describe("formatStatsJson", () => {
  it("has exactly series (input, findings as check --format json writes them) and rules", () => {
    const { t, findings } = tally();
    const parsed = JSON.parse(formatStatsJson(findings.map((fs, i) => ({ input: `p${i}.patch`, findings: fs })), t)) as {
      series: { input: string; findings: Record<string, unknown>[] }[];
      rules: Record<string, Record<string, unknown>>;
    };
    expect(Object.keys(parsed)).toEqual(["series", "rules"]);
    expect(parsed.series.map((s) => s.input)).toEqual(["p0.patch", "p1.patch", "p2.patch", "p3.patch"]);
    expect(Object.keys(parsed.series[0]!)).toEqual(["input", "findings"]);
    expect(Object.keys(parsed.series[0]!.findings[0]!)).toEqual(["rule", "check", "severity", "file", "line", "commit", "message", "fingerprint", "code", "doc"]);
    expect(parsed.rules["changelog-why"]).toEqual({ commits: 3, findings: 3, bySeverity: { warning: { commits: 2, findings: 2 }, info: { commits: 1, findings: 1 } } });
    expect(parsed.rules["hv-special-case"]).toEqual({ commits: 0, findings: 0, bySeverity: {} });
  });
});
