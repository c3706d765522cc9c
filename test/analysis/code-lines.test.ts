// A changed line's statement context (src/analysis/code-lines.ts): what the
// hypervisor tests read as "the statement so far", computed only when asked.
import { describe, expect, it } from "@jest/globals";
import { statementBefore, walkStatements } from "../../src/analysis/code-lines.js";
import { lexSnippet } from "../../src/patch/lex.js";

/** Each visited line with the statement before it, as the rules see it. */
function contexts(lines: string[]): [string, string][] {
  const lexed = lexSnippet(lines, "c");
  const out: [string, string][] = [];
  walkStatements(lexed, (k, start) => out.push([lines[k]!.trim(), statementBefore(lexed.map((l) => l.code), start, k)]));
  return out;
}

describe("walkStatements and statementBefore", () => {
  it("a statement continued over lines carries its earlier lines; ; { } and a blank line end it", () => {
    expect(contexts(["if (a &&", "    xen_pv_domain())", "\tfoo();", "", "bar(1,", "    2);"])).toEqual([
      ["if (a &&", ""],
      ["xen_pv_domain())", " if (a &&"],
      ["foo();", " if (a &&     xen_pv_domain())"],
      ["bar(1,", ""],
      ["2);", " bar(1,"],
    ]);
  });

  it("a directive stands alone, its backslash continuations with it; a directive cuts the C statement before it", () => {
    expect(contexts(["x = f(a,", "#ifdef CONFIG_XEN", "      b);", "#if defined(A) && \\", "    defined(CONFIG_KVM)", "y;"])).toEqual([
      ["x = f(a,", ""],
      ["#ifdef CONFIG_XEN", ""],
      ["b);", ""],
      ["#if defined(A) && \\", ""],
      ["defined(CONFIG_KVM)", " #if defined(A) && "],
      ["y;", ""],
    ]);
  });

  it("comments are not code: a comment-only line ends nothing and is not visited, comments inside lines are blanked", () => {
    const got = contexts(["ALTERNATIVE(a, /* old */", "            b,", "            X86_FEATURE_XENPV)"]);
    expect(got.map(([l]) => l)).toEqual(["ALTERNATIVE(a, /* old */", "b,", "X86_FEATURE_XENPV)"]);
    expect(got[2]![1]).toMatch(/^ ALTERNATIVE\(a, +\s+b,$/);
    expect(got[2]![1]).not.toContain("old");
  });

  it("keeps the last 2,000 characters of a long statement, and holds no copy per line", () => {
    const lines = ["static int table[] = {", ...Array.from({ length: 400 }, (_v, k) => `\t${k}, ${k + 1}, ${k + 2},`), "};"];
    const got = contexts(lines);
    const last = got.at(-2)![1];
    expect(last.length).toBe(2000);
    expect(last.endsWith(" \t398, 399, 400,")).toBe(true);
  });
});
