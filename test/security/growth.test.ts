import { describe, expect, it } from "@jest/globals";
import { growthRatio, LINEAR_GROWTH_LIMIT } from "./growth.js";

describe("the growth meter the linear-time tests rely on", () => {
  it("passes a linear scan and fails a quadratic one", () => {
    const linear = (s: string) => s.split("").filter((c) => c === "a").length;
    // From every position, look for a character that is not there: n²/2 steps.
    const quadratic = (s: string) => {
      let misses = 0;
      for (let i = 0; i < s.length; i += 1) if (s.indexOf("x", i) < 0) misses++;
      return misses;
    };
    const make = (n: number) => "a".repeat(n);
    expect(growthRatio(linear, make)).toBeLessThan(LINEAR_GROWTH_LIMIT);
    expect(growthRatio(quadratic, make, 500)).toBeGreaterThan(LINEAR_GROWTH_LIMIT);
  });
});
