// The fake's own diff reader: which lines GitHub lets a review comment use,
// diff positions, and commits read back from format-patch mail.
import { describe, expect, it } from "@jest/globals";
import { commentableLines, diffHunkFor, diffOfPatch, filePatchText, lineAtPosition, mergeByPath, parseDiff, splitMbox } from "./diff-lines.js";

const lines = (...l: string[]) => `${l.join("\n")}\n`;

describe("parseDiff", () => {
  const diff = lines(
    "diff --git a/mm/a.c b/mm/a.c",
    "index 1..2 100644",
    "--- a/mm/a.c",
    "+++ b/mm/a.c",
    "@@ -1,3 +1,3 @@",
    " one",
    "-two",
    "+TWO",
    " three",
    "@@ -20,2 +20,3 @@ int f(void)",
    " x",
    " y",
    "+z",
    "\\ No newline at end of file",
    "diff --git a/new.c b/new.c",
    "new file mode 100644",
    "--- /dev/null",
    "+++ b/new.c",
    "@@ -0,0 +1 @@",
    "+int n;",
    "diff --git a/gone.c b/gone.c",
    "deleted file mode 100644",
    "--- a/gone.c",
    "+++ /dev/null",
    "@@ -1 +0,0 @@",
    "-int g;",
    "diff --git a/old name.c b/new name.c",
    "similarity index 100%",
    "rename from old name.c",
    "rename to new name.c",
    'diff --git "a/tab\\there.c" "b/tab\\there.c"',
    "Binary files a/tab\there.c and b/tab\there.c differ",
  );
  const files = parseDiff(diff);

  it("names files, statuses and counts", () => {
    expect(files.map((f) => [f.path, f.status, f.additions, f.deletions, f.binary])).toEqual([
      ["mm/a.c", "modified", 2, 1, false],
      ["new.c", "added", 1, 0, false],
      ["gone.c", "removed", 0, 1, false],
      ["new name.c", "renamed", 0, 0, false],
      ["tab\there.c", "modified", 0, 0, true],
    ]);
    expect(files[3]!.oldPath).toBe("old name.c");
  });

  it("gives the commentable lines per side and GitHub's diff positions", () => {
    const a = commentableLines(files).get("mm/a.c")!;
    expect([...a.RIGHT]).toEqual([1, 2, 3, 20, 21, 22]);
    expect([...a.LEFT]).toEqual([1, 2, 3, 20, 21]);
    const f = files[0]!;
    // position 1 is the line below the first @@; the second @@ takes position 5
    expect([1, 2, 3, 4, 5, 6, 7, 8, 9].map((p) => lineAtPosition(f, p)?.kind ?? "@@")).toEqual([" ", "-", "+", " ", "@@", " ", " ", "+", "\\"]);
    expect(lineAtPosition(f, 8)!.newLine).toBe(22);
    expect(diffHunkFor(f, "RIGHT", 21)).toBe("@@ -20,2 +20,3 @@ int f(void)\n x\n y");
    expect(filePatchText(f)).toBe("@@ -1,3 +1,3 @@\n one\n-two\n+TWO\n three\n@@ -20,2 +20,3 @@ int f(void)\n x\n y\n+z\n\\ No newline at end of file");
  });

  it("counts hunk lines by the header, so a mail signature after the last hunk is not a removed line", () => {
    const f = parseDiff(lines("diff --git a/k.c b/k.c", "--- a/k.c", "+++ b/k.c", "@@ -5,2 +5,2 @@", "-a", "+b", " c", "-- ", "2.43.0"))[0]!;
    expect([f.additions, f.deletions]).toEqual([1, 1]);
  });

  it("merges one file's entries from several commits, positions running on", () => {
    const one = lines("diff --git a/k.c b/k.c", "--- a/k.c", "+++ b/k.c", "@@ -1,1 +1,2 @@", " a", "+b");
    const two = lines("diff --git a/k.c b/k.c", "--- a/k.c", "+++ b/k.c", "@@ -9,1 +9,2 @@", " x", "+y");
    const [merged] = mergeByPath(parseDiff(one + two));
    expect(merged!.hunks.map((h) => h.position)).toEqual([0, 3]);
    expect([...commentableLines([merged!]).get("k.c")!.RIGHT]).toEqual([1, 2, 9, 10]);
  });
});

describe("splitMbox", () => {
  it("reads sha, author, date, subject without the [PATCH] prefix, and the message up to ---", () => {
    const mail = lines(
      "From 0123456789012345678901234567890123456789 Mon Sep 17 00:00:00 2001",
      "From: Jane Dev <jane@example.org>",
      "Date: Tue, 3 Mar 2026 10:00:00 +0100",
      "Subject: [PATCH v2 1/3] x86/xen: A subject that is folded",
      " over two lines",
      "",
      "Body line.",
      "",
      "Signed-off-by: Jane Dev <jane@example.org>",
      "---",
      " a.c | 1 +",
      "",
      "diff --git a/a.c b/a.c",
      "--- a/a.c",
      "+++ b/a.c",
      "@@ -1 +1,2 @@",
      " a",
      "+b",
      "-- ",
      "2.43.0",
    );
    const [m] = splitMbox(mail);
    expect(m).toMatchObject({
      sha: "0123456789012345678901234567890123456789",
      authorName: "Jane Dev",
      authorEmail: "jane@example.org",
      date: "2026-03-03T09:00:00Z",
      subject: "x86/xen: A subject that is folded over two lines",
      message: "x86/xen: A subject that is folded over two lines\n\nBody line.\n\nSigned-off-by: Jane Dev <jane@example.org>",
    });
    expect(diffOfPatch(mail)).toBe(lines("diff --git a/a.c b/a.c", "--- a/a.c", "+++ b/a.c", "@@ -1 +1,2 @@", " a", "+b"));
  });

  it("returns nothing for a plain diff, which diffOfPatch passes through", () => {
    const d = lines("--- a/a.c", "+++ b/a.c", "@@ -1 +1 @@", "-a", "+b");
    expect(splitMbox(d)).toEqual([]);
    expect(diffOfPatch(d)).toBe(d);
    expect(parseDiff(d)[0]).toMatchObject({ path: "a.c", additions: 1, deletions: 1 });
  });
});
