// `patchwarden rules` reads the rules' metadata from the bundle's
// rule-metas.json (written when the bundle is built) instead of loading the
// rules: it must say exactly what the registry says, and load no rule.
import { describe, expect, it } from "@jest/globals";
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { ruleRegistry } from "../../rules/index.js";
import { ruleMetas } from "../../src/cli/rule-metas.js";

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), "../..");
const json = path.join(root, "dist/cli/rule-metas.json");

describe("the rules' metadata", () => {
  it("the bundle's copy is the registry's (npm test builds the bundle first)", () => {
    expect(existsSync(json)).toBe(true);
    expect(JSON.parse(readFileSync(json, "utf8"))).toEqual(JSON.parse(JSON.stringify(ruleRegistry.map((r) => r.meta))));
  });

  it("without the bundle's copy it comes from the registry", async () => {
    expect(await ruleMetas()).toEqual(ruleRegistry.map((r) => r.meta));
  });

  it("patchwarden rules --format json lists them, and loads no rule's code (check does load it)", () => {
    const r = spawnSync(process.execPath, [path.join(root, "bin/patchwarden.js"), "rules", "--format", "json"], { cwd: root, encoding: "utf8" });
    expect(r.status).toBe(0);
    expect((JSON.parse(r.stdout) as { rules: unknown[] }).rules).toEqual(JSON.parse(JSON.stringify(ruleRegistry.map((m) => m.meta))));
    // The module holding changelog-why's code: found by one of its messages, which no metadata carries.
    const message = "The changelog only describes what the patch does";
    const holders = [...readdirSync(path.join(root, "dist/cli")), ...readdirSync(path.join(root, "dist/rules")).map((f) => `../rules/${f}`)]
      .filter((f) => f.endsWith(".mjs") || f.endsWith(".js"))
      .filter((f) => readFileSync(path.join(root, "dist/cli", f), "utf8").includes(message))
      .map((f) => path.resolve(root, "dist/cli", f));
    expect(holders.length).toBeGreaterThan(0);
    const loadedBy = (args: string[]) => {
      const record = path.join(tmpdir(), `patchwarden-metas-${process.pid}-${args[0]}.txt`);
      spawnSync(process.execPath, ["--import", path.join(root, "test/cli/load-recorder.mjs"), path.join(root, "bin/patchwarden.js"), ...args], {
        cwd: root,
        encoding: "utf8",
        env: { PATH: process.env.PATH ?? "", LOAD_RECORD: record },
      });
      const urls = readFileSync(record, "utf8").split("\n").filter(Boolean).map((u) => (u.startsWith("file:") ? fileURLToPath(u) : u));
      rmSync(record, { force: true });
      return urls;
    };
    expect(loadedBy(["rules"]).filter((u) => holders.includes(u))).toEqual([]);
    expect(loadedBy(["check", "examples/clean-fix.patch"]).filter((u) => holders.includes(u)).length).toBeGreaterThan(0);
  });
});
