// A repository's config is the repository's, but a stall it causes hits every
// other repository on the replica: patterns, sizes and lists are bounded.
import { describe, expect, it } from "@jest/globals";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { loadConfigFile } from "../../src/config/file.js";
import { ConfigError, parseConfigText } from "../../src/config/load.js";
import { assertLinearPatterns, MAX_CONFIG_PATTERNS } from "../../src/config/regex-safety.js";
import { MAX_CONFIG_BYTES } from "../../src/config/size.js";

async function configError(run: () => Promise<unknown>): Promise<ConfigError> {
  try {
    await run();
  } catch (err) {
    if (err instanceof ConfigError) return err;
    throw err;
  }
  throw new Error("expected a ConfigError");
}

describe("configuration-supplied regular expressions", () => {
  it.each([
    ["hypervisors.0.configSymbols", { hypervisors: [{ id: "xen", configSymbols: ["(a+)+X"] }] }],
    ["hypervisors.0.aliases", { hypervisors: [{ id: "xen", aliases: ["(x|x)*y"] }] }],
    ["archConfigSymbols", { archConfigSymbols: ["CONFIG_(\\w+_?)+ARM"] }],
    ["paravirtOpsStructs", { paravirtOpsStructs: ["(\\w+)+_ops"] }],
  ])("a backtracking pattern in %s is a config error that names it", async (key, cfg) => {
    const err = await configError(() => assertLinearPatterns(cfg, ".github/patchwarden.yml"));
    expect(err.source).toBe(".github/patchwarden.yml");
    expect(err.message).toContain(key);
    expect(err.message).toMatch(/time|linear/);
  });

  it("linear patterns pass", async () => {
    await expect(assertLinearPatterns({ archConfigSymbols: ["CONFIG_ARM\\w*"], hypervisors: [{ id: "xen", configSymbols: ["CONFIG_XEN\\w*"], aliases: ["\\bxen\\b"] }] }, "x.yml")).resolves.toBeUndefined();
  });

  it("more patterns than can be analysed are refused, not analysed", async () => {
    const many = Array.from({ length: MAX_CONFIG_PATTERNS + 1 }, (_, i) => `CONFIG_A${i}`);
    const err = await configError(() => assertLinearPatterns({ archConfigSymbols: many }, "x.yml"));
    expect(err.message).toContain(`at most ${MAX_CONFIG_PATTERNS}`);
  });

  it("the CLI's --config checks them too", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "pw-config-"));
    writeFileSync(path.join(dir, "bad.yml"), "hypervisors:\n  - id: xen\n    configSymbols: ['(a+)+X']\n");
    const err = await configError(() => loadConfigFile("bad.yml", dir));
    expect(err.message).toContain("hypervisors.0.configSymbols");
  });
});

describe("configuration size", () => {
  it("a file over the byte limit is refused before it is parsed", () => {
    const keys = Array.from({ length: 250_000 }, (_, i) => `k${i}: 1`).join("\n");
    // The size message, not a YAML or schema one: refused on its length alone.
    expect(() => parseConfigText(keys, "big.yml")).toThrow(new RegExp(`at most ${MAX_CONFIG_BYTES} bytes`));
  });

  it("lists and strings are bounded by the schema", () => {
    const longList = `corePaths:\n${Array.from({ length: 1001 }, (_, i) => `  - d${i}/**`).join("\n")}\n`;
    expect(() => parseConfigText(longList, "c.yml")).toThrow(/corePaths: must NOT have more than 1000 items/);
    expect(() => parseConfigText(`topic: xen\nsprawlThreshold: 0.5\ncorePaths: ["${"a".repeat(600)}"]\n`, "c.yml")).toThrow(/corePaths.0: must NOT have more than 512 characters/);
  });

  it("a file with thousands of schema errors reports the first ones and a count", () => {
    const text = Array.from({ length: 2000 }, (_, i) => `x${i}: 1`).join("\n");
    let message = "";
    try {
      parseConfigText(text, "c.yml");
    } catch (err) {
      message = (err as Error).message;
    }
    expect(message).toMatch(/and 1980 more errors$/);
    expect(message.length).toBeLessThan(2000);
  });

  it("alias expansion is bounded", () => {
    const bomb = ["a: &a [x, x, x, x, x, x, x, x, x, x]", ...Array.from({ length: 8 }, (_, i) => `${String.fromCharCode(98 + i)}: &${String.fromCharCode(98 + i)} [${Array(10).fill(`*${String.fromCharCode(97 + i)}`).join(", ")}]`)].join("\n");
    expect(() => parseConfigText(bomb, "bomb.yml")).toThrow(ConfigError);
  });
});
