import { describe, expect, it } from "@jest/globals";
import { LINUX_DEFAULTS } from "../../src/config/defaults.js";
import { runRules } from "../../src/engine/run.js";
import { decodeQuotedPrintable, parseContentType } from "../../src/patch/mime.js";
import type { Series } from "../../src/patch/types.js";
import { gitDiff, mail, parse, SHA2, text } from "./fixtures.js";
import { base64Lines, gitAttach, muttAttach, nestMultipart, qpLines } from "./mime-fixtures.js";

// What a reviewer needs to be the same however the patch travelled.
function essence(s: Series) {
  return s.commits.map((c) => ({
    subject: c.subject,
    author: c.author,
    body: c.body,
    trailers: c.trailers,
    files: c.files.map((f) => ({ path: f.newPath, hunks: f.hunks.map((h) => ({ at: h.newStart, lines: h.lines.map((l) => `${l.kind[0]}${l.text}`) })) })),
  }));
}

// `git format-patch --stdout` of a one-line Xen special case, as git 2.39 writes it.
const REAL = text(
  "From 7d9a49aff3a9f468b02488973277260da08df862 Mon Sep 17 00:00:00 2001",
  "From: =?UTF-8?q?J=C3=BCrgen=20Gro=C3=9F?= <jgross@suse.com>",
  "Date: Tue, 1 Dec 2026 11:35:10 +0000",
  "Subject: [PATCH] x86/mm: special-case Xen PV",
  "",
  "Because reasons.",
  "",
  "Signed-off-by: Jürgen Groß <jgross@suse.com>",
  "---",
  " arch/x86/mm/init.c | 2 ++",
  " 1 file changed, 2 insertions(+)",
  "",
  "diff --git a/arch/x86/mm/init.c b/arch/x86/mm/init.c",
  "index dc904e7..1f1c075 100644",
  "--- a/arch/x86/mm/init.c",
  "+++ b/arch/x86/mm/init.c",
  "@@ -1,2 +1,4 @@",
  " int a;",
  "+if (xen_pv_domain())",
  "+\tx();",
  " int b;",
  "-- ",
  "2.39.5",
);

// The same commit, `git format-patch --stdout --attach`, byte for byte.
const REAL_ATTACH = text(
  "From 7d9a49aff3a9f468b02488973277260da08df862 Mon Sep 17 00:00:00 2001",
  "From: =?UTF-8?q?J=C3=BCrgen=20Gro=C3=9F?= <jgross@suse.com>",
  "Date: Tue, 1 Dec 2026 11:35:10 +0000",
  "Subject: [PATCH] x86/mm: special-case Xen PV",
  "MIME-Version: 1.0",
  'Content-Type: multipart/mixed; boundary="------------2.39.5"',
  "",
  "This is a multi-part message in MIME format.",
  "--------------2.39.5",
  "Content-Type: text/plain; charset=UTF-8; format=fixed",
  "Content-Transfer-Encoding: 8bit",
  "",
  "",
  "Because reasons.",
  "",
  "Signed-off-by: Jürgen Groß <jgross@suse.com>",
  "---",
  " arch/x86/mm/init.c | 2 ++",
  " 1 file changed, 2 insertions(+)",
  "",
  "",
  "--------------2.39.5",
  'Content-Type: text/x-patch; name="0001-x86-mm-special-case-Xen-PV.patch"',
  "Content-Transfer-Encoding: 8bit",
  'Content-Disposition: attachment; filename="0001-x86-mm-special-case-Xen-PV.patch"',
  "",
  "diff --git a/arch/x86/mm/init.c b/arch/x86/mm/init.c",
  "index dc904e7..1f1c075 100644",
  "--- a/arch/x86/mm/init.c",
  "+++ b/arch/x86/mm/init.c",
  "@@ -1,2 +1,4 @@",
  " int a;",
  "+if (xen_pv_domain())",
  "+\tx();",
  " int b;",
  "",
  "--------------2.39.5--",
  "",
  "",
);

describe("MIME parts are read as if inline", () => {
  const inline = essence(parse(REAL));

  it("reads git format-patch --attach", () => {
    const s = parse(REAL_ATTACH);
    expect(essence(s)).toEqual(inline);
    expect(s.commits[0]!.files[0]!.hunks[0]!.lines[1]).toMatchObject({ kind: "added", text: "if (xen_pv_domain())", newLine: 2, inputLine: 33 });
    expect(s.warnings).toEqual([]);
  });

  it("reads --inline, and the attachment in base64 or quoted-printable", () => {
    for (const o of [{ inline: true }, { encoding: "base64" as const }, { encoding: "quoted-printable" as const }]) {
      const s = parse(gitAttach(REAL, o));
      expect(essence(s)).toEqual(inline);
      expect(s.warnings).toEqual([]);
    }
  });

  it("reads whole format-patch files attached by mutt, one commit each", () => {
    const second = mail({ sha: SHA2, subject: "[PATCH 2/2] x86/xen: more", diff: gitDiff("arch/x86/xen/a.c", ["-a", "+b"]) });
    const s = parse(muttAttach([REAL, second]));
    expect(essence(s)).toEqual([...inline, ...essence(parse(second))]);
    expect(s.commits[0]!.sha).toBe("7d9a49aff3a9f468b02488973277260da08df862");
    expect(s.commits[1]!.sha).toBe(SHA2);
    expect(s.warnings).toEqual([]);
  });

  it("keeps the `From ` lines of patch files attached 8bit inside their mail, in an mbox of such mails", () => {
    const second = mail({ sha: SHA2, subject: "[PATCH] x86/xen: more", diff: gitDiff("arch/x86/xen/a.c", ["-a", "+b"]) });
    const one = muttAttach([REAL, second], { encoding: "8bit" });
    expect(essence(parse(one))).toEqual([...inline, ...essence(parse(second))]);
    const mbox = `From mutt@x Tue Jan  3 10:00:00 2023\n${one}\nFrom mutt@x Tue Jan  3 10:00:01 2023\n${muttAttach([second], { encoding: "8bit" })}`;
    expect(essence(parse(mbox))).toEqual([...inline, ...essence(parse(second)), ...essence(parse(second))]);
  });

  it("does not let a lost closing boundary swallow the next message of a series", () => {
    const second = mail({ sha: SHA2, subject: "[PATCH 2/2] x86/xen: more", diff: gitDiff("arch/x86/xen/a.c", ["-a", "+b"]) });
    const broken = gitAttach(REAL).replace("--------------2.39.5--\n", "");
    const s = parse(broken + gitAttach(second));
    expect(s.commits.map((c) => c.subject)).toEqual(["x86/mm: special-case Xen PV", "x86/xen: more"]);
    expect(s.warnings.map((w) => w.message)).toEqual(['message: multipart/mixed part list has no closing boundary "--------------2.39.5--"; read up to the end']);
  });

  it("reads a text/plain attachment holding a bare diff under the mail's own subject", () => {
    const diff = text(...gitDiff("arch/x86/mm/init.c", [" int a;", "+if (xen_pv_domain())", "+\tx();", " int b;"], "@@ -1,2 +1,4 @@"));
    const m = text(
      "From: Juergen Gross <jgross@suse.com>",
      "Subject: [PATCH] x86/mm: special-case Xen PV",
      "MIME-Version: 1.0",
      'Content-Type: multipart/mixed; boundary="b1"',
      "",
      "--b1",
      "Content-Type: text/plain; charset=utf-8",
      "",
      "Because reasons.",
      "",
      "Signed-off-by: Juergen Gross <jgross@suse.com>",
      "--b1",
      'Content-Type: text/plain; charset=utf-8; name="fix.diff"',
      'Content-Disposition: attachment; filename="fix.diff"',
      "Content-Transfer-Encoding: base64",
      "",
      ...base64Lines(diff),
      "--b1--",
    );
    const s = parse(m);
    expect(s.commits).toHaveLength(1);
    expect(s.commits[0]!.subject).toBe("x86/mm: special-case Xen PV");
    expect(s.commits[0]!.body).toBe("Because reasons.");
    expect(essence(s)[0]!.files).toEqual(inline[0]!.files);
  });

  it("reads nested multiparts under a PGP signature, and skips the signature", () => {
    for (const enc of ["8bit", "base64", "quoted-printable"] as const) {
      const s = parse(nestMultipart(REAL, 3, enc));
      expect(essence(s)).toEqual(inline);
      expect(s.warnings).toEqual([]);
    }
  });

  it("reads the plain-text alternative, and a forwarded message/rfc822", () => {
    const body = REAL.split("\n\n").slice(1).join("\n\n");
    const alt = text(
      "From: Juergen Gross <jgross@suse.com>",
      "Subject: [PATCH] x86/mm: special-case Xen PV",
      'Content-Type: multipart/alternative; boundary="alt"',
      "",
      "--alt",
      "Content-Type: text/plain; charset=utf-8",
      "Content-Transfer-Encoding: quoted-printable",
      "",
      ...qpLines(body),
      "--alt",
      "Content-Type: text/html; charset=utf-8",
      "",
      "<p>not a patch</p>",
      "--alt--",
    );
    expect(essence(parse(alt))[0]!.files).toEqual(inline[0]!.files);
    const fwd = text(
      "From: Boris Ostrovsky <boris.ostrovsky@oracle.com>",
      "Subject: Fwd: [PATCH] x86/mm: special-case Xen PV",
      'Content-Type: multipart/mixed; boundary="fw"',
      "",
      "--fw",
      "Content-Type: text/plain",
      "",
      "See below.",
      "--fw",
      "Content-Type: message/rfc822",
      "",
      ...REAL.split("\n").slice(1, -1),
      "--fw--",
    );
    expect(essence(parse(fwd))).toEqual(inline);
  });

  it("decodes a Latin-1 quoted-printable part", () => {
    const m = text(
      "From: Juergen Gross <jgross@suse.com>",
      "Subject: [PATCH] x",
      'Content-Type: multipart/mixed; boundary="b"',
      "",
      "--b",
      "Content-Type: text/plain; charset=iso-8859-1",
      "Content-Transfer-Encoding: quoted-printable",
      "",
      "Gr=FC=DFe.",
      "--b--",
    );
    expect(parse(m).commits[0]!.body).toBe("Grüße.");
  });
});

describe("a part that cannot be read is an input warning, never a silent empty commit", () => {
  const wrap = (partHeaders: string[], body: string[], boundary = "b") =>
    text(
      "From: Juergen Gross <jgross@suse.com>",
      "Subject: [PATCH] x86/mm: special-case Xen PV",
      `Content-Type: multipart/mixed; boundary="${boundary}"`,
      "",
      "--b",
      "Content-Type: text/plain",
      "",
      "Because reasons.",
      "--b",
      ...partHeaders,
      "",
      ...body,
      "--b--",
    );

  it("warns about invalid base64", () => {
    const s = parse(wrap(["Content-Type: text/x-patch", "Content-Transfer-Encoding: base64"], ["ZGlmZiAt!!!LWdpdA=="]));
    expect(s.warnings).toEqual([{ source: "test.patch", line: 13, message: 'MIME part 2 of message (text/x-patch): invalid base64; part not read' }]);
  });

  it("warns about an unknown transfer encoding, a binary attachment and a missing boundary", () => {
    expect(parse(wrap(["Content-Type: text/x-patch", "Content-Transfer-Encoding: x-uuencode"], ["begin 644 x"])).warnings[0]!.message).toMatch(/unknown Content-Transfer-Encoding "x-uuencode"/);
    expect(parse(wrap(['Content-Type: image/png; name="shot.png"', "Content-Transfer-Encoding: base64"], ["iVBORw0KGgo="])).warnings[0]!.message).toBe(
      'MIME part 2 of message (image/png, "shot.png"): not a text part a patch can be in; not read',
    );
    const noBoundary = text("From: A <a@b.c>", "Subject: [PATCH] x", "Content-Type: multipart/mixed", "", "--b", "", "x", "--b--");
    expect(parse(noBoundary).warnings.map((w) => w.message)).toEqual([
      "message: multipart/mixed without a boundary; not read",
      "no MIME part of this message could be read as text: read as an empty commit",
    ]);
  });

  it("reads up to the end when the closing boundary is missing, and says so", () => {
    const m = wrap(["Content-Type: text/x-patch"], gitDiff("a.c", ["-a", "+b"])).replace("--b--\n", "");
    const s = parse(m);
    expect(s.files).toHaveLength(1);
    expect(s.warnings.map((w) => w.message)).toEqual(['message: multipart/mixed part list has no closing boundary "--b--"; read up to the end']);
  });

  it("reads a single-part base64 attachment, and warns about a single part of another type", () => {
    const body = REAL.split("\n\n").slice(1).join("\n\n");
    const head = ["From: Juergen Gross <jgross@suse.com>", "Subject: [PATCH] x86/mm: special-case Xen PV"];
    const octet = text(...head, 'Content-Type: application/octet-stream; name="0001-x.patch"', "Content-Transfer-Encoding: base64", "", ...base64Lines(body));
    expect(essence(parse(octet))[0]!.files).toEqual(essence(parse(REAL))[0]!.files);
    const html = parse(text(...head, "Content-Type: text/html; charset=utf-8", "", "<pre>diff --git a/x b/x</pre>"));
    expect(html.warnings).toEqual([{ source: "test.patch", line: 5, message: "message body (text/html): not a text part a patch can be in; not read" }]);
    expect(html.commits[0]!.files).toEqual([]);
  });

  it("warns about a single-part base64 body that is not base64", () => {
    const m = text("From: A <a@b.c>", "Subject: [PATCH] x", "Content-Transfer-Encoding: base64", "", "@@@ not base64 @@@");
    expect(parse(m).warnings.map((w) => w.message)).toEqual(["message body: invalid base64; part not read"]);
  });

  it("says how deep it went", () => {
    const s = parse(nestMultipart(REAL, 12));
    expect(s.warnings.map((w) => w.message)).toContainEqual(expect.stringMatching(/nested deeper than 8 levels not read/));
  });
});

describe("MIME helpers", () => {
  it("parses content types with quoted parameters", () => {
    const ct = parseContentType('Multipart/Mixed; boundary="a;b \\"c\\""; charset=UTF-8');
    expect(ct.type).toBe("multipart/mixed");
    expect(ct.params.get("boundary")).toBe('a;b "c"');
    expect(ct.params.get("charset")).toBe("UTF-8");
  });

  it("decodes quoted-printable soft breaks, padding and stray `=`", () => {
    expect(Buffer.from(decodeQuotedPrintable(["caf=C3=A9 =3D x=", "y  ", "a=zz"])).toString("utf8")).toBe("café = xy\na=zz");
  });

  it("round-trips the fixture encoders", () => {
    const t = `${"x".repeat(200)} \t\nü=1\n`;
    expect(Buffer.from(decodeQuotedPrintable(qpLines(t))).toString("utf8")).toBe(t.slice(0, -1));
    expect(Buffer.from(base64Lines(t).join(""), "base64").toString("utf8")).toBe(t);
  });
});

describe("through the rules", () => {
  it("the hypervisor special case in an attached patch is found as if inline", () => {
    const rules = (t: string) => runRules(parse(t), LINUX_DEFAULTS).map((f) => [f.rule, f.file, f.line]);
    const inline = rules(REAL);
    expect(inline).toContainEqual(["hv-special-case", "arch/x86/mm/init.c", 2]);
    for (const t of [REAL_ATTACH, gitAttach(REAL, { encoding: "base64" }), muttAttach([REAL]), nestMultipart(REAL, 2, "quoted-printable")]) expect(rules(t)).toEqual(inline);
  });
});
