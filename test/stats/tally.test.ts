import { describe, expect, it } from "@jest/globals";
import type { Finding, Severity } from "../../src/findings/types.js";
import type { Commit, Series } from "../../src/patch/types.js";
import { perThousand, StatsTally } from "../../src/stats/tally.js";

function commit(over: Partial<Commit> = {}): Commit {
  return { sha: null, author: null, date: null, subject: "s", rawSubject: "s", body: "", trailers: [], notes: "", files: [], source: { name: "x", line: 1 }, isCoverLetter: false, ...over };
}

function series(n: number, cover = false): Series {
  const commits = Array.from({ length: n }, () => commit());
  if (cover) commits.unshift(commit({ isCoverLetter: true }));
  return { commits, files: [], warnings: [] };
}

function f(rule: string, severity: Severity, commitIndex = 0): Finding {
  return { rule, severity, file: null, line: null, commitIndex, commit: null, commitSubject: "s", message: "m", fingerprint: "fp" };
}

describe("StatsTally", () => {
  it("counts a commit once per rule however many findings it got, and each finding", () => {
    const t = new StatsTally(["changelog-why", "commit-reference", "hv-special-case"]);
    t.add(series(1), [f("commit-reference", "error"), f("commit-reference", "warning"), f("commit-reference", "warning")]);
    t.add(series(1), [f("commit-reference", "warning"), f("changelog-why", "warning")]);
    t.add(series(1), []);
    t.add(series(1), [f("changelog-why", "info")]);
    expect(t.commits).toBe(4);
    const rows = t.rows();
    expect(rows.map((r) => r.rule)).toEqual(["commit-reference", "changelog-why", "hv-special-case"]);
    const ref = rows[0]!;
    expect([ref.commits, ref.findings]).toEqual([2, 4]);
    expect(ref.bySeverity).toEqual({ error: { commits: 1, findings: 1 }, warning: { commits: 2, findings: 3 } });
    expect(rows[1]!.bySeverity).toEqual({ warning: { commits: 1, findings: 1 }, info: { commits: 1, findings: 1 } });
    // A rule that said nothing keeps its row: silence is a figure too.
    expect(rows[2]).toMatchObject({ commits: 0, findings: 0, bySeverity: {} });
  });

  it("answers unions over rules and severities", () => {
    const t = new StatsTally([]);
    t.add(series(1), [f("a", "warning"), f("b", "warning")]);
    t.add(series(1), [f("b", "error")]);
    t.add(series(1), [f("c", "info")]);
    expect(t.commitsWith(null)).toBe(3);
    expect(t.commitsWith(null, ["error", "warning"])).toBe(2);
    expect(t.commitsWith(["a", "b"])).toBe(2);
    expect(t.commitsWith(["b"], ["error"])).toBe(1);
    expect(t.commitsWith(["c"], ["error", "warning"])).toBe(0);
  });

  it("counts each commit of a series that holds several, and no cover letter", () => {
    const t = new StatsTally(["a"]);
    t.add(series(3, true), [f("a", "warning", 1), f("a", "warning", 3)]);
    expect(t.commits).toBe(3);
    expect(t.rows()[0]).toMatchObject({ commits: 2, findings: 2 });
  });

  it("puts a finding on a cover letter on the series' first commit", () => {
    const t = new StatsTally(["sprawl"]);
    t.add(series(2, true), [f("sprawl", "warning", 0), f("sprawl", "warning", 1)]);
    expect(t.commits).toBe(2);
    expect(t.rows()[0]!.commits).toBe(1);
  });

  it("counts a cover letter alone as one commit when something was said about it", () => {
    const t = new StatsTally(["sprawl"]);
    t.add(series(0, true), [f("sprawl", "warning", 0)]);
    t.add(series(0, true), []);
    expect(t.commits).toBe(1);
    expect(t.rows()[0]!.commits).toBe(1);
  });

  it("groups by message kind under the rule (the rule itself while rules have no finer kind)", () => {
    const t = new StatsTally([]);
    t.add(series(1), [f("a", "warning")]);
    expect([...t.rows()[0]!.kinds.keys()]).toEqual(["a"]);
  });
});

describe("perThousand", () => {
  it("scales to 1,000 commits and is 0 on an empty history", () => {
    expect(perThousand(7, 1000)).toBe(7);
    expect(perThousand(3, 200)).toBe(15);
    expect(perThousand(0, 0)).toBe(0);
  });
});
