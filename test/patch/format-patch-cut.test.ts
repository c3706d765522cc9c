// The streaming cut of `git format-patch --stdout` (src/patch/format-patch-cut.ts)
// gives the commits the whole output gives, wherever git's writes end.
import { describe, expect, it } from "@jest/globals";
import fc from "fast-check";
import { FormatPatchCutter, type CutCommit } from "../../src/patch/format-patch-cut.js";

const sha = (k: number) => k.toString(16).padStart(2, "0").repeat(20);
const header = (k: number) => `From ${sha(k)} Mon Sep 17 00:00:00 2001\n`;
const commitText = (k: number, body: string) =>
  `${header(k)}From: A <a@example.org>\nSubject: [PATCH] c${k}\n\n${body}\n---\ndiff --git a/f b/f\n--- a/f\n+++ b/f\n@@ -1 +1 @@\n-a\n+b${k}\n-- \n2.40.0\n\n`;

function cutAll(output: Buffer, sizes: number[], options = { expected: null as Set<string> | null, maxCommitBytes: 1 << 30 }): CutCommit[] {
  const cutter = new FormatPatchCutter(options);
  const out: CutCommit[] = [];
  let at = 0;
  for (let k = 0; at < output.length; k++) {
    const n = Math.max(1, sizes[k % sizes.length]!);
    out.push(...cutter.push(output.subarray(at, at + n)));
    at += n;
  }
  out.push(...cutter.end());
  return out;
}

const texts = [commitText(1, "First."), commitText(2, "Second, longer\nwith two lines."), commitText(3, "Third.")];
const output = Buffer.from(texts.join(""));

describe("FormatPatchCutter", () => {
  it.each([[[1]], [[7]], [[70]], [[71]], [[72]], [[4096]], [[3, 150, 1, 71]]])("cuts at the commits' headers, in chunks of %j bytes", (sizes) => {
    const got = cutAll(output, sizes);
    expect(got.map((c) => c.sha)).toEqual([sha(1), sha(2), sha(3)]);
    expect(got.map((c) => c.bytes!.toString())).toEqual(texts);
    // Line numbers over the whole output, as one input would number them.
    let line = 1;
    for (const [k, c] of got.entries()) {
      expect(c.firstLine).toBe(line);
      line += texts[k]!.split("\n").length - 1;
    }
  });

  it("any chunking gives the same commits (property)", () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: 400 }), { minLength: 1, maxLength: 20 }), (sizes) => {
        const got = cutAll(output, sizes);
        expect(got.map((c) => c.bytes!.toString())).toEqual(texts);
      }),
    );
  });

  it("a quoted header line of an unexpected sha does not split its commit", () => {
    const quoting = commitText(2, `It reverts this:\n\n${header(9)}was wrong.`);
    const out = Buffer.from(texts[0]! + quoting + texts[2]!);
    const expected = new Set([sha(1), sha(2), sha(3)]);
    for (const sizes of [[1], [50], [10_000]]) {
      const got = cutAll(out, sizes, { expected, maxCommitBytes: 1 << 30 });
      expect(got.map((c) => c.sha)).toEqual([sha(1), sha(2), sha(3)]);
      expect(got[1]!.bytes!.toString()).toBe(quoting);
    }
  });

  it("a commit over the limit is named with its size and no bytes; the next ones are whole and numbered right", () => {
    const big = commitText(2, "x".repeat(5000));
    const out = Buffer.from(texts[0]! + big + texts[2]!);
    const got = cutAll(out, [64], { expected: null, maxCommitBytes: 1000 });
    expect(got.map((c) => [c.sha, c.bytes === null, c.size])).toEqual([
      [sha(1), false, Buffer.byteLength(texts[0]!)],
      [sha(2), true, Buffer.byteLength(big)],
      [sha(3), false, Buffer.byteLength(texts[2]!)],
    ]);
    expect(got[2]!.bytes!.toString()).toBe(texts[2]);
    expect(got[2]!.firstLine).toBe(1 + (texts[0]! + big).split("\n").length - 1);
  });

  it("no output, no commits; bytes before any header are one commit with no sha", () => {
    expect(cutAll(Buffer.alloc(0), [10])).toEqual([]);
    const got = cutAll(Buffer.from(`stray\n${texts[0]}`), [5]);
    expect(got.map((c) => c.sha)).toEqual(["", sha(1)]);
    expect(got[0]!.bytes!.toString()).toBe("stray\n");
  });
});
