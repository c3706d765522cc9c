import { describe, expect, it } from "@jest/globals";
import fc from "fast-check";
import { parseDiff } from "../../src/patch/diff.js";
import { InputError } from "../../src/patch/errors.js";
import { parseSeries } from "../../src/patch/series.js";
import type { FileChange } from "../../src/patch/types.js";
import { gitDiff, inputError, lineNo, mail, onlyFile, parse, shape, text } from "./fixtures.js";

function files(diffLines: string[]): FileChange[] {
  return parse(mail({ diff: diffLines })).files;
}

describe("kinds of file change", () => {
  it("reads an added file", () => {
    const [f] = files([
      "diff --git a/drivers/xen/new.c b/drivers/xen/new.c",
      "new file mode 100644",
      "index 0000000..1111111",
      "--- /dev/null",
      "+++ b/drivers/xen/new.c",
      "@@ -0,0 +1,2 @@",
      "+// SPDX-License-Identifier: GPL-2.0",
      "+#include <xen/xen.h>",
    ]);
    expect(f).toMatchObject({ kind: "added", oldPath: null, newPath: "drivers/xen/new.c", newMode: "100644", binary: false });
    expect(f!.oldMode).toBeUndefined();
    expect(f!.hunks[0]).toMatchObject({ oldStart: 0, oldCount: 0, newStart: 1, newCount: 2 });
    expect(shape(f!.hunks[0]!.lines)).toEqual([
      ["added", undefined, 1, "// SPDX-License-Identifier: GPL-2.0"],
      ["added", undefined, 2, "#include <xen/xen.h>"],
    ]);
  });

  it("reads a deleted file", () => {
    const [f] = files([
      "diff --git a/arch/x86/xen/old.c b/arch/x86/xen/old.c",
      "deleted file mode 100644",
      "index 1111111..0000000",
      "--- a/arch/x86/xen/old.c",
      "+++ /dev/null",
      "@@ -1,2 +0,0 @@",
      "-int a;",
      "-int b;",
    ]);
    expect(f).toMatchObject({ kind: "deleted", oldPath: "arch/x86/xen/old.c", newPath: null, oldMode: "100644" });
    expect(shape(f!.hunks[0]!.lines)).toEqual([
      ["removed", 1, undefined, "int a;"],
      ["removed", 2, undefined, "int b;"],
    ]);
  });

  it("reads an empty new file (no hunks)", () => {
    const [f, g] = files(["diff --git a/empty b/empty", "new file mode 100644", "index 0000000..e69de29", ...gitDiff("next.c", ["-a", "+b"])]);
    expect(f).toMatchObject({ kind: "added", oldPath: null, newPath: "empty", hunks: [] });
    expect(g).toMatchObject({ kind: "modified", newPath: "next.c" });
  });

  it("reads a pure rename with its similarity", () => {
    const [f] = files(["diff --git a/arch/x86/xen/a.c b/arch/x86/xen/b.c", "similarity index 100%", "rename from arch/x86/xen/a.c", "rename to arch/x86/xen/b.c"]);
    expect(f).toMatchObject({ kind: "renamed", oldPath: "arch/x86/xen/a.c", newPath: "arch/x86/xen/b.c", similarity: 100, hunks: [] });
  });

  it("reads a rename with changes", () => {
    const [f] = files([
      "diff --git a/mm/a.c b/mm/b.c",
      "similarity index 88%",
      "rename from mm/a.c",
      "rename to mm/b.c",
      "index 1111111..2222222 100644",
      "--- a/mm/a.c",
      "+++ b/mm/b.c",
      "@@ -3,1 +3,1 @@",
      "-x",
      "+y",
    ]);
    expect(f).toMatchObject({ kind: "renamed", oldPath: "mm/a.c", newPath: "mm/b.c", similarity: 88 });
    expect(shape(f!.hunks[0]!.lines)).toEqual([
      ["removed", 3, undefined, "x"],
      ["added", undefined, 3, "y"],
    ]);
  });

  it("reads a copy", () => {
    const [f] = files([
      "diff --git a/x86/a.c b/arm/a.c",
      "similarity index 95%",
      "copy from x86/a.c",
      "copy to arm/a.c",
      "index 1111111..2222222 100644",
      "--- a/x86/a.c",
      "+++ b/arm/a.c",
      "@@ -1 +1 @@",
      "-x86",
      "+arm",
    ]);
    expect(f).toMatchObject({ kind: "copied", oldPath: "x86/a.c", newPath: "arm/a.c", similarity: 95 });
  });

  it("reads a mode-only change", () => {
    const [f, g] = files(["diff --git a/scripts/x.sh b/scripts/x.sh", "old mode 100644", "new mode 100755", ...gitDiff("y.c", ["-a", "+b"])]);
    expect(f).toMatchObject({ kind: "mode-only", oldPath: "scripts/x.sh", newPath: "scripts/x.sh", oldMode: "100644", newMode: "100755", hunks: [] });
    expect(g!.newPath).toBe("y.c");
  });

  it("reads a mode change with content changes as modified", () => {
    const [f] = files(["diff --git a/x.sh b/x.sh", "old mode 100644", "new mode 100755", "index 1111111..2222222", "--- a/x.sh", "+++ b/x.sh", "@@ -1 +1 @@", "-a", "+b"]);
    expect(f).toMatchObject({ kind: "modified", oldMode: "100644", newMode: "100755" });
    expect(f!.hunks).toHaveLength(1);
  });

  it("reads dissimilarity index on a rewrite", () => {
    const [f] = files(["diff --git a/x.c b/x.c", "dissimilarity index 90%", "index 1111111..2222222 100644", "--- a/x.c", "+++ b/x.c", "@@ -1 +1 @@", "-a", "+b"]);
    expect(f).toMatchObject({ kind: "modified", similarity: 90 });
  });
});

describe("binary files", () => {
  it("reads 'Binary files ... differ'", () => {
    const [f, g] = files([
      "diff --git a/firmware/x.bin b/firmware/x.bin",
      "index 1111111..2222222 100644",
      "Binary files a/firmware/x.bin and b/firmware/x.bin differ",
      ...gitDiff("after.c", ["-a", "+b"]),
    ]);
    expect(f).toMatchObject({ kind: "modified", binary: true, oldPath: "firmware/x.bin", newPath: "firmware/x.bin", hunks: [] });
    expect(g).toMatchObject({ newPath: "after.c", binary: false });
  });

  it("reads a new binary file's 'Binary files /dev/null and ... differ'", () => {
    const [f] = files(["diff --git a/logo.png b/logo.png", "new file mode 100644", "index 0000000..2222222", "Binary files /dev/null and b/logo.png differ"]);
    expect(f).toMatchObject({ kind: "added", binary: true, oldPath: null, newPath: "logo.png" });
  });

  it("skips GIT binary patch literal blocks", () => {
    const [f, g] = files([
      "diff --git a/bin b/bin",
      "new file mode 100644",
      "index 0000000000000000000000000000000000000000..d5d0b8b4c4c9e936890870f6799cfbb5ba984470",
      "GIT binary patch",
      "literal 3",
      "Kcmb<ms0083<N)#j",
      "",
      "literal 0",
      "HcmV?d00001",
      "",
      ...gitDiff("after.c", [" x"]),
    ]);
    expect(f).toMatchObject({ kind: "added", binary: true, newPath: "bin", hunks: [] });
    expect(g).toMatchObject({ newPath: "after.c" });
    expect(shape(g!.hunks[0]!.lines)).toEqual([["context", 1, 1, "x"]]);
  });

  it("skips GIT binary patch delta blocks", () => {
    const t = mail({
      diff: [
        "diff --git a/bin b/bin",
        "index d5d0b8b..4a27031 100644",
        "GIT binary patch",
        "delta 14",
        "VcmZ?wVr*^ZV`O0DU}RuqU}RvM0002N0RR91",
        "",
        "delta 14",
        "VcmZ?wVr*^ZV`O0DU}RuqU}RvM0002N0RR91",
        "",
        "diff --git a/mode b/mode",
        "old mode 100644",
        "new mode 100755",
      ],
    });
    const s = parse(t, "delta.patch");
    expect(s.files.map((f) => [f.newPath, f.kind, f.binary])).toEqual([
      ["bin", "modified", true],
      ["mode", "mode-only", false],
    ]);
    expect(s.warnings).toEqual([{ source: "delta.patch", line: 1, message: "bin: binary file, not checked" }]);
  });
});

describe("paths", () => {
  it("reads paths with spaces (git ends the ---/+++ lines with a tab)", () => {
    const [f] = files([
      "diff --git a/Documentation/my file.rst b/Documentation/my file.rst",
      "index 1111111..2222222 100644",
      "--- a/Documentation/my file.rst\t",
      "+++ b/Documentation/my file.rst\t",
      "@@ -1 +1 @@",
      "-a",
      "+b",
    ]);
    expect([f!.oldPath, f!.newPath]).toEqual(["Documentation/my file.rst", "Documentation/my file.rst"]);
  });

  it("reads a mode-only change of a path with a space and ' b/' in it from the header alone", () => {
    const [f] = files(["diff --git a/dir b/x b/dir b/x", "old mode 100644", "new mode 100755"]);
    expect([f!.oldPath, f!.newPath, f!.kind]).toEqual(["dir b/x", "dir b/x", "mode-only"]);
  });

  it("reads git's quoted octal-escaped paths", () => {
    const [f, g] = files([
      'diff --git "a/t\\303\\251st.c" "b/t\\303\\251st.c"',
      "new file mode 100644",
      "index 0000000..bca70f3",
      "--- /dev/null",
      '+++ "b/t\\303\\251st.c"',
      "@@ -0,0 +1 @@",
      "+q",
      'diff --git "a/t\\303\\251st.c" "b/t\\303\\251st2.c"',
      "similarity index 100%",
      'rename from "t\\303\\251st.c"',
      'rename to "t\\303\\251st2.c"',
    ]);
    expect(f).toMatchObject({ kind: "added", oldPath: null, newPath: "tést.c" });
    expect(g).toMatchObject({ kind: "renamed", oldPath: "tést.c", newPath: "tést2.c", similarity: 100 });
  });

  it("unquotes C escapes in paths", () => {
    const [f] = files(['diff --git "a/tab\\there" "b/tab\\there"', "old mode 100644", "new mode 100755"]);
    expect(f!.newPath).toBe("tab\there");
    const [g] = files(['diff --git "a/q\\"uote\\\\" "b/q\\"uote\\\\"', "old mode 100644", "new mode 100755"]);
    expect(g!.newPath).toBe('q"uote\\');
  });
});

describe("hunks", () => {
  it("numbers several hunks of one file independently", () => {
    const t = mail({
      diff: [
        "diff --git a/a.c b/a.c",
        "index 1111111..2222222 100644",
        "--- a/a.c",
        "+++ b/a.c",
        "@@ -5,3 +5,4 @@ int f(void)",
        " a",
        "+b",
        " c",
        " d",
        "@@ -50,3 +51,2 @@ int g(void)",
        " x",
        "-y",
        " z",
      ],
    });
    const f = onlyFile(t);
    expect(f.hunks.map((h) => [h.oldStart, h.oldCount, h.newStart, h.newCount, h.section])).toEqual([
      [5, 3, 5, 4, "int f(void)"],
      [50, 3, 51, 2, "int g(void)"],
    ]);
    expect(shape(f.hunks[0]!.lines)).toEqual([
      ["context", 5, 5, "a"],
      ["added", undefined, 6, "b"],
      ["context", 6, 7, "c"],
      ["context", 7, 8, "d"],
    ]);
    expect(shape(f.hunks[1]!.lines)).toEqual([
      ["context", 50, 51, "x"],
      ["removed", 51, undefined, "y"],
      ["context", 52, 52, "z"],
    ]);
    expect(f.hunks[1]!.lines[1]!.inputLine).toBe(lineNo(t, "-y"));
  });

  it("reads hunk headers without counts as count 1", () => {
    const f = onlyFile(text(...gitDiff("a.c", ["-a", "+b"], "@@ -7 +7 @@")));
    expect(f.hunks[0]).toMatchObject({ oldStart: 7, oldCount: 1, newStart: 7, newCount: 1, section: "" });
    expect(shape(f.hunks[0]!.lines)).toEqual([
      ["removed", 7, undefined, "a"],
      ["added", undefined, 7, "b"],
    ]);
  });

  it("keeps an empty section and a section with trailing text", () => {
    expect(onlyFile(text(...gitDiff("a.c", ["-a", "+b"], "@@ -1 +1 @@"))).hunks[0]!.section).toBe("");
    expect(onlyFile(text(...gitDiff("a.c", ["-a", "+b"], "@@ -1 +1 @@ struct pv_info {"))).hunks[0]!.section).toBe("struct pv_info {");
  });

  it("marks a new side without a final newline", () => {
    const f = onlyFile(text(...gitDiff("a.c", [" a", "-b", "+c", "\\ No newline at end of file"], "@@ -1,2 +1,2 @@")));
    const h = f.hunks[0]!;
    expect(h.newNoEofNewline).toBe(true);
    expect(h.oldNoEofNewline).toBe(false);
    expect(shape(h.lines)).toEqual([
      ["context", 1, 1, "a"],
      ["removed", 2, undefined, "b"],
      ["added", undefined, 2, "c"],
    ]);
  });

  it("marks an old side without a final newline (the marker in the middle of a hunk)", () => {
    const f = onlyFile(text(...gitDiff("a.c", [" a", "-b", "\\ No newline at end of file", "+b", "+c"], "@@ -1,2 +1,3 @@")));
    const h = f.hunks[0]!;
    expect(h.oldNoEofNewline).toBe(true);
    expect(h.newNoEofNewline).toBe(false);
    expect(h.lines.map((l) => l.kind)).toEqual(["context", "removed", "added", "added"]);
    expect(h.lines[3]).toMatchObject({ newLine: 3, text: "c", inputLine: 10 });
  });

  it("marks both sides after a final context line without newline", () => {
    const f = parse(text(...gitDiff("a.c", ["+a", " b", "\\ No newline at end of file"], "@@ -1 +1,2 @@"), ...gitDiff("z.c", ["-a", "+b"]))).files[0]!;
    expect(f.hunks[0]).toMatchObject({ oldNoEofNewline: true, newNoEofNewline: true });
    expect(f.hunks[0]!.lines).toHaveLength(2);
  });

  it("reads an empty context line whose space a mailer stripped", () => {
    const f = onlyFile(text(...gitDiff("a.c", [" a", "", "-b", "+c", "", " d"], "@@ -1,5 +1,5 @@")));
    expect(shape(f.hunks[0]!.lines)).toEqual([
      ["context", 1, 1, "a"],
      ["context", 2, 2, ""],
      ["removed", 3, undefined, "b"],
      ["added", undefined, 3, "c"],
      ["context", 4, 4, ""],
      ["context", 5, 5, "d"],
    ]);
  });

  it("keeps text after the marker verbatim (tabs, trailing spaces, diff-like content)", () => {
    const f = onlyFile(text(...gitDiff("a.c", ["-\t--- a/x  ", "+++ b/y\t", "+@@ -1 +1 @@"], "@@ -1 +1,2 @@")));
    expect(shape(f.hunks[0]!.lines)).toEqual([
      ["removed", 1, undefined, "\t--- a/x  "],
      ["added", undefined, 1, "++ b/y\t"],
      ["added", undefined, 2, "@@ -1 +1 @@"],
    ]);
  });

  it("is strict about lines of the wrong kind once a side is used up", () => {
    const e = inputError(() => parse(text(...gitDiff("a.c", ["-a", "-b", "+c"], "@@ -1 +1 @@")), "x.patch"));
    expect(e.describe()).toBe('x.patch:7: hunk has more lines than its header says: "-b"');
  });

  it("rejects a line with an unknown marker inside a hunk", () => {
    const e = inputError(() => parse(text(...gitDiff("a.c", ["-a", "*b"], "@@ -1 +1 @@")), "x.patch"));
    expect(e.describe()).toBe('x.patch:7: unexpected line inside a hunk (0 old and 1 new lines still due): "*b"');
  });

  it("shortens long lines quoted in errors", () => {
    const long = `*${"x".repeat(200)}`;
    const e = inputError(() => parse(text(...gitDiff("a.c", ["-a", long], "@@ -1 +1 @@"))));
    expect(e.message).toContain(`"*${"x".repeat(76)}..."`);
  });

  it("accepts version notes and a signature between files and after the diff", () => {
    const t = text(...gitDiff("a.c", ["-a", "+b"]), "", "Some note between files", ...gitDiff("b.c", ["-a", "+b"]), "-- ", "2.39.0", "");
    expect(parse(t).files.map((f) => f.newPath)).toEqual(["a.c", "b.c"]);
  });

  it("rejects a git diff whose header names no file", () => {
    const e = inputError(() => parse(text("diff --git x y", "old mode 100644", "new mode 100755"), "x.patch"));
    expect(e.describe()).toBe("x.patch:1: cannot tell which file this diff is about");
  });
});

describe("parseDiff directly", () => {
  it("reads only the given range and offsets nothing", () => {
    const lines = ["junk", ...gitDiff("a.c", ["-a", "+b"]), "more junk"];
    const fs = parseDiff({ source: "s", lines, start: 1, end: lines.length - 1, commitIndex: 4, limits: { maxHunkLines: 10 } });
    expect(fs).toHaveLength(1);
    expect(fs[0]!.commitIndex).toBe(4);
    expect(fs[0]!.hunks[0]!.lines.map((l) => l.inputLine)).toEqual([7, 8]);
  });
});

// Property tests -------------------------------------------------------------

type Op = "context" | "added" | "removed";
const opArb = fc.constantFrom<Op>("context", "added", "removed");
const lineTextArb = fc.string({ unit: fc.constantFrom("a", "b", " ", "\t", "{", "}", ";", "-", "+", "@", "\\"), maxLength: 12 });

describe("properties", () => {
  it("any hunk of context/added/removed lines round-trips its line numbers and text", () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(opArb, lineTextArb), { minLength: 1, maxLength: 40 }),
        fc.integer({ min: 1, max: 5000 }),
        fc.integer({ min: 1, max: 5000 }),
        fc.boolean(),
        (ops, oldStart, newStart, crlf) => {
          const oldCount = ops.filter(([k]) => k !== "added").length;
          const newCount = ops.filter(([k]) => k !== "removed").length;
          const body = ops.map(([k, t]) => (k === "context" ? " " : k === "added" ? "+" : "-") + t);
          let t = text(...gitDiff("a.c", body, `@@ -${oldStart},${oldCount} +${newStart},${newCount} @@ f(void)`), "-- ", "2.39.0");
          if (crlf) t = t.replace(/\n/g, "\r\n");
          const f = onlyFile(t);
          expect(f.hunks).toHaveLength(1);
          const lines = f.hunks[0]!.lines;
          let o = oldStart;
          let n = newStart;
          const expected = ops.map(([k, text], idx) => ({
            kind: k,
            text,
            ...(k !== "added" ? { oldLine: o++ } : {}),
            ...(k !== "removed" ? { newLine: n++ } : {}),
            inputLine: 6 + idx,
          }));
          expect(lines).toEqual(expected);
        },
      ),
      { numRuns: 300 },
    );
  });

  it("random bytes never throw anything but InputError", () => {
    const fragments = fc.constantFrom(
      "diff --git a/x b/x\n",
      "--- a/x\n",
      "+++ b/x\n",
      "@@ -1,2 +1,2 @@\n",
      "@@ -1 +1 @@\n",
      "From 1234567890abcdef1234567890abcdef12345678 Mon Sep 17 00:00:00 2001\n",
      "From: A <a@b>\n",
      "Subject: [PATCH 0/1] x\n",
      "Content-Transfer-Encoding: base64\n",
      "Content-Transfer-Encoding: quoted-printable\n",
      "---\n",
      "-- \n",
      "\\ No newline at end of file\n",
      "GIT binary patch\n",
      "literal 3\n",
      "new file mode 100644\n",
      "rename from a\n",
      "Binary files a and b differ\n",
      "\n",
      "\r\n",
      " ctx\n",
      "+add\n",
      "-del\n",
      '"a/\\303\n',
      "\xff\xfe",
    );
    const chunk = fc.oneof(fragments.map((s) => Buffer.from(s, "latin1")), fc.uint8Array({ maxLength: 20 }).map((a) => Buffer.from(a)));
    fc.assert(
      fc.property(fc.array(chunk, { maxLength: 25 }), (chunks) => {
        const bytes = Buffer.concat(chunks);
        try {
          const s = parseSeries([{ name: "fuzz", bytes }]);
          expect(s.commits.length).toBeGreaterThan(0);
        } catch (e) {
          if (!(e instanceof InputError)) throw e;
          expect(e.source).toBe("fuzz");
        }
      }),
      { numRuns: 1500 },
    );
  });
});
