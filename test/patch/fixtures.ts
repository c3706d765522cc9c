// Inline inputs for the series-model tests. Everything is built from strings
// here: no test reads files outside test/ or touches the network.
import { expect } from "@jest/globals";
import { InputError } from "../../src/patch/errors.js";
import { DEFAULT_LIMITS, parseSeries, type InputLimits } from "../../src/patch/series.js";
import type { Commit, DiffLine, FileChange, Series } from "../../src/patch/types.js";

/** Joins lines with LF and ends the text with one LF. */
export function text(...lines: string[]): string {
  return `${lines.join("\n")}\n`;
}

export function utf8(s: string): Uint8Array {
  return Buffer.from(s, "utf8");
}

export function parse(input: string | Uint8Array, name = "test.patch", limits: InputLimits = DEFAULT_LIMITS): Series {
  return parseSeries([{ name, bytes: typeof input === "string" ? utf8(input) : input }], limits);
}

export function parseMany(inputs: [name: string, text: string | Uint8Array][]): Series {
  return parseSeries(inputs.map(([name, t]) => ({ name, bytes: typeof t === "string" ? utf8(t) : t })));
}

/** The one commit of a single-message input. */
export function only(input: string | Uint8Array, name = "test.patch"): Commit {
  const s = parse(input, name);
  expect(s.commits).toHaveLength(1);
  return s.commits[0]!;
}

/** The one file change of a single-file input. */
export function onlyFile(input: string | Uint8Array, name = "test.patch"): FileChange {
  const c = only(input, name);
  expect(c.files).toHaveLength(1);
  return c.files[0]!;
}

/** Runs `fn`, which must throw an InputError, and returns that error. */
export function inputError(fn: () => unknown): InputError {
  try {
    fn();
  } catch (e) {
    if (e instanceof InputError) return e;
    throw new Error(`expected an InputError, got ${String(e)}${e instanceof Error ? `\n${e.stack}` : ""}`);
  }
  throw new Error("expected an InputError, but nothing was thrown");
}

/** 1-based line of the first line of `t` equal to `line` (or starting with it, when `prefix`). */
export function lineNo(t: string, line: string, from = 1, prefix = false): number {
  const ls = t.split("\n");
  for (let k = from - 1; k < ls.length; k++) {
    if (prefix ? ls[k]!.startsWith(line) : ls[k] === line) return k + 1;
  }
  throw new Error(`line ${JSON.stringify(line)} not in text`);
}

/** Compact form of a hunk's lines, for whole-hunk assertions. */
export function shape(lines: DiffLine[]): [string, number | undefined, number | undefined, string][] {
  return lines.map((l) => [l.kind, l.oldLine, l.newLine, l.text]);
}

export const SHA1 = "1234567890abcdef1234567890abcdef12345678";
export const SHA2 = "abcdefabcdefabcdefabcdefabcdefabcdefabcd";
export const SHA3 = "0123456789012345678901234567890123456789";
export const ZERO_SHA = "0000000000000000000000000000000000000000";

export interface MailOptions {
  sha?: string | null;
  from?: string;
  date?: string;
  subject?: string;
  /** Extra header lines, as written. */
  headers?: string[];
  /** Body lines (message and trailers), without the `---`. */
  body?: string[];
  /** Lines between `---` and the diff (diffstat). */
  notes?: string[];
  /** The diff lines. */
  diff?: string[];
  /** Add git's `-- \n2.39.0` signature after the diff. */
  signature?: boolean;
}

/** One message as `git format-patch` writes it. */
export function mail(o: MailOptions = {}): string {
  const out: string[] = [];
  if (o.sha !== null) out.push(`From ${o.sha ?? SHA1} Mon Sep 17 00:00:00 2001`);
  out.push(`From: ${o.from ?? "Juergen Gross <jgross@suse.com>"}`);
  out.push(`Date: ${o.date ?? "Tue, 3 Jan 2023 10:00:00 +0100"}`);
  out.push(`Subject: ${o.subject ?? "[PATCH] x86/xen: tidy up"}`);
  out.push(...(o.headers ?? []));
  out.push("");
  out.push(...(o.body ?? ["Tidy up.", "", "Signed-off-by: Juergen Gross <jgross@suse.com>"]));
  if (o.diff || o.notes) {
    out.push("---");
    out.push(...(o.notes ?? []));
    if (o.notes) out.push("");
    out.push(...(o.diff ?? []));
  }
  if (o.signature ?? true) out.push("-- ", "2.39.0");
  out.push("");
  return text(...out);
}

/** A one-hunk modification of `path` in git's format. */
export function gitDiff(path: string, hunk: string[], header = "@@ -1,1 +1,1 @@"): string[] {
  return [`diff --git a/${path} b/${path}`, "index 1111111..2222222 100644", `--- a/${path}`, `+++ b/${path}`, header, ...hunk];
}

/** The canonical single patch used across tests. Line numbers are asserted against it. */
export const XEN_PATCH = mail({
  sha: SHA1,
  from: "Juergen Gross <jgross@suse.com>",
  date: "Tue, 3 Jan 2023 10:00:00 +0100",
  subject: "[PATCH v2 3/7] x86/xen: drop pv_info.kernel_rpl",
  body: [
    "The kernel_rpl field is always 0 now, drop it.",
    "",
    "No functional change.",
    "",
    'Fixes: 0123456789ab ("x86/xen: add kernel_rpl")',
    "Cc: <stable@vger.kernel.org> # 4.2+",
    "Reviewed-by: Boris Ostrovsky <boris.ostrovsky@oracle.com>",
    "Signed-off-by: Juergen Gross <jgross@suse.com>",
  ],
  notes: [
    "v2: reword the changelog",
    "",
    " arch/x86/xen/enlighten_pv.c | 3 +--",
    " 1 file changed, 1 insertion(+), 2 deletions(-)",
  ],
  diff: [
    "diff --git a/arch/x86/xen/enlighten_pv.c b/arch/x86/xen/enlighten_pv.c",
    "index 1111111..2222222 100644",
    "--- a/arch/x86/xen/enlighten_pv.c",
    "+++ b/arch/x86/xen/enlighten_pv.c",
    "@@ -10,6 +10,5 @@ static void __init xen_setup(void)",
    " \tint a;",
    " ",
    "-\tpv_info.kernel_rpl = 1;",
    "-\tpv_info.shared = 0;",
    "+\tpv_info.shared = 1;",
    " \ta = 2;",
    " \tb = 3;",
  ],
});

/** A hunk header with counts computed from the body lines. */
export function hunkHeader(body: string[], oldStart = 1, newStart = oldStart, section = ""): string {
  const oldCount = body.filter((l) => l === "" || l[0] === " " || l[0] === "-").length;
  const newCount = body.filter((l) => l === "" || l[0] === " " || l[0] === "+").length;
  return `@@ -${oldStart},${oldCount} +${newStart},${newCount} @@${section ? ` ${section}` : ""}`;
}

/** One file of one modified path, its single hunk's counts computed. */
export function fileWith(path: string, body: string[], oldStart = 1, newStart = oldStart, section = ""): FileChange {
  return onlyFile(text(...gitDiff(path, body, hunkHeader(body, oldStart, newStart, section))));
}
