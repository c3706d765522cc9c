// Properties of the whole engine over random and mutated real patches: it
// never throws anything but the typed input error, and what it finds does
// not depend on line ends.
import { describe, expect, it } from "@jest/globals";
import fc from "fast-check";
import { readFileSync } from "node:fs";
import path from "node:path";
import { LINUX_DEFAULTS } from "../../src/config/defaults.js";
import { runRules } from "../../src/engine/run.js";
import type { Finding } from "../../src/findings/types.js";
import { InputError } from "../../src/patch/errors.js";
import { parseSeries } from "../../src/patch/series.js";
import { encodeWholeBody, gitAttach, nestMultipart, type Encoding } from "../patch/mime-fixtures.js";

const ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), "../..");
const SEEDS = ["examples/xen-dom0-series.mbox", "examples/clean-fix.patch"].map((f) => readFileSync(path.join(ROOT, f), "utf8"));

// Lines an attacker (or a broken mailer) puts into a patch.
const HOSTILE_LINES = [
  "+\tif (xen_pv_domain() && xen_hvm_domain() && hv_is_isolation_supported())",
  "+#ifdef CONFIG_XEN",
  "+#if defined(CONFIG_KVM_GUEST) && IS_ENABLED(CONFIG_HYPERV)",
  "+#endif",
  "+struct pv_mmu_ops {",
  "+\tvoid (*flush)(void);",
  "+};",
  "+_\t_[]__0______0______0______0______0______0______0 A=",
  "+EXPORT_SYMBOL_GPL(xen_thing);",
  '+\tpr_info("unterminated',
  "+\tfoo((((((((((((((((",
  "+#define X(a) \\",
  "+/* unclosed comment",
  "+}}}}}}",
  "From: " + "a".repeat(500),
  "Subject: [PATCH 1/2] x86/xen: thing",
  "Fixes: 1234567 (\"",
  "Signed-off-by: A <a@b.c>",
  "@@ -1,3 +1,4 @@",
  "diff --git a/mm/x.c b/mm/x.c",
  "--- a/mm/x.c",
  "+++ b/mm/x.c",
  " context",
  "-removed",
  "\\ No newline at end of file",
  "",
];

const lineArb = fc.oneof(fc.constantFrom(...HOSTILE_LINES), fc.string({ maxLength: 200 }), fc.string({ unit: "binary", maxLength: 80 }));

/** A real patch with lines inserted, deleted or repeated at random places. */
const mutatedPatch = fc
  .tuple(
    fc.constantFrom(...SEEDS),
    fc.array(fc.tuple(fc.nat(), fc.oneof(fc.record({ insert: lineArb }), fc.record({ remove: fc.constant(true) }), fc.record({ repeat: fc.integer({ min: 2, max: 300 }) }))), { maxLength: 12 }),
  )
  .map(([seed, edits]) => {
    const lines = seed.split("\n");
    for (const [at, edit] of edits) {
      const i = at % (lines.length + 1);
      if ("insert" in edit) lines.splice(i, 0, edit.insert);
      else if ("remove" in edit) lines.splice(i, 1);
      else lines.splice(i, 0, ...Array(edit.repeat).fill(lines[i] ?? ""));
    }
    return lines.join("\n");
  });

function review(text: string): Finding[] {
  const series = parseSeries([{ name: "fuzz.patch", bytes: Buffer.from(text, "utf8") }], LINUX_DEFAULTS.limits);
  return runRules(series, LINUX_DEFAULTS);
}

function outcome(text: string): Finding[] | "input error" {
  try {
    return review(text);
  } catch (err) {
    if (err instanceof InputError) return "input error";
    throw err;
  }
}

const comparable = (f: Finding[] | "input error") => (f === "input error" ? f : f.map((x) => [x.rule, x.severity, x.file, x.line, x.message]));

describe("the engine over mutated real patches", () => {
  it("throws nothing but InputError", () => {
    fc.assert(fc.property(mutatedPatch, (text) => void outcome(text)), { numRuns: 300 });
  });

  it("throws nothing but InputError on random text", () => {
    fc.assert(fc.property(fc.array(lineArb, { maxLength: 60 }), (lines) => void outcome(lines.join("\n"))), { numRuns: 300 });
  });

  it("finds the same with CRLF line ends as with LF", () => {
    fc.assert(
      fc.property(mutatedPatch, (text) => {
        expect(comparable(outcome(text.replace(/\n/g, "\r\n")))).toEqual(comparable(outcome(text)));
      }),
      { numRuns: 150 },
    );
  });

  it("finds the same whatever the transfer encoding or MIME wrapping of each mail", () => {
    // One mail at a time: the wrappers take a single format-patch mail.
    const mails = SEEDS.flatMap((seed) => seed.split(/\n(?=From [0-9a-f]{40} )/)).map((m) => (m.endsWith("\n") ? m : `${m}\n`));
    const wrap = fc.oneof(
      fc.constantFrom<Encoding>("base64", "quoted-printable").map((e) => (m: string) => encodeWholeBody(m, e)),
      fc.constantFrom<Encoding>("8bit", "base64", "quoted-printable").map((e) => (m: string) => gitAttach(m, { encoding: e })),
      fc.tuple(fc.integer({ min: 1, max: 3 }), fc.constantFrom<Encoding>("8bit", "base64")).map(([d, e]) => (m: string) => nestMultipart(m, d, e)),
    );
    // The comparison means something: every mail reads, and some have findings.
    expect(mails.map((m) => outcome(m)).filter((o) => o === "input error")).toEqual([]);
    expect(mails.some((m) => (outcome(m) as Finding[]).some((f) => f.rule === "hv-special-case"))).toBe(true);
    fc.assert(
      fc.property(fc.constantFrom(...mails), wrap, (mail, w) => {
        expect(comparable(outcome(w(mail)))).toEqual(comparable(outcome(mail)));
      }),
      { numRuns: 60 },
    );
  });

  it("the seeds themselves are found as before", () => {
    expect(review(SEEDS[0]!).map((f) => f.rule)).toEqual(expect.arrayContaining(["hv-special-case", "changelog-why", "hv-only-interface"]));
    expect(review(SEEDS[1]!)).toEqual([]);
  });
});
