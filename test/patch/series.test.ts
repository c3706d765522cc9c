import { describe, expect, it } from "@jest/globals";
import fc from "fast-check";
import { InputError } from "../../src/patch/errors.js";
import { DEFAULT_LIMITS, parseSeries } from "../../src/patch/series.js";
import { addedLines, displayPath, removedLines } from "../../src/patch/types.js";
import {
  SHA1,
  SHA2,
  SHA3,
  XEN_PATCH,
  ZERO_SHA,
  gitDiff,
  inputError,
  lineNo,
  mail,
  only,
  onlyFile,
  parse,
  parseMany,
  shape,
  text,
  utf8,
} from "./fixtures.js";

describe("one git format-patch file", () => {
  const s = parse(XEN_PATCH, "0003-x86-xen-drop.patch");
  const c = s.commits[0]!;

  it("reads exactly one commit with one file and no warnings", () => {
    expect(s.commits).toHaveLength(1);
    expect(s.files).toHaveLength(1);
    expect(s.files[0]).toBe(c.files[0]);
    expect(s.warnings).toEqual([]);
  });

  it("takes the sha from the From_ line", () => {
    expect(c.sha).toBe(SHA1);
  });

  it("reads author, date and subject", () => {
    expect(c.author).toEqual({ name: "Juergen Gross", email: "jgross@suse.com" });
    expect(c.date).toBe("Tue, 3 Jan 2023 10:00:00 +0100");
    expect(c.rawSubject).toBe("[PATCH v2 3/7] x86/xen: drop pv_info.kernel_rpl");
    expect(c.subject).toBe("x86/xen: drop pv_info.kernel_rpl");
    expect(c.isCoverLetter).toBe(false);
  });

  it("splits the body from the trailers", () => {
    expect(c.body).toBe("The kernel_rpl field is always 0 now, drop it.\n\nNo functional change.");
    expect(c.trailers).toEqual([
      { key: "Fixes", value: '0123456789ab ("x86/xen: add kernel_rpl")' },
      { key: "Cc", value: "<stable@vger.kernel.org> # 4.2+" },
      { key: "Reviewed-by", value: "Boris Ostrovsky <boris.ostrovsky@oracle.com>" },
      { key: "Signed-off-by", value: "Juergen Gross <jgross@suse.com>" },
    ]);
  });

  it("keeps the text after --- as notes (version notes and diffstat)", () => {
    expect(c.notes).toBe(
      "v2: reword the changelog\n\n arch/x86/xen/enlighten_pv.c | 3 +--\n 1 file changed, 1 insertion(+), 2 deletions(-)",
    );
  });

  it("records where the message starts", () => {
    expect(c.source).toEqual({ name: "0003-x86-xen-drop.patch", line: 1 });
  });

  it("reads the file change and its hunk with old/new line numbers", () => {
    const f = c.files[0]!;
    expect(f).toMatchObject({
      oldPath: "arch/x86/xen/enlighten_pv.c",
      newPath: "arch/x86/xen/enlighten_pv.c",
      kind: "modified",
      binary: false,
      oldMode: "100644",
      newMode: "100644",
      commitIndex: 0,
    });
    expect(f.hunks).toHaveLength(1);
    const h = f.hunks[0]!;
    expect(h).toMatchObject({ oldStart: 10, oldCount: 6, newStart: 10, newCount: 5, section: "static void __init xen_setup(void)" });
    expect(shape(h.lines)).toEqual([
      ["context", 10, 10, "\tint a;"],
      ["context", 11, 11, ""],
      ["removed", 12, undefined, "\tpv_info.kernel_rpl = 1;"],
      ["removed", 13, undefined, "\tpv_info.shared = 0;"],
      ["added", undefined, 12, "\tpv_info.shared = 1;"],
      ["context", 14, 13, "\ta = 2;"],
      ["context", 15, 14, "\tb = 3;"],
    ]);
    expect(h.newNoEofNewline).toBe(false);
    expect(h.oldNoEofNewline).toBe(false);
  });

  it("gives every diff line its input line", () => {
    const h = c.files[0]!.hunks[0]!;
    const first = lineNo(XEN_PATCH, "@@ -10,6 +10,5 @@ static void __init xen_setup(void)") + 1;
    expect(h.lines.map((l) => l.inputLine)).toEqual([0, 1, 2, 3, 4, 5, 6].map((k) => first + k));
    expect(h.lines[4]!.inputLine).toBe(lineNo(XEN_PATCH, "+\tpv_info.shared = 1;"));
  });

  it("ignores git's `-- ` signature after the last hunk", () => {
    const h = c.files[0]!.hunks[0]!;
    expect(h.lines.some((l) => l.text.includes("2.39.0") || l.text === "- ")).toBe(false);
  });

  it("has working helpers on top of the model", () => {
    const f = c.files[0]!;
    expect(displayPath(f)).toBe("arch/x86/xen/enlighten_pv.c");
    expect(addedLines(f).map((l) => l.newLine)).toEqual([12]);
    expect(removedLines(f).map((l) => l.oldLine)).toEqual([12, 13]);
  });
});

describe("several inputs", () => {
  const p1 = mail({ sha: SHA1, subject: "[PATCH 1/2] xen: one", diff: gitDiff("drivers/xen/a.c", ["-a", "+b"]) });
  const p2 = mail({ sha: SHA2, subject: "[PATCH 2/2] xen: two", diff: gitDiff("drivers/xen/b.c", ["-c", "+d"]) });
  const s = parseMany([
    ["0001-one.patch", p1],
    ["0002-two.patch", p2],
  ]);

  it("reads one commit per file, in order, with per-input sources", () => {
    expect(s.commits.map((c) => [c.sha, c.subject, c.source.name, c.source.line])).toEqual([
      [SHA1, "xen: one", "0001-one.patch", 1],
      [SHA2, "xen: two", "0002-two.patch", 1],
    ]);
  });

  it("numbers commitIndex across inputs and lists all files in order", () => {
    expect(s.files.map((f) => [f.newPath, f.commitIndex])).toEqual([
      ["drivers/xen/a.c", 0],
      ["drivers/xen/b.c", 1],
    ]);
    expect(s.commits[1]!.files[0]).toBe(s.files[1]);
  });

  it("gives input lines relative to each input", () => {
    expect(s.files[1]!.hunks[0]!.lines[0]!.inputLine).toBe(lineNo(p2, "-c"));
  });

  it("names the input that fails", () => {
    const e = inputError(() => parseMany([["good.patch", p1], ["bad.txt", "just some text\n"]]));
    expect(e.source).toBe("bad.txt");
  });
});

describe("an mbox of several patches", () => {
  const cover = mail({
    sha: ZERO_SHA,
    subject: "[PATCH 0/3] x86/xen: tidy pv_info",
    body: ["This series tidies pv_info.", "", "Juergen Gross (3):", "  one", "  two", "  three", "", " arch/x86/xen/enlighten_pv.c | 3 +--", " 1 file changed"],
  });
  const p1 = mail({ sha: SHA1, subject: "[PATCH 1/3] one", diff: gitDiff("a.c", ["-a", "+b"]) });
  const p2 = mail({ sha: SHA2, subject: "[PATCH 2/3] two", diff: gitDiff("b.c", ["-a", "+b"]) });
  const p3 = mail({ sha: SHA3, subject: "[PATCH 3/3] three", diff: gitDiff("c.c", ["-a", "+b"]) });
  const mbox = cover + p1 + p2 + p3;
  const s = parse(mbox, "series.mbox");

  it("splits at the From_ separators, cover letter first", () => {
    expect(s.commits.map((c) => c.subject)).toEqual(["x86/xen: tidy pv_info", "one", "two", "three"]);
    expect(s.commits.map((c) => c.isCoverLetter)).toEqual([true, false, false, false]);
  });

  it("reads the cover letter without files and with a null sha", () => {
    const c = s.commits[0]!;
    expect(c.sha).toBeNull();
    expect(c.files).toEqual([]);
    expect(c.body).toContain(" 1 file changed");
    expect(c.body).not.toContain("2.39.0");
  });

  it("records each message's first line", () => {
    expect(s.commits.map((c) => c.source.line)).toEqual([
      1,
      lineNo(mbox, `From ${SHA1} Mon Sep 17 00:00:00 2001`),
      lineNo(mbox, `From ${SHA2} Mon Sep 17 00:00:00 2001`),
      lineNo(mbox, `From ${SHA3} Mon Sep 17 00:00:00 2001`),
    ]);
  });

  it("counts commitIndex with the cover letter as commit 0", () => {
    expect(s.files.map((f) => [f.newPath, f.commitIndex, s.commits[f.commitIndex]!.sha])).toEqual([
      ["a.c", 1, SHA1],
      ["b.c", 2, SHA2],
      ["c.c", 3, SHA3],
    ]);
  });

  it("gives input lines in the whole mbox", () => {
    const third = s.files[2]!.hunks[0]!.lines[1]!;
    expect(third.inputLine).toBe(lineNo(mbox, "+b", lineNo(mbox, "diff --git a/c.c b/c.c")));
  });

  it("reads lore-style mboxrd separators", () => {
    const lore = [p1, p2].map((p) => p.replace(/^From [0-9a-f]{40} Mon Sep 17 00:00:00 2001/, "From mboxrd@z Thu Jan  1 00:00:00 1970")).join("");
    const got = parse(lore).commits;
    expect(got.map((c) => [c.sha, c.subject])).toEqual([
      [null, "one"],
      [null, "two"],
    ]);
  });

  it("does not split at a body line that merely starts with From", () => {
    const p = mail({ body: ["From the start this was wrong.", "", "Signed-off-by: A <a@b.c>"], diff: gitDiff("a.c", ["-a", "+b"]) });
    const c = only(p);
    expect(c.body).toBe("From the start this was wrong.");
  });

  it("reads text before the first From_ line as its own message", () => {
    const s2 = parse(text(...gitDiff("pre.c", ["-a", "+b"])) + p1);
    expect(s2.commits.map((c) => c.files[0]!.newPath)).toEqual(["pre.c", "a.c"]);
  });
});

describe("inputs without mail headers", () => {
  it("reads a bare git diff", () => {
    const t = text(
      "diff --git a/kernel/fork.c b/kernel/fork.c",
      "index 1111111..2222222 100644",
      "--- a/kernel/fork.c",
      "+++ b/kernel/fork.c",
      "@@ -100,3 +100,4 @@ static int copy_mm(void)",
      " \ta();",
      "+#ifdef CONFIG_XEN",
      " \tb();",
      " \tc();",
    );
    const s = parse(t, "<stdin>");
    expect(s.commits).toHaveLength(1);
    const c = s.commits[0]!;
    expect(c).toMatchObject({ sha: null, author: null, date: null, subject: "", rawSubject: "", body: "", trailers: [], notes: "", isCoverLetter: false });
    expect(c.source).toEqual({ name: "<stdin>", line: 1 });
    const f = c.files[0]!;
    expect(f.kind).toBe("modified");
    expect(shape(f.hunks[0]!.lines)).toEqual([
      ["context", 100, 100, "\ta();"],
      ["added", undefined, 101, "#ifdef CONFIG_XEN"],
      ["context", 101, 102, "\tb();"],
      ["context", 102, 103, "\tc();"],
    ]);
    expect(f.hunks[0]!.lines[1]!.inputLine).toBe(7);
  });

  it("reads a diff -u style diff without diff --git, stripping the first path component", () => {
    const t = text(
      "diff -u linux.orig/kernel/fork.c linux/kernel/fork.c",
      "--- linux.orig/kernel/fork.c\t2023-01-01 10:00:00.000000000 +0100",
      "+++ linux/kernel/fork.c\t2023-01-02 10:00:00.000000000 +0100",
      "@@ -1,2 +1,2 @@",
      "-old",
      "+new",
      " same",
      "--- /dev/null\t1970-01-01 00:00:00.000000000 +0000",
      "+++ linux/kernel/new.c\t2023-01-02 10:00:00.000000000 +0100",
      "@@ -0,0 +1 @@",
      "+fresh",
      "--- linux.orig/kernel/gone.c",
      "+++ /dev/null",
      "@@ -1 +0,0 @@",
      "-stale",
    );
    const files = only(t).files;
    expect(files.map((f) => [f.kind, f.oldPath, f.newPath])).toEqual([
      ["modified", "kernel/fork.c", "kernel/fork.c"],
      ["added", null, "kernel/new.c"],
      ["deleted", "kernel/gone.c", null],
    ]);
    expect(shape(files[0]!.hunks[0]!.lines)).toEqual([
      ["removed", 1, undefined, "old"],
      ["added", undefined, 1, "new"],
      ["context", 2, 2, "same"],
    ]);
    expect(shape(files[1]!.hunks[0]!.lines)).toEqual([["added", undefined, 1, "fresh"]]);
    expect(shape(files[2]!.hunks[0]!.lines)).toEqual([["removed", 1, undefined, "stale"]]);
  });

  it("reads a quilt/svn style Index: diff", () => {
    const t = text("Index: linux/mm/foo.c", "===================================================================", "--- linux.orig/mm/foo.c", "+++ linux/mm/foo.c", "@@ -1 +1 @@", "-a", "+b");
    const f = onlyFile(t);
    expect([f.oldPath, f.newPath, f.kind]).toEqual(["mm/foo.c", "mm/foo.c", "modified"]);
  });

  it("reads a message body followed directly by a diff (no ---)", () => {
    const t = mail({ body: ["Do it.", "", "Signed-off-by: A <a@b.c>"] }).replace("-- \n2.39.0\n", "") + text(...gitDiff("x.c", ["-a", "+b"]));
    const c = only(t);
    expect(c.body).toBe("Do it.");
    expect(c.trailers).toEqual([{ key: "Signed-off-by", value: "A <a@b.c>" }]);
    expect(c.notes).toBe("");
    expect(c.files.map((f) => f.newPath)).toEqual(["x.c"]);
  });
});

describe("commit fields", () => {
  it("gives a null sha for the all-zero sha and for From_ lines without a sha", () => {
    expect(only(mail({ sha: ZERO_SHA, diff: gitDiff("a.c", ["-a", "+b"]) })).sha).toBeNull();
    expect(only(mail({ sha: null, diff: gitDiff("a.c", ["-a", "+b"]) })).sha).toBeNull();
  });

  it("decodes RFC 2047 encoded words in From", () => {
    const c = only(mail({ from: "=?UTF-8?q?Marek_Marczykowski-G=C3=B3recki?= <marmarek@invisiblethingslab.com>", diff: gitDiff("a.c", ["-a", "+b"]) }));
    expect(c.author).toEqual({ name: "Marek Marczykowski-Górecki", email: "marmarek@invisiblethingslab.com" });
  });

  it("decodes base64 and Latin-1 encoded words and joins adjacent ones", () => {
    const b64 = Buffer.from("Jürgen Groß", "utf8").toString("base64");
    expect(only(mail({ from: `=?utf-8?B?${b64}?= <jg@suse.com>` })).author).toEqual({ name: "Jürgen Groß", email: "jg@suse.com" });
    expect(only(mail({ from: "=?iso-8859-1?q?Ren=E9?= Dupont <rd@x.org>" })).author).toEqual({ name: "René Dupont", email: "rd@x.org" });
    const c = only(mail({ subject: "=?UTF-8?q?=5BPATCH=5D_x86/xen:_fix_M?=\n =?UTF-8?q?=C3=BCller=27s_bug?=" }));
    expect(c.rawSubject).toBe("[PATCH] x86/xen: fix Müller's bug");
    expect(c.subject).toBe("x86/xen: fix Müller's bug");
  });

  it("reads quoted names and address-only From forms", () => {
    expect(only(mail({ from: '"Gross, Juergen" <jgross@suse.com>' })).author).toEqual({ name: "Gross, Juergen", email: "jgross@suse.com" });
    expect(only(mail({ from: "jgross@suse.com (Juergen Gross)" })).author).toEqual({ name: "Juergen Gross", email: "jgross@suse.com" });
    expect(only(mail({ from: "jgross@suse.com" })).author).toEqual({ name: "jgross@suse.com", email: "jgross@suse.com" });
  });

  it("unfolds folded headers", () => {
    const c = only(mail({ from: "Juergen Gross\n <jgross@suse.com>", subject: "[PATCH v3 02/10] x86/paravirt: a rather long\n subject line" }));
    expect(c.author).toEqual({ name: "Juergen Gross", email: "jgross@suse.com" });
    expect(c.subject).toBe("x86/paravirt: a rather long subject line");
  });

  it("strips Re:, RFC and other leading bracket tags from the subject", () => {
    const cases: [string, string][] = [
      ["[PATCH] x86: a", "x86: a"],
      ["[PATCH v2 3/7] x86: a", "x86: a"],
      ["[RFC PATCH 0/2] x86: a", "x86: a"],
      ["Re: [PATCH net-next 1/2] net: a", "net: a"],
      ["[PATCH 5.10 1/2] x86: a", "x86: a"],
      ["[tip: x86/urgent] x86/xen: a", "x86/xen: a"],
      ["x86: [no tag] inside", "x86: [no tag] inside"],
    ];
    for (const [raw, subject] of cases) {
      const c = only(mail({ subject: raw, diff: gitDiff("a.c", ["-a", "+b"]) }));
      expect([c.rawSubject, c.subject]).toEqual([raw, subject]);
    }
  });

  it("takes From: and Subject: at the top of the body over the mail headers", () => {
    const c = only(
      mail({
        from: "Boris Ostrovsky <boris.ostrovsky@oracle.com>",
        subject: "[PATCH 2/2] wrong subject from the sender",
        body: ["From: Juergen Gross <jgross@suse.com>", "Subject: x86/xen: the real subject", "", "The real body.", "", "Signed-off-by: Juergen Gross <jgross@suse.com>"],
        diff: gitDiff("a.c", ["-a", "+b"]),
      }),
    );
    expect(c.author).toEqual({ name: "Juergen Gross", email: "jgross@suse.com" });
    expect(c.subject).toBe("x86/xen: the real subject");
    expect(c.body).toBe("The real body.");
    expect(c.trailers).toEqual([{ key: "Signed-off-by", value: "Juergen Gross <jgross@suse.com>" }]);
  });

  it("does not take a body that merely starts with From: for an override", () => {
    const c = only(mail({ body: ["From: the start, this was wrong", "and more prose.", "", "Signed-off-by: A <a@b.c>"], diff: gitDiff("a.c", ["-a", "+b"]) }));
    expect(c.author).toEqual({ name: "Juergen Gross", email: "jgross@suse.com" });
    expect(c.body).toBe("From: the start, this was wrong\nand more prose.");
  });

  it("reads trailers with continuation lines and maintainer notes", () => {
    const c = only(
      mail({
        body: [
          "Body.",
          "",
          "Link: https://lore.kernel.org/r/",
          "  20230103.1234@suse.com",
          "Signed-off-by: A <a@b.c>",
          "[ bp: massage commit message ]",
          "Signed-off-by: Borislav Petkov <bp@suse.de>",
        ],
      }),
    );
    expect(c.body).toBe("Body.");
    expect(c.trailers).toEqual([
      { key: "Link", value: "https://lore.kernel.org/r/ 20230103.1234@suse.com" },
      { key: "Signed-off-by", value: "A <a@b.c>" },
      { key: "Signed-off-by", value: "Borislav Petkov <bp@suse.de>" },
    ]);
  });

  it("keeps a last paragraph that is not all trailers as prose", () => {
    const c = only(mail({ body: ["Body.", "", "Note: this is prose", "and so is this."] }));
    expect(c.trailers).toEqual([]);
    expect(c.body).toBe("Body.\n\nNote: this is prose\nand so is this.");
    const d = only(mail({ body: ["Body.", "", "Note: unknown keys alone are prose"] }));
    expect(d.trailers).toEqual([]);
    expect(d.body).toBe("Body.\n\nNote: unknown keys alone are prose");
  });

  it("undoes HTML escaping from mail archives", () => {
    const c = only(mail({ from: "A &lt;a@b.c&gt;", subject: "[PATCH] a &amp; b", body: ["x &lt; y", "", "Signed-off-by: A &lt;a@b.c&gt;"] }));
    expect(c.author).toEqual({ name: "A", email: "a@b.c" });
    expect(c.subject).toBe("a & b");
    expect(c.body).toBe("x < y");
    expect(c.trailers).toEqual([{ key: "Signed-off-by", value: "A <a@b.c>" }]);
  });
});

describe("transfer encodings", () => {
  it("decodes a quoted-printable body, diff included", () => {
    const t = text(
      `From ${SHA1} Mon Sep 17 00:00:00 2001`,
      "From: A <a@b.c>",
      "Subject: [PATCH] xen: caf=C3=A9",
      "MIME-Version: 1.0",
      "Content-Type: text/plain; charset=UTF-8",
      "Content-Transfer-Encoding: quoted-printable",
      "",
      "Le caf=C3=A9 est pr=C3=AAt, and this line is long enough to be wrapped by a=",
      " soft line break.",
      "",
      "Signed-off-by: A <a@b.c>",
      "---",
      "diff --git a/a.c b/a.c",
      "index 1111111..2222222 100644",
      "--- a/a.c",
      "+++ b/a.c",
      "@@ -1,2 +1,2 @@",
      "-\tx =3D 1;",
      "+\tx =3D 2; /* caf=C3=A9 */",
      " \ty =3D 3;",
    );
    const c = only(t);
    expect(c.body).toBe("Le café est prêt, and this line is long enough to be wrapped by a soft line break.");
    expect(c.trailers).toEqual([{ key: "Signed-off-by", value: "A <a@b.c>" }]);
    expect(shape(c.files[0]!.hunks[0]!.lines)).toEqual([
      ["removed", 1, undefined, "\tx = 1;"],
      ["added", undefined, 1, "\tx = 2; /* café */"],
      ["context", 2, 2, "\ty = 3;"],
    ]);
  });

  it("decodes a base64 body, diff included", () => {
    const plain = text("Base64 body, über.", "", "Signed-off-by: A <a@b.c>", "---", " a.c | 2 +-", "", ...gitDiff("a.c", ["-old", "+neu"]), "-- ", "2.39.0");
    const encoded = Buffer.from(plain, "utf8").toString("base64").replace(/.{76}/g, "$&\n");
    const t = text(
      `From ${SHA1} Mon Sep 17 00:00:00 2001`,
      "From: A <a@b.c>",
      "Subject: [PATCH] b64",
      "Content-Type: text/plain; charset=\"utf-8\"",
      "Content-Transfer-Encoding: base64",
      "",
      encoded,
    );
    const c = only(t);
    expect(c.body).toBe("Base64 body, über.");
    expect(c.trailers).toEqual([{ key: "Signed-off-by", value: "A <a@b.c>" }]);
    expect(c.notes).toBe("a.c | 2 +-");
    expect(c.isCoverLetter).toBe(false);
    expect(c.files).toHaveLength(1);
    expect(shape(c.files[0]!.hunks[0]!.lines)).toEqual([
      ["removed", 1, undefined, "old"],
      ["added", undefined, 1, "neu"],
    ]);
  });

  it("reports input lines of a quoted-printable message (exact without soft breaks)", () => {
    const t = text(
      "From: A <a@b.c>",
      "Subject: [PATCH] qp",
      "Content-Transfer-Encoding: quoted-printable",
      "",
      "Body.",
      "---",
      ...gitDiff("a.c", ["-x =3D 1;", "+x =3D 2;"]),
      "+y =3D 3;",
    );
    const e = inputError(() => parse(t, "qp.patch"));
    expect(e.line).toBe(lineNo(t, "+y =3D 3;"));
    expect(e.describe()).toBe('qp.patch:14: hunk has more lines than its header says: "+y = 3;"');
    const ok = only(t.replace("+y =3D 3;\n", ""));
    expect(ok.files[0]!.hunks[0]!.lines.map((l) => [l.inputLine, l.text])).toEqual([
      [lineNo(t, "-x =3D 1;"), "x = 1;"],
      [lineNo(t, "+x =3D 2;"), "x = 2;"],
    ]);
  });

  it("leaves 8bit bodies alone", () => {
    const c = only(mail({ headers: ["Content-Type: text/plain; charset=UTF-8", "Content-Transfer-Encoding: 8bit"], body: ["Grüße =3D not qp."], diff: gitDiff("a.c", ["-a", "+b"]) }));
    expect(c.body).toBe("Grüße =3D not qp.");
  });
});

describe("empty commits and cover letters", () => {
  it("reads an empty commit as git format-patch --always writes it", () => {
    const t = text(
      `From ${SHA1} Mon Sep 17 00:00:00 2001`,
      "From: A <a@b.c>",
      "Date: Wed, 25 Nov 2026 12:04:16 +0000",
      "Subject: [PATCH] empty one",
      "",
      "Signed-off-by: A <a@b.c>",
      "-- ",
      "2.39.5",
      "",
    );
    const c = only(t);
    expect(c).toMatchObject({ sha: SHA1, subject: "empty one", body: "", notes: "", files: [], isCoverLetter: false });
    expect(c.trailers).toEqual([{ key: "Signed-off-by", value: "A <a@b.c>" }]);
  });

  it("reads an empty commit with a --- and no diff", () => {
    const t = mail({ body: ["Why.", "", "Signed-off-by: A <a@b.c>"], notes: ["v2: nothing"] });
    const c = only(t);
    expect(c).toMatchObject({ body: "Why.", notes: "v2: nothing", files: [], isCoverLetter: false });
  });

  it("recognises git's cover-letter template and [PATCH 0/N]", () => {
    const template = mail({ sha: SHA2, subject: "[PATCH 0/2] *** SUBJECT HERE ***", body: ["*** BLURB HERE ***", "", "A (2):", "  first", "  second"] });
    const c = only(template);
    expect(c.isCoverLetter).toBe(true);
    expect(c.subject).toBe("*** SUBJECT HERE ***");
    expect(c.body).toBe("*** BLURB HERE ***\n\nA (2):\n  first\n  second");
    const rfc = only(mail({ subject: "[RFC PATCH v2 00/12] x86: things", body: ["Blurb."] }));
    expect(rfc.isCoverLetter).toBe(true);
  });

  it("reads git's cover letter as format-patch --cover-letter writes it, with no sha of its own", () => {
    // git 2.39 puts the tip commit's sha on the cover letter's From_ line.
    const cover = text(
      `From ${SHA2} Mon Sep 17 00:00:00 2001`,
      "From: Seed maintainers",
      " <maintainers@users.noreply.example>",
      "Date: Wed, 25 Nov 2026 12:04:16 +0000",
      "Subject: [PATCH 0/1] *** SUBJECT HERE ***",
      "",
      "*** BLURB HERE ***",
      "",
      "A (1):",
      "  only",
      "",
      " f | 1 +",
      " 1 file changed, 1 insertion(+)",
      " create mode 100644 f",
      "",
      "-- ",
      "2.39.5",
      "",
    );
    const patch = mail({ sha: SHA2, subject: "[PATCH 1/1] only", diff: ["diff --git a/f b/f", "new file mode 100644", "index 0000000..7898192", "--- /dev/null", "+++ b/f", "@@ -0,0 +1 @@", "+a"] });
    const s = parse(cover + patch);
    expect(s.commits.map((c) => [c.sha, c.isCoverLetter, c.files.length])).toEqual([
      [null, true, 0],
      [SHA2, false, 1],
    ]);
    expect(s.commits[0]!.author).toEqual({ name: "Seed maintainers", email: "maintainers@users.noreply.example" });
    expect(s.commits[0]!.body).toBe("*** BLURB HERE ***\n\nA (1):\n  only\n\n f | 1 +\n 1 file changed, 1 insertion(+)\n create mode 100644 f");
    expect(s.files[0]).toMatchObject({ kind: "added", newPath: "f", commitIndex: 1 });
  });

  it("does not take a [PATCH 1/N] without a diff for a cover letter", () => {
    expect(only(mail({ subject: "[PATCH 1/2] empty" })).isCoverLetter).toBe(false);
  });
});

describe("line ends and encodings", () => {
  it("reads CRLF input exactly as LF input", () => {
    const crlf = XEN_PATCH.replace(/\n/g, "\r\n");
    expect(parse(crlf)).toEqual(parse(XEN_PATCH));
  });

  it("drops a UTF-8 byte order mark", () => {
    const withBom = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), utf8(XEN_PATCH)]);
    expect(parse(withBom)).toEqual(parse(XEN_PATCH));
  });

  it("reads Latin-1 bytes with a warning at the right line and exact line numbers", () => {
    const t = mail({ from: "REN_PLACEHOLDER <rd@x.org>", diff: gitDiff("a.c", [" ctx", "-old", "+new"], "@@ -7,2 +7,2 @@") });
    const [before, after] = t.split("REN_PLACEHOLDER");
    const bytes = Buffer.concat([Buffer.from(before!, "utf8"), Buffer.from([0x52, 0x65, 0x6e, 0xe9]), Buffer.from(after!, "utf8")]);
    const s = parse(bytes, "latin1.patch");
    expect(s.warnings).toEqual([{ source: "latin1.patch", line: 2, message: expect.stringContaining("not valid UTF-8") }]);
    const c = s.commits[0]!;
    expect(c.author).toEqual({ name: "René", email: "rd@x.org" });
    expect(shape(c.files[0]!.hunks[0]!.lines)).toEqual([
      ["context", 7, 7, "ctx"],
      ["removed", 8, undefined, "old"],
      ["added", undefined, 8, "new"],
    ]);
    expect(c.files[0]!.hunks[0]!.lines[2]!.inputLine).toBe(lineNo(t, "+new"));
  });

  it("keeps valid UTF-8 lines as UTF-8 when other lines are Latin-1", () => {
    const p1 = mail({ sha: SHA1, from: "Marek Marczykowski-Górecki <m@x.org>", diff: gitDiff("a.c", ["-a", "+b"]) });
    const p2 = Buffer.concat([
      utf8(`From ${SHA2} Mon Sep 17 00:00:00 2001\nFrom: `),
      Buffer.from("Ren\xe9 Dupont <rd@x.org>\n", "latin1"),
      utf8("Subject: [PATCH] two\n\nBody with ü.\n---\n" + text(...gitDiff("b.c", ["-a", "+b"]))),
    ]);
    const s = parse(Buffer.concat([utf8(p1), p2]));
    expect(s.commits.map((c) => c.author?.name)).toEqual(["Marek Marczykowski-Górecki", "René Dupont"]);
    expect(s.commits[1]!.body).toBe("Body with ü.");
    expect(s.warnings).toHaveLength(1);
    expect(s.warnings[0]!.line).toBe(lineNo(p1, "-- ") + 4);
  });

  it("warns about binary files", () => {
    const s = parse(mail({ diff: ["diff --git a/fw.bin b/fw.bin", "index 1111111..2222222 100644", "Binary files a/fw.bin and b/fw.bin differ"] }), "bin.patch");
    expect(s.warnings).toEqual([{ source: "bin.patch", line: 1, message: "fw.bin: binary file, not checked" }]);
  });
});

describe("malformed input", () => {
  it("rejects empty input", () => {
    for (const empty of ["", "\n\n", "   \n\t\n"]) {
      const e = inputError(() => parse(empty, "empty.patch"));
      expect(e.source).toBe("empty.patch");
      expect(e.line).toBeNull();
      expect(e.message).toMatch(/no patch found/);
      expect(e.describe()).toBe(`empty.patch: ${e.message}`);
    }
  });

  it("rejects a file that is not a patch", () => {
    const e = inputError(() => parse("Hello,\n\nthis is a letter, not a patch.\n", "letter.txt"));
    expect(e.source).toBe("letter.txt");
    expect(e.line).toBe(1);
    expect(e.describe()).toMatch(/^letter\.txt:1: no patch found/);
  });

  it("rejects a file that only looks like mail headers", () => {
    const e = inputError(() => parse("obj-y += foo.o\nfoo-y: bar.o\n", "Makefile"));
    expect(e.source).toBe("Makefile");
    const e2 = inputError(() => parse("key: value\nother: thing\n", "config.yaml"));
    expect(e2.describe()).toMatch(/^config\.yaml:1: no patch found/);
  });

  it("rejects a hunk that ends early, naming the last line", () => {
    const t = text("diff --git a/a.c b/a.c", "--- a/a.c", "+++ b/a.c", "@@ -1,3 +1,3 @@", " a", "-b");
    const e = inputError(() => parse(t, "short.patch"));
    expect(e.source).toBe("short.patch");
    expect(e.line).toBe(6);
    expect(e.message).toBe("hunk ends early: 1 old and 2 new lines missing (header at line 4)");
    expect(e.describe()).toBe("short.patch:6: hunk ends early: 1 old and 2 new lines missing (header at line 4)");
  });

  it("rejects a hunk cut short by the next file", () => {
    const t = text("diff --git a/a.c b/a.c", "--- a/a.c", "+++ b/a.c", "@@ -1,3 +1,3 @@", " a", ...gitDiff("b.c", ["-a", "+b"]));
    const e = inputError(() => parse(t, "cut.patch"));
    expect(e.line).toBe(6);
    expect(e.message).toMatch(/^unexpected line inside a hunk \(2 old and 2 new lines still due\)/);
  });

  it("reads a tab-indented context line that lost its leading space as context, with a warning", () => {
    const t = text("diff --git a/a.c b/a.c", "--- a/a.c", "+++ b/a.c", "@@ -1,3 +1,3 @@", " a", "\tb();", "-c", "+d");
    const series = parseSeries([{ name: "queue.patch", bytes: Buffer.from(t) }]);
    const lines = series.files[0]!.hunks[0]!.lines;
    expect(lines.map((l) => [l.kind, l.text, l.oldLine, l.newLine])).toEqual([
      ["context", "a", 1, 1],
      ["context", "\tb();", 2, 2],
      ["removed", "c", 3, undefined],
      ["added", "d", undefined, 3],
    ]);
    expect(series.warnings).toEqual([{ source: "queue.patch", line: 6, message: "context line without its leading space; read as context" }]);
  });

  it("rejects a hunk with more lines than its header says", () => {
    const t = text("diff --git a/a.c b/a.c", "--- a/a.c", "+++ b/a.c", "@@ -1,2 +1,2 @@", " a", "-b", "+c", "+d");
    const e = inputError(() => parse(t, "long.patch"));
    expect(e.line).toBe(8);
    expect(e.message).toMatch(/more lines than its header says/);
    // Extra added lines after a complete hunk would otherwise go unreviewed.
    const t2 = text("diff --git a/a.c b/a.c", "--- a/a.c", "+++ b/a.c", "@@ -1,1 +1,1 @@", "-b", "+c", "+sneaky();", "-- ", "2.39.0");
    expect(inputError(() => parse(t2, "long.patch")).describe()).toBe('long.patch:7: hunk has more lines than its header says: "+sneaky();"');
    const t3 = text("diff --git a/a.c b/a.c", "--- a/a.c", "+++ b/a.c", "@@ -1,1 +1,2 @@", " a", "+b", " c");
    expect(inputError(() => parse(t3)).line).toBe(7);
  });

  it("accepts a complete hunk followed by a signature whose trailing space was stripped", () => {
    const t = text(...gitDiff("a.c", ["-a", "+b"]), "--", "2.39.0");
    expect(onlyFile(t).hunks[0]!.lines).toHaveLength(2);
  });

  it("rejects a malformed hunk header", () => {
    const t = text("diff --git a/a.c b/a.c", "--- a/a.c", "+++ b/a.c", "@@ -1,x +1 @@", " a");
    const e = inputError(() => parse(t, "hdr.patch"));
    expect(e.describe()).toBe('hdr.patch:4: malformed hunk header "@@ -1,x +1 @@"');
  });

  it("rejects --- without +++ in a git diff", () => {
    const t = mail({ diff: ["diff --git a/a.c b/a.c", "index 1111111..2222222 100644", "--- a/a.c", "@@ -1 +1 @@", "-a", "+b"] });
    const e = inputError(() => parse(t, "noplus.patch"));
    expect(e.source).toBe("noplus.patch");
    expect(e.line).toBe(lineNo(t, "@@ -1 +1 @@"));
    expect(e.message).toBe('expected "+++ " after "--- ", found "@@ -1 +1 @@"');
  });

  it("reports the line in the whole input for a later message of an mbox", () => {
    const good = mail({ sha: SHA1, diff: gitDiff("a.c", ["-a", "+b"]) });
    const bad = mail({ sha: SHA2, diff: gitDiff("b.c", ["-a", "+b", "+c"]) });
    const e = inputError(() => parse(good + bad, "s.mbox"));
    expect(e.line).toBe(lineNo(good + bad, "+c"));
  });

  it("is an Error with a name, and describe() without a line", () => {
    const e = new InputError("x.patch", null, "boom");
    expect(e).toBeInstanceOf(Error);
    expect(e.name).toBe("InputError");
    expect(e.describe()).toBe("x.patch: boom");
    expect(new InputError("x.patch", 3, "boom").describe()).toBe("x.patch:3: boom");
  });
});

describe("limits", () => {
  it("rejects an input over maxInputBytes before reading it", () => {
    const e = inputError(() => parse(XEN_PATCH, "big.patch", { ...DEFAULT_LIMITS, maxInputBytes: 100 }));
    expect(e.source).toBe("big.patch");
    expect(e.line).toBeNull();
    expect(e.message).toBe(`input is ${utf8(XEN_PATCH).length} bytes, over the limit of 100`);
    expect(parse(XEN_PATCH, "ok.patch", { ...DEFAULT_LIMITS, maxInputBytes: utf8(XEN_PATCH).length }).commits).toHaveLength(1);
  });

  it("rejects a hunk over maxHunkLines at its header", () => {
    const e = inputError(() => parse(XEN_PATCH, "big.patch", { ...DEFAULT_LIMITS, maxHunkLines: 10 }));
    expect(e.line).toBe(lineNo(XEN_PATCH, "@@ -10,6 +10,5 @@", 1, true));
    expect(e.message).toBe("hunk of 11 lines is larger than the limit of 10");
    expect(parse(XEN_PATCH, "ok.patch", { ...DEFAULT_LIMITS, maxHunkLines: 11 }).files).toHaveLength(1);
  });

  it("checks a hunk header's claim before reading its lines", () => {
    const t = text(...gitDiff("a.c", ["-a", "+b"], "@@ -1,100000000 +1,100000000 @@"));
    expect(inputError(() => parse(t)).message).toMatch(/larger than the limit/);
  });

  it("applies the default limits", () => {
    const s = parseSeries([{ name: "x", bytes: utf8(XEN_PATCH) }]);
    expect(s.commits).toHaveLength(1);
  });
});

describe("properties", () => {
  const shaArb = fc.stringMatching(/^[0-9a-f]{40}$/);
  const wordArb = fc.stringMatching(/^[a-z][a-z0-9_]{0,10}$/);
  it("an mbox of generated patches reads back as the same commits, files and lines", () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ sha: shaArb, subj: wordArb, path: wordArb, added: fc.array(wordArb, { minLength: 1, maxLength: 5 }) }), { minLength: 1, maxLength: 6 }),
        fc.boolean(),
        (patches, crlf) => {
          const n = patches.length;
          let mbox = patches
            .map((p, k) =>
              mail({
                sha: p.sha,
                subject: `[PATCH v2 ${k + 1}/${n}] ${p.subj}`,
                body: [`Change ${p.subj}.`, "", "Signed-off-by: A <a@b.c>"],
                notes: [` ${p.path}.c | ${p.added.length} +`],
                diff: gitDiff(`${p.path}.c`, [" ctx", ...p.added.map((w) => `+${w}`)], `@@ -3,1 +3,${p.added.length + 1} @@`),
              }),
            )
            .join("");
          if (crlf) mbox = mbox.replace(/\n/g, "\r\n");
          const s = parse(mbox);
          expect(s.commits.map((c) => [/^0+$/.test(c.sha ?? "") ? null : c.sha, c.subject, c.body, c.trailers.length, c.isCoverLetter])).toEqual(
            patches.map((p) => [/^0+$/.test(p.sha) ? null : p.sha, p.subj, `Change ${p.subj}.`, 1, false]),
          );
          expect(s.files.map((f) => [f.newPath, f.commitIndex])).toEqual(patches.map((p, k) => [`${p.path}.c`, k]));
          s.files.forEach((f, k) => {
            expect(addedLines(f).map((l) => [l.newLine, l.text])).toEqual(patches[k]!.added.map((w, j) => [4 + j, w]));
          });
        },
      ),
      { numRuns: 150 },
    );
  });
});
