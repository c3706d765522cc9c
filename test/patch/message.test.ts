import { describe, expect, it } from "@jest/globals";
import { decodeInput } from "../../src/patch/decode.js";
import {
  charsetOf,
  decodeEncodedWords,
  decodeTransferEncoding,
  firstHeader,
  parseAuthor,
  parseSubject,
  readHeaders,
  splitTrailers,
  unescapeHtml,
} from "../../src/patch/message.js";

describe("readHeaders", () => {
  it("reads headers up to the blank line, lower-cases names, unfolds continuations", () => {
    const lines = ["From: A", " <a@b.c>", "Subject: one", "\ttwo", "X-Multi: 1", "X-Multi: 2", "", "body"];
    const { headers, bodyStart } = readHeaders(lines, 0, lines.length);
    expect(bodyStart).toBe(7);
    expect(firstHeader(headers, "from")).toBe("A <a@b.c>");
    expect(firstHeader(headers, "subject")).toBe("one two");
    expect(headers.get("x-multi")).toEqual(["1", "2"]);
    expect(firstHeader(headers, "date")).toBeUndefined();
  });

  it("stops at a line that is not a header", () => {
    const lines = ["Subject: x", "not a header line", "more"];
    const { headers, bodyStart } = readHeaders(lines, 0, lines.length);
    expect(bodyStart).toBe(1);
    expect([...headers.keys()]).toEqual(["subject"]);
  });

  it("respects start and end", () => {
    const lines = ["junk", "Subject: a", "From: b", "Date: c"];
    const { headers, bodyStart } = readHeaders(lines, 1, 3);
    expect(bodyStart).toBe(3);
    expect([...headers.keys()]).toEqual(["subject", "from"]);
  });
});

describe("decodeEncodedWords", () => {
  it("decodes q and b words in several charsets", () => {
    expect(decodeEncodedWords("=?UTF-8?q?Marek_Marczykowski-G=C3=B3recki?=")).toBe("Marek Marczykowski-Górecki");
    expect(decodeEncodedWords("=?utf-8?Q?a=5Fb?=")).toBe("a_b");
    expect(decodeEncodedWords("=?ISO-8859-1?B?UmVu6Q==?=")).toBe("René");
    expect(decodeEncodedWords("=?utf-8*en?q?x?=")).toBe("x");
  });

  it("drops whitespace between adjacent words but keeps it around plain text", () => {
    expect(decodeEncodedWords("=?UTF-8?q?J=C3=BC?= =?UTF-8?q?rgen?= Gross")).toBe("Jürgen Gross");
    expect(decodeEncodedWords("Hi =?UTF-8?q?J=C3=BCrgen?= there")).toBe("Hi Jürgen there");
  });

  it("falls back to Latin-1 for an unknown charset and leaves plain text alone", () => {
    expect(decodeEncodedWords("=?x-unknown?q?Ren=E9?=")).toBe("René");
    expect(decodeEncodedWords("plain = text ?= here")).toBe("plain = text ?= here");
  });
});

describe("decodeTransferEncoding", () => {
  it("undoes quoted-printable with soft breaks in the given charset", () => {
    expect(decodeTransferEncoding("caf=C3=A9 =3D x=\ny", "quoted-printable", "utf-8")).toBe("café = xy");
    expect(decodeTransferEncoding("Ren=E9", " Quoted-Printable ", "iso-8859-1")).toBe("René");
    expect(decodeTransferEncoding("=ZZ stays", "quoted-printable", undefined)).toBe("=ZZ stays");
  });

  it("undoes base64, whitespace and CRLF included", () => {
    const b = Buffer.from("line one\r\nline two ü\r\n", "utf8").toString("base64");
    expect(decodeTransferEncoding(`${b.slice(0, 10)}\n${b.slice(10)}`, "base64", undefined)).toBe("line one\nline two ü\n");
  });

  it("leaves 7bit, 8bit and missing encodings alone", () => {
    for (const enc of ["7bit", "8bit", "binary", undefined]) expect(decodeTransferEncoding("a =3D b", enc, "utf-8")).toBe("a =3D b");
  });
});

describe("charsetOf", () => {
  it("finds the charset parameter", () => {
    expect(charsetOf("text/plain; charset=UTF-8")).toBe("UTF-8");
    expect(charsetOf('text/plain; charset="iso-8859-1"; format=flowed')).toBe("iso-8859-1");
    expect(charsetOf("text/plain")).toBeUndefined();
    expect(charsetOf(undefined)).toBeUndefined();
  });
});

describe("parseSubject", () => {
  it("reports the patch index and total", () => {
    expect(parseSubject("[PATCH v2 3/7] x86/xen: a")).toEqual({ subject: "x86/xen: a", index: 3, total: 7 });
    expect(parseSubject("[RFC 00/12] a")).toEqual({ subject: "a", index: 0, total: 12 });
    expect(parseSubject("[PATCH] a")).toEqual({ subject: "a", index: null, total: null });
    expect(parseSubject("Re: [PATCH 1/2] a")).toEqual({ subject: "a", index: 1, total: 2 });
    expect(parseSubject("[tip: x86/urgent] a")).toEqual({ subject: "a", index: null, total: null });
    expect(parseSubject("  plain  ")).toEqual({ subject: "plain", index: null, total: null });
  });
});

describe("parseAuthor", () => {
  it("reads the common From forms", () => {
    expect(parseAuthor(undefined)).toBeNull();
    expect(parseAuthor("")).toBeNull();
    expect(parseAuthor("Juergen Gross <jgross@suse.com>")).toEqual({ name: "Juergen Gross", email: "jgross@suse.com" });
    expect(parseAuthor('"Gross, Juergen" <jgross@suse.com>')).toEqual({ name: "Gross, Juergen", email: "jgross@suse.com" });
    expect(parseAuthor("<jgross@suse.com>")).toEqual({ name: "", email: "jgross@suse.com" });
    expect(parseAuthor("jgross@suse.com (Juergen Gross)")).toEqual({ name: "Juergen Gross", email: "jgross@suse.com" });
    expect(parseAuthor("Just A Name")).toEqual({ name: "Just A Name", email: "" });
  });
});

describe("splitTrailers", () => {
  it("splits off the last paragraph of trailers", () => {
    const r = splitTrailers(["Prose.", "", "More prose.", "", "Fixes: abc (\"x\")", "Signed-off-by: A <a@b>", ""]);
    expect(r.prose).toEqual(["Prose.", "", "More prose."]);
    expect(r.trailers).toEqual([
      { key: "Fixes", value: 'abc ("x")' },
      { key: "Signed-off-by", value: "A <a@b>" },
    ]);
  });

  it("reads a body that is only trailers", () => {
    expect(splitTrailers(["Signed-off-by: A <a@b>"])).toEqual({ prose: [], trailers: [{ key: "Signed-off-by", value: "A <a@b>" }] });
  });

  it("keeps an empty body empty", () => {
    expect(splitTrailers([])).toEqual({ prose: [], trailers: [] });
    expect(splitTrailers(["", ""])).toEqual({ prose: [], trailers: [] });
  });
});

describe("unescapeHtml", () => {
  it("undoes the common entities only", () => {
    expect(unescapeHtml("&lt;a&gt; &amp; &quot;b&quot; &#39;c&#39; &nbsp;")).toBe("<a> & \"b\" 'c' &nbsp;");
  });
});

describe("decodeInput", () => {
  it("reads UTF-8 without warnings", () => {
    expect(decodeInput(Buffer.from("a ü\nb\n"), "x")).toEqual({ text: "a ü\nb\n", warnings: [] });
  });

  it("normalises CRLF and lone CR", () => {
    expect(decodeInput(Buffer.from("a\r\nb\rc\n"), "x").text).toBe("a\nb\nc\n");
  });

  it("drops a BOM", () => {
    expect(decodeInput(Buffer.from("\ufeffa\n"), "x").text).toBe("a\n");
  });

  it("reads invalid UTF-8 lines as Latin-1, keeps valid lines, and warns once at the first bad line", () => {
    const bytes = Buffer.concat([Buffer.from("ok ü\n"), Buffer.from("Ren\xe9\n", "latin1"), Buffer.from("later ü\n"), Buffer.from("\xff\n", "latin1")]);
    const d = decodeInput(bytes, "in.patch");
    expect(d.text.split("\n")).toEqual(["ok ü", "René", "later ü", "ÿ", ""]);
    expect(d.warnings).toEqual([{ source: "in.patch", line: 2, message: expect.stringContaining("not valid UTF-8") }]);
  });

  it("keeps every line: line count equals the input's", () => {
    const bytes = Buffer.from("a\n\xc3\nb\r\n\xe9\xe9\nc", "latin1");
    expect(decodeInput(bytes, "x").text.split("\n")).toHaveLength(5);
  });
});
