import { describe, expect, it } from "@jest/globals";
import { DEFAULT_POOL, poolSettingsFrom } from "../../src/app/pool-settings.js";

const from = (vars: Record<string, string>) => poolSettingsFrom((name) => vars[name]);

describe("review pool settings from the environment", () => {
  it("default to two workers, a minute and 512 MB per review", () => {
    expect(from({})).toEqual(DEFAULT_POOL);
    expect(DEFAULT_POOL).toEqual({ workers: 2, timeLimitMs: 60_000, memoryMb: 512 });
  });

  it("read REVIEW_WORKERS, REVIEW_TIMEOUT_MS and REVIEW_MEMORY_MB", () => {
    expect(from({ REVIEW_WORKERS: "1", REVIEW_TIMEOUT_MS: "15000", REVIEW_MEMORY_MB: "256" })).toEqual({ workers: 1, timeLimitMs: 15_000, memoryMb: 256 });
  });

  it("refuse a value that is not a whole number in range, naming the variable", () => {
    expect(() => from({ REVIEW_WORKERS: "0" })).toThrow('REVIEW_WORKERS must be a whole number of at least 1, not "0"');
    expect(() => from({ REVIEW_TIMEOUT_MS: "1.5" })).toThrow("REVIEW_TIMEOUT_MS");
    expect(() => from({ REVIEW_MEMORY_MB: "lots" })).toThrow("REVIEW_MEMORY_MB");
    expect(() => from({ REVIEW_MEMORY_MB: "8" })).toThrow("at least 32");
  });
});
