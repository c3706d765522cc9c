import { describe, expect, it } from "@jest/globals";
import { parseC, stepsFor } from "../../src/patch/c-parser.js";
import { parseAuthor, parseSubject } from "../../src/patch/message.js";
import { parseSeries } from "../../src/patch/series.js";
import { analysisWarnings, functionNameFromSection, memberNameOf, viewOf } from "../../src/patch/source-view.js";
import type { FileChange } from "../../src/patch/types.js";
import { gitDiff, hunkHeader, mail, onlyFile, text, utf8 } from "./fixtures.js";
import { growth, LINEAR } from "./growth.js";

// Issue 8's attacks on the series reader, rebuilt from their descriptions.
// Each asserts the work grows linearly between sizes n and 4n.

const BIG = 1 << 24;

function readMail(from: string, extra: string[] = []): number {
  const s = parseSeries([{ name: "m.patch", bytes: utf8(mail({ from, headers: extra, diff: gitDiff("a.c", ["-a", "+b"]) })) }]);
  return s.commits.length;
}

/** The text of a one-hunk change of a C file. */
function cPatch(body: string[], section = "", path = "arch/x86/mm/a.c"): string {
  return `${[...gitDiff(path, [], hunkHeader(body, 1, 1, section)), ...body].join("\n")}\n`;
}

// Views are cached per file: each timed run reads the patch afresh.
function cFile(body: string[], section = ""): FileChange {
  return onlyFile(cPatch(body, section));
}

describe("the author matcher", () => {
  it("reads a long From: of tabs in linear time", () => {
    expect(growth((n) => `A${"\t".repeat(n)}x`, (f) => readMail(f))).toBeLessThan(LINEAR);
  });

  it("reads a long From: of `@(` in linear time", () => {
    expect(growth((n) => `\u0001${"@(".repeat(n)}${"(".repeat(n)}`, (f) => parseAuthor(f))).toBeLessThan(LINEAR);
  });

  it("reads a 4.8 KB From: in a commit body in linear time", () => {
    const body = (n: number) => mail({ body: [`From: x${" ".repeat(n)}<${"<".repeat(n)}`, "", "Text.", "", "Signed-off-by: A <a@b.c>"], diff: gitDiff("a.c", ["-a", "+b"]) });
    expect(growth(body, (t) => parseSeries([{ name: "m", bytes: utf8(t) }]))).toBeLessThan(LINEAR);
  });

  it("still reads the usual forms", () => {
    expect(parseAuthor("Juergen Gross <jgross@suse.com>")).toEqual({ name: "Juergen Gross", email: "jgross@suse.com" });
    expect(parseAuthor('"Gross, Juergen" <jgross@suse.com>')).toEqual({ name: "Gross, Juergen", email: "jgross@suse.com" });
    expect(parseAuthor("jgross@suse.com (Juergen Gross)")).toEqual({ name: "Juergen Gross", email: "jgross@suse.com" });
    expect(parseAuthor("a@b(c d)")).toEqual({ name: "c d", email: "a@b" });
    expect(parseAuthor("<a@b.c>")).toEqual({ name: "", email: "a@b.c" });
    expect(parseAuthor("nobody")).toEqual({ name: "nobody", email: "" });
  });
});

describe("mail header junk", () => {
  it("reads a subject tag of digits without a slash in linear time", () => {
    expect(growth((n) => `[PATCH ${"0".repeat(n)}\u00000/0] x`, (s) => parseSubject(s))).toBeLessThan(LINEAR);
    expect(parseSubject("[PATCH v3 12/15] x")).toEqual({ subject: "x", index: 12, total: 15 });
  });

  it("reads a charset with a language tag", () => {
    // `/\*.*$/` (flagged quadratic) could only backtrack on a newline, which
    // charsetOf never returns: replaced by indexOf all the same.
    const qp = mail({ headers: ["Content-Type: text/plain; charset=iso-8859-1*de", "Content-Transfer-Encoding: quoted-printable"], body: ["J=FCrgen", "", "Signed-off-by: A <a@b.c>"], diff: gitDiff("a.c", ["-a", "+b"]) });
    expect(parseSeries([{ name: "m", bytes: utf8(qp) }]).commits[0]!.body).toBe("J\u00fcrgen");
  });

  it("reads thousands of folded header lines in linear time", () => {
    const folded = (n: number) => mail({ headers: ["X-Junk: a", ...Array.from({ length: n }, () => "\t=?utf-8?q?=41?= (x) <y>")] });
    expect(growth(folded, (t) => parseSeries([{ name: "m", bytes: utf8(t) }]), 256, 1 << 13)).toBeLessThan(LINEAR);
  });
});

describe("the source view", () => {
  it("reads a hunk section of `*` runs in linear time", () => {
    expect(growth((n) => `A\t${"*".repeat(n)}`, (s) => functionNameFromSection(s))).toBeLessThan(LINEAR);
    expect(functionNameFromSection("static int __init xen_setup(void)")).toBe("xen_setup");
    expect(functionNameFromSection("SYM_CODE_START(foo)")).toBeNull();
    expect(functionNameFromSection("static void **  *get(int)")).toBe("get");
  });

  it("reads struct member lines of a long word and tabs in linear time", () => {
    expect(growth((n) => `${"0".repeat(n)}A\t${"\t".repeat(n)})`, (s) => memberNameOf(s))).toBeLessThan(LINEAR);
    expect(memberNameOf("\tunsigned long flags[4];")).toBe("flags");
    expect(memberNameOf("\tu32 x : 3;")).toBe("x");
    expect(memberNameOf("\tvoid (*flush)(void);")).toBe("flush");
    expect(memberNameOf("\tint a, b;")).toBe("b");
  });

  it("blanks a line of `_(` runs in linear time", () => {
    const f = (n: number) => cPatch([" int f(void)", " {", `+\tx = ${"_(".repeat(n)};`, " }"]);
    expect(growth(f, (t) => viewOf(onlyFile(t), BIG).conditionsAround(3), 64)).toBeLessThan(LINEAR);
  });

  it("reads a long macro continuation in linear time", () => {
    const f = (n: number) => cPatch(["+#define X \\", ...Array.from({ length: n }, (_v, k) => (k % 2 ? "+  #a \\" : "+  (a, \\")), "+  0"]);
    expect(growth(f, (t) => viewOf(onlyFile(t), BIG).conditionsAround(2), 64)).toBeLessThan(LINEAR);
  });

  it("caps deeply nested #if and still answers for every line in linear time", () => {
    const nested = (n: number) => cPatch([...Array.from({ length: n }, () => "+#if A"), "+x;", ...Array.from({ length: n }, () => "+#endif")]);
    const all = (t: string) => {
      const file = onlyFile(t);
      const v = viewOf(file, BIG);
      const lines = file.hunks[0]!.newCount;
      for (let k = 1; k <= lines; k++) v.conditionsAround(k);
    };
    expect(growth(nested, all, 64)).toBeLessThan(LINEAR);
    const v = viewOf(onlyFile(nested(200)), BIG);
    // The innermost ones are kept: they decide the line.
    expect(v.conditionsAround(201).map((c) => c.startLine)).toEqual(Array.from({ length: 64 }, (_v, k) => 137 + k));
    expect(v.skipped()).toMatchObject([{ line: 1, message: "conditions nested 200 deep: lines list only the innermost 64" }]);
  });

  it("does not let padding hide a hypervisor test", () => {
    const deep = cFile([" int f(void)", " {", ...Array.from({ length: 100 }, () => " if (a)"), "+if (xen_pv_domain())", "+\tx();", " }"]);
    const v = viewOf(deep, BIG);
    expect(v.conditionsAround(104).map((c) => c.text).at(-1)).toBe("(xen_pv_domain())");
    const oneLine = cFile([" int f(void)", " {", `+\t${"if (a) ".repeat(100)}if (xen_pv_domain()) x();`, " }"]);
    expect(viewOf(oneLine, BIG).conditionsContaining(3).map((c) => c.text)).toContain("(xen_pv_domain())");
    const structs = cFile([...Array.from({ length: 100 }, (_v, k) => `+struct s${k} {`), "+struct pv_mmu_ops {", "+\tvoid (*flush)(void);", "+} m;", ...Array.from({ length: 100 }, () => "+} m;")]);
    const sv = viewOf(structs, BIG);
    expect(sv.structMemberAt(102)).toEqual({ struct: "pv_mmu_ops", member: "flush" });
    expect(sv.skipped()).toMatchObject([{ line: 1, message: "functions or structs nested more than 64 deep: the outermost 37 were not analysed" }]);
  });

  it("answers for every line of many #if blocks and many hunks in linear time", () => {
    const blocks = (n: number) => cPatch(Array.from({ length: n }, () => ["+#ifdef CONFIG_XEN", "+x;", "+#endif"]).flat());
    const hunks = (n: number) => {
      const lines: string[] = ["diff --git a/k/a.c b/k/a.c", "--- a/k/a.c", "+++ b/k/a.c"];
      for (let k = 0; k < n; k++) lines.push(`@@ -${10 * k + 1},1 +${10 * k + 1},1 @@`, "-a", "+b");
      return `${lines.join("\n")}\n`;
    };
    const all = (t: string) => {
      const file = onlyFile(t);
      const v = viewOf(file, BIG);
      for (const h of file.hunks) for (let k = h.newStart; k < h.newStart + h.newCount; k++) v.conditionsAround(k);
    };
    expect(growth(blocks, all, 64)).toBeLessThan(LINEAR);
    expect(growth(hunks, all, 256)).toBeLessThan(LINEAR);
  });

  it("reads nested structs in linear time", () => {
    const nested = (n: number) => cPatch([...Array.from({ length: n }, (_v, k) => `+struct s${k} {`), "+int x;", ...Array.from({ length: n }, () => "+} m;")]);
    expect(growth(nested, (t) => viewOf(onlyFile(t), BIG).structMemberAt(1), 64)).toBeLessThan(LINEAR);
  });
});

describe("tree-sitter's budget", () => {
  // tree-sitter reports progress every 100 operations: counting the reports
  // measures its work without a clock.
  const attacks: [string, (n: number) => string][] = [
    ["unclosed parentheses", (n) => `int f(void) { x = ${"f(".repeat(n)}`],
    ["unterminated strings", (n) => `"a\n`.repeat(n)],
    ["the 67-character line", (n) => "_\t_[]__0______0______0______0______0______0______0 A=\n".repeat(n)],
    ["a long macro continuation", (n) => `#define X \\\n${"  (a, \\\n".repeat(n)}`],
  ];
  for (const [what, make] of attacks) {
    it(`parses ${what} in steps linear in the input`, () => {
      const small = parseC(make(500), { maxMs: 60_000, maxSteps: Infinity });
      const large = parseC(make(2000), { maxMs: 60_000, maxSteps: Infinity });
      expect(large.stopped).toBeNull();
      expect(large.steps).toBeLessThanOrEqual(5 * Math.max(small.steps, 10));
      expect(large.steps).toBeLessThanOrEqual(stepsFor(make(2000).length));
    });
  }

  it("stops a parse over its step budget, and the next parse starts afresh", () => {
    const stopped = parseC("f(".repeat(20_000), { maxMs: 60_000, maxSteps: 5 });
    expect(stopped).toEqual({ root: null, steps: 6, stopped: "steps" });
    const next = parseC("int x;");
    expect(next.root?.type).toBe("translation_unit");
    expect(next.root?.hasError).toBe(false);
  });

  it("stops a parse over its time budget", () => {
    expect(parseC("_\t_[]__0______0 A=\n".repeat(20_000), { maxMs: 1, maxSteps: Infinity })).toMatchObject({ root: null, stopped: "time" });
  });

  it("says which hunk was not parsed, and checks the rest", () => {
    const junk = Array.from({ length: 3000 }, () => "+_\t_[]__0______0______0 A=");
    const lines = ["diff --git a/k/a.c b/k/a.c", "--- a/k/a.c", "+++ b/k/a.c"];
    lines.push(hunkHeader(junk, 1, 1), ...junk);
    const good = [" int f(void)", " {", "+\tif (xen_pv_domain())", "+\t\tx();", " }"];
    lines.push(hunkHeader(good, 5000, 5000), ...good);
    const series = parseSeries([{ name: "j.patch", bytes: utf8(text(...lines)) }], { maxInputBytes: BIG, maxHunkLines: 1e6, parseTimeoutMs: 1 });
    const v = viewOf(series.files[0]!, BIG);
    expect(v.conditionsAround(2)).toEqual([]);
    expect(v.skipped()).toMatchObject([{ line: 1, message: expect.stringMatching(/^C parse stopped after/) }]);
    // What was skipped reaches the caller as an input warning at the hunk header.
    expect(analysisWarnings(series)).toEqual([{ source: "j.patch", line: 4, message: expect.stringMatching(/^k\/a\.c:1: C parse stopped after/) }]);
  });

  it("keeps an over-long line for line-level rules, leaves it out of the parse, and warns", () => {
    const long = `+\tx = ${"a".repeat(100)};`;
    const body = [" int f(void)", " {", long, "+\tif (xen_pv_domain())", "+\t\tx();", " }"];
    const series = parseSeries([{ name: "l.patch", bytes: utf8(text(...gitDiff("k/a.c", body, hunkHeader(body)))) }], {
      maxInputBytes: BIG,
      maxHunkLines: 1e6,
      maxLineBytes: 50,
    });
    expect(series.warnings).toEqual([{ source: "l.patch", line: 8, message: "k/a.c: a line longer than 50 characters, checked line by line only (not parsed as C)" }]);
    const file = series.files[0]!;
    expect(file.hunks[0]!.lines[2]!.text).toBe(long.slice(1));
    const v = viewOf(file, BIG);
    expect(v.conditionsAround(5).map((c) => c.text)).toEqual(["(xen_pv_domain())"]);
    expect(v.skipped()).toMatchObject([{ line: 1, message: "1 line(s) longer than 50 characters not parsed as C" }]);
  });

  it("shares one parse-time budget across the series", () => {
    const body = [" int f(void)", " {", "+\tif (xen_pv_domain())", "+\t\tx();", " }"];
    const t = text(...gitDiff("k/a.c", body, hunkHeader(body)), ...gitDiff("k/b.c", body, hunkHeader(body)).slice(0));
    const series = parseSeries([{ name: "s.patch", bytes: utf8(t) }], { maxInputBytes: BIG, maxHunkLines: 1e6, seriesParseMs: 0 });
    for (const f of series.files) expect(viewOf(f, BIG).conditionsAround(4)).toEqual([]);
    expect(analysisWarnings(series).map((w) => w.message)).toEqual(["k/a.c:1: not parsed as C: the series used up its parse time", "k/b.c:1: not parsed as C: the series used up its parse time"]);
  });

  it("says when a snippet is over the parse size limit", () => {
    const v = viewOf(cFile(["+\tif (xen_pv_domain())", "+\t\tx();"]), 10);
    expect(v.conditionsAround(2)).toEqual([]);
    expect(v.skipped()).toMatchObject([{ line: 1, message: expect.stringMatching(/^C snippet of \d+ bytes not parsed \(limit 10\)/) }]);
  });
});
