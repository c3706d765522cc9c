import { describe, expect, it } from "@jest/globals";
import { FingerprintFilter } from "../../src/review/fingerprint-filter.js";

const fps = (n: number, tag = "") => Array.from({ length: n }, (_, i) => `${tag}${i.toString(16).padStart(20, "0")}`);

describe("the fingerprint filter in a review marker", () => {
  it("holds what it was given, survives its text form, and stays within its size", () => {
    const given = fps(5_000);
    const f = FingerprintFilter.decode(FingerprintFilter.of(given, 24_000).encode())!;
    expect(given.every((fp) => f.has(fp))).toBe(true);
    const text = FingerprintFilter.of(fps(50_000), 24_000).encode();
    expect(text.length).toBeLessThanOrEqual(3 + Math.ceil((24_000 * 4) / 3));
  });

  it("rarely answers yes for a fingerprint it was not given", () => {
    const f = FingerprintFilter.of(fps(5_000), 24_000);
    const wrong = fps(50_000, "x").filter((fp) => f.has(fp)).length;
    expect(wrong).toBeLessThan(50);
  });

  it("refuses text that is not a filter", () => {
    for (const bad of ["", "0:AAAAAAAAAAAAAAAA", "99:AAAAAAAAAAAAAAAA", "3:short", "3:AAAA AAAAAAAAAAAA", "x:AAAAAAAAAAAAAAAA"]) expect(FingerprintFilter.decode(bad)).toBeNull();
  });
});
