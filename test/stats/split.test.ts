import { describe, expect, it } from "@jest/globals";
import { splitFormatPatch } from "../../src/stats/split.js";

const A = "a".repeat(40);
const B = "0123456789abcdef0123456789abcdef01234567";
const head = (sha: string) => `From ${sha} Mon Sep 17 00:00:00 2001\n`;

describe("splitFormatPatch", () => {
  it("cuts at each commit's own From line, keeping every byte", () => {
    const first = `${head(A)}Subject: [PATCH 1/2] one\n\nFrom the start of a line, a body may say anything.\nFrom ${B} Tue Sep 17 00:00:00 2001\n---\n`;
    const second = `${head(B)}Subject: [PATCH 2/2] two\n\n\xe9 not UTF-8\n`;
    const out = Buffer.concat([Buffer.from(first), Buffer.from(second, "latin1")]);
    const commits = splitFormatPatch(out);
    expect(commits.map((c) => c.sha)).toEqual([A, B]);
    expect(commits[0]!.bytes.toString()).toBe(first);
    expect(Buffer.concat(commits.map((c) => c.bytes)).equals(out)).toBe(true);
  });

  it("takes the line only at the start of a line", () => {
    expect(splitFormatPatch(Buffer.from(`x ${head(A)}`))).toEqual([]);
    expect(splitFormatPatch(Buffer.from(""))).toEqual([]);
  });
});
