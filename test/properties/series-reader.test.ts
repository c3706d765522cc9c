// Properties of the series reader (src/patch) alone: over random and
// mutated real patches it throws nothing but the typed InputError, its
// source view answers for every line without throwing, and it reads the
// same series whatever the line ends, transfer encoding or MIME wrapping.
import { describe, expect, it } from "@jest/globals";
import fc from "fast-check";
import { readFileSync } from "node:fs";
import path from "node:path";
import { InputError } from "../../src/patch/errors.js";
import { parseSeries } from "../../src/patch/series.js";
import { viewOf } from "../../src/patch/source-view.js";
import type { Series } from "../../src/patch/types.js";
import { XEN_PATCH } from "../patch/fixtures.js";
import { encodeWholeBody, gitAttach, muttAttach, nestMultipart, type Encoding } from "../patch/mime-fixtures.js";

const ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), "../..");
const EXAMPLES = ["examples/xen-dom0-series.mbox", "examples/clean-fix.patch"].map((f) => readFileSync(path.join(ROOT, f), "utf8"));

// Modest by default so the suite stays fast; PW_PROPERTY_RUNS=2000 for a deeper search.
const RUNS = Number(process.env.PW_PROPERTY_RUNS ?? 60);

function read(text: string | Uint8Array): Series {
  return parseSeries([{ name: "p.patch", bytes: typeof text === "string" ? Buffer.from(text, "utf8") : text }]);
}

/** The series, or the fact that it was refused as input. Anything else thrown fails the property. */
function outcome(text: string | Uint8Array): Series | "input error" {
  try {
    return read(text);
  } catch (err) {
    if (err instanceof InputError) return "input error";
    throw err;
  }
}

/** Asks the source view everything about every line, as the rules do. */
function exercise(series: Series): void {
  for (const file of series.files) {
    const v = viewOf(file, 1 << 20);
    v.functions();
    for (const [k, h] of file.hunks.entries()) {
      v.sideOf(k, "new");
      v.sideOf(k, "old");
      for (const l of h.lines) {
        if (l.newLine === undefined) continue;
        v.conditionsAround(l.newLine);
        v.conditionsContaining(l.newLine);
        v.functionAt(l.newLine);
        v.structMemberAt(l.newLine);
      }
    }
    v.skipped();
  }
}

/** What must not depend on how the patch travelled. */
function essence(s: Series | "input error") {
  if (s === "input error") return s;
  return s.commits.map((c) => ({
    subject: c.subject,
    author: c.author,
    body: c.body,
    trailers: c.trailers,
    notes: c.notes,
    files: c.files.map((f) => ({
      old: f.oldPath,
      new: f.newPath,
      kind: f.kind,
      hunks: f.hunks.map((h) => [h.oldStart, h.newStart, h.lines.map((l) => `${l.kind[0]}${l.newLine ?? ""}${l.text}`)]),
    })),
  }));
}

// ---- well-formed random series -------------------------------------------

const word = fc.constantFrom("xen", "pv", "mm", "the", "lock", "tlb", "flush", "before", "use", "because", "KVM", "Hyper-V", "é", "ß", "日本");
const prose = fc.array(word, { minLength: 1, maxLength: 10 }).map((w) => w.join(" "));
// Code lines: anything on one line, the hostile shapes included.
const code = fc.oneof(
  fc.string({ unit: "grapheme", maxLength: 60 }),
  fc.constantFrom(
    "\tif (xen_pv_domain())",
    "#ifdef CONFIG_XEN",
    "#endif",
    "struct pv_mmu_ops {",
    "\tvoid (*flush)(void);",
    '\tpr_info("unterminated',
    "\tfoo((((((((((",
    "#define X(a) \\",
    "/* open comment",
    "_\t_[]__0______0______0______0 A=",
    "trailing blanks \t ",
    "=3D not an escape",
    "From the start of a line",
  ),
);
const hunkLine = fc.tuple(fc.constantFrom(" ", "+", "-"), code).map(([m, t]) => `${m}${t}`);
const hunkBody = fc.array(hunkLine, { minLength: 1, maxLength: 12 });
const fileArb = fc.record({
  path: fc.constantFrom("arch/x86/mm/init.c", "arch/x86/xen/enlighten.c", "kernel/sched/core.c", "drivers/xen/Kconfig", "mm/Makefile", "include/linux/x.h"),
  hunks: fc.array(hunkBody, { minLength: 1, maxLength: 3 }),
});
const commitArb = fc.record({
  subject: prose,
  author: fc.constantFrom("Juergen Gross <jgross@suse.com>", "=?UTF-8?q?J=C3=BCrgen_Gro=C3=9F?= <jgross@suse.com>", "boris@oracle.com (Boris Ostrovsky)"),
  body: fc.array(prose, { maxLength: 4 }),
  files: fc.array(fileArb, { minLength: 1, maxLength: 3 }),
});

/** One `git format-patch` message per commit, hunk headers counted. */
interface RandomCommit {
  subject: string;
  author: string;
  body: string[];
  files: { path: string; hunks: string[][] }[];
}

function render(commits: RandomCommit[]): string[] {
  return commits.map((c, k) => {
    const out = [
      `From ${String(k + 1).padStart(40, "a")} Mon Sep 17 00:00:00 2001`,
      `From: ${c.author}`,
      "Date: Tue, 3 Jan 2023 10:00:00 +0100",
      `Subject: [PATCH ${k + 1}/${commits.length}] ${c.subject}`,
      "",
      ...(c.body.length ? [...c.body, ""] : []),
      "Signed-off-by: Juergen Gross <jgross@suse.com>",
      "---",
      ` ${c.files.length} files changed`,
      "",
    ];
    for (const f of c.files) {
      out.push(`diff --git a/${f.path} b/${f.path}`, "index 1111111..2222222 100644", `--- a/${f.path}`, `+++ b/${f.path}`);
      let at = 1;
      for (const body of f.hunks) {
        const old = body.filter((l) => l[0] !== "+").length;
        const neu = body.filter((l) => l[0] !== "-").length;
        out.push(`@@ -${at},${old} +${at},${neu} @@`, ...body);
        at += Math.max(old, neu) + 10;
      }
    }
    out.push("-- ", "2.39.5", "");
    return out.join("\n");
  });
}

const seriesArb = fc.array(commitArb, { minLength: 1, maxLength: 3 }).map(render);

// ---- how a patch travels -------------------------------------------------

const encodingArb = fc.constantFrom<Encoding>("8bit", "base64", "quoted-printable");
type Wrap = { kind: "plain" } | { kind: "body"; enc: Encoding } | { kind: "attach"; enc: Encoding; inline: boolean } | { kind: "nest"; depth: number; enc: Encoding } | { kind: "mutt"; enc: Encoding; type: string };
const wrapArb: fc.Arbitrary<Wrap> = fc.oneof(
  fc.constant<Wrap>({ kind: "plain" }),
  encodingArb.filter((e) => e !== "8bit").map<Wrap>((enc) => ({ kind: "body", enc })),
  fc.tuple(encodingArb, fc.boolean()).map<Wrap>(([enc, inline]) => ({ kind: "attach", enc, inline })),
  fc.tuple(fc.integer({ min: 1, max: 4 }), encodingArb).map<Wrap>(([depth, enc]) => ({ kind: "nest", depth, enc })),
  fc.tuple(encodingArb, fc.constantFrom("text/x-patch", "text/x-diff", "text/plain", "application/octet-stream")).map<Wrap>(([enc, type]) => ({ kind: "mutt", enc, type })),
);

function wrap(messages: string[], w: Wrap): string {
  switch (w.kind) {
    case "plain":
      return messages.join("");
    case "body":
      return messages.map((m) => encodeWholeBody(m, w.enc)).join("");
    case "attach":
      return messages.map((m) => gitAttach(m, { encoding: w.enc, inline: w.inline })).join("");
    case "nest":
      return messages.map((m) => nestMultipart(m, w.depth, w.enc)).join("");
    case "mutt":
      return muttAttach(messages, { encoding: w.enc, type: w.type });
  }
}

/**
 * Each line end becomes LF or CRLF, as broken mailers mix them. Lone CRs
 * are all-or-nothing: a CR line end before an empty LF line is a CRLF.
 */
const lineEnds = (text: string, choices: number[]) => {
  if (choices[0] === 0) return text.replace(/\n/g, "\r");
  let k = 0;
  return text.replace(/\n/g, () => (choices[k++ % choices.length]! % 2 ? "\r\n" : "\n"));
};

// ---- hostile mutations -------------------------------------------------

const JUNK = [
  `From: ${"\t".repeat(3000)}x`,
  `From: \u0001${"@(".repeat(1500)}`,
  `Subject: [PATCH ${"0".repeat(3000)}`,
  "Content-Type: multipart/mixed",
  'Content-Type: multipart/mixed; boundary="b"',
  "Content-Transfer-Encoding: base64",
  "Content-Transfer-Encoding: quoted-printable",
  "--b",
  "--b--",
  "=?utf-8?b?!!!?=",
  `+${"x".repeat(40_000)}`,
  `+${"(".repeat(5000)}`,
  ...Array.from({ length: 3 }, () => "+#if A"),
  "@@ -1 +1 @@",
  "diff --git a/x.c b/x.c",
  "\\ No newline at end of file",
  "",
];

type Edit = { at: number; insert: string } | { at: number; remove: true } | { at: number; repeat: number };
const editArb: fc.Arbitrary<Edit> = fc.oneof(
  fc.record({ at: fc.nat(), insert: fc.oneof(fc.constantFrom(...JUNK), fc.string({ maxLength: 100 }), fc.string({ unit: "binary", maxLength: 40 })) }),
  fc.record({ at: fc.nat(), remove: fc.constant<true>(true) }),
  fc.record({ at: fc.nat(), repeat: fc.integer({ min: 2, max: 400 }) }),
);

function mutate(text: string, edits: Edit[]): string {
  const lines = text.split("\n");
  for (const e of edits) {
    const i = e.at % (lines.length + 1);
    if ("insert" in e) lines.splice(i, 0, e.insert);
    else if ("remove" in e) lines.splice(i, 1);
    else lines.splice(i, 0, ...Array<string>(e.repeat).fill(lines[i] ?? ""));
  }
  return lines.join("\n");
}

const seedArb = fc.oneof(fc.constantFrom(...EXAMPLES, XEN_PATCH), seriesArb.map((m) => m.join("")));

describe("the series reader over hostile input", () => {
  it("throws nothing but InputError on mutated real patches, wrapped or not, and its view answers for every line", () => {
    fc.assert(
      fc.property(seedArb, wrapArb, fc.array(editArb, { maxLength: 8 }), fc.boolean(), (seed, w, edits, editAfterWrap) => {
        const messages = seed.split(/(?=^From \S+ +Mon )/m);
        const text = editAfterWrap ? mutate(wrap(messages, w), edits) : wrap([mutate(seed, edits)], w);
        const got = outcome(text);
        if (got !== "input error") exercise(got);
      }),
      { numRuns: RUNS },
    );
  });

  it("throws nothing but InputError on random bytes and lines", () => {
    fc.assert(
      fc.property(fc.oneof(fc.uint8Array({ maxLength: 2000 }), fc.array(fc.oneof(fc.constantFrom(...JUNK), fc.string({ maxLength: 80 })), { maxLength: 40 }).map((l) => l.join("\n"))), (input) => {
        const got = outcome(input);
        if (got !== "input error") exercise(got);
      }),
      { numRuns: RUNS },
    );
  });
});

describe("the series reader reads the same series however it travelled", () => {
  it("whatever the line ends, transfer encoding or MIME wrapping", () => {
    fc.assert(
      fc.property(seriesArb, wrapArb, fc.array(fc.nat(), { minLength: 1, maxLength: 8 }), (messages, w, ends) => {
        const plain = essence(outcome(messages.join("")));
        expect(plain).not.toBe("input error");
        expect(essence(outcome(wrap(messages, w)))).toEqual(plain);
        expect(essence(outcome(lineEnds(wrap(messages, w), ends)))).toEqual(plain);
      }),
      { numRuns: RUNS },
    );
  });

  it("for the real examples too", () => {
    for (const seed of [...EXAMPLES, XEN_PATCH]) {
      const messages = seed.split(/(?=^From \S+ +Mon )/m);
      const plain = essence(outcome(seed));
      for (const w of [
        { kind: "body", enc: "base64" },
        { kind: "body", enc: "quoted-printable" },
        { kind: "attach", enc: "8bit", inline: false },
        { kind: "attach", enc: "base64", inline: true },
        { kind: "nest", depth: 3, enc: "quoted-printable" },
        { kind: "mutt", enc: "base64", type: "text/x-patch" },
      ] as Wrap[]) {
        expect(essence(outcome(wrap(messages, w)))).toEqual(plain);
      }
      expect(essence(outcome(seed.replace(/\n/g, "\r\n")))).toEqual(plain);
    }
  });
});
