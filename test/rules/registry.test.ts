// The house rule from ESLint: every registered rule has its doc page and its
// test table, ids are unique, kebab-case, equal to the file name, and the
// registry is sorted.
import { describe, expect, it } from "@jest/globals";
import { existsSync, readFileSync, readdirSync } from "node:fs";
import path from "node:path";
import { ruleRegistry } from "../../rules/index.js";

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), "../..");

describe("rule registry", () => {
  const ids = ruleRegistry.map((r) => r.meta.id);

  it("ids are unique, kebab-case and sorted", () => {
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) expect(id).toMatch(/^[a-z]+(-[a-z]+)*$/);
    expect([...ids].sort()).toEqual(ids);
  });

  it.each(ids)("%s has its source file, doc page and test table", (id) => {
    const meta = ruleRegistry.find((r) => r.meta.id === id)!.meta;
    expect(existsSync(path.join(root, "rules", `${id}.ts`))).toBe(true);
    expect(meta.docPath).toBe(`rules/${id}.md`);
    const doc = readFileSync(path.join(root, meta.docPath), "utf8");
    expect(doc.startsWith(`# ${id}\n`)).toBe(true);
    for (const section of ["## What it flags", "## Why", "## Not findings", "## Configuration"]) expect(doc).toContain(section);
    expect(existsSync(path.join(root, "test", "rules", `${id}.test.ts`))).toBe(true);
  });

  it("every rule file in rules/ is registered", () => {
    const files = readdirSync(path.join(root, "rules")).filter((f) => f.endsWith(".ts") && !["index.ts", "types.ts"].includes(f));
    expect(files.map((f) => f.replace(/\.ts$/, "")).sort()).toEqual([...ids].sort());
  });
});
