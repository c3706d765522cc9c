import { afterEach, beforeEach, describe, expect, it } from "@jest/globals";
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { removeStaleOutputs } from "../../scripts/stale-outputs.js";

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), "patchwarden-bundle-"));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe("removeStaleOutputs", () => {
  it("removes the chunks this build did not write, and nothing else", () => {
    for (const f of ["patchwarden.mjs", "chunk-NEW1.mjs", "chunk-OLD1.mjs", "check-command-OLD2.mjs", "rule-metas.json", "notes.txt"]) writeFileSync(path.join(dir, f), "x");
    mkdirSync(path.join(dir, "sub.mjs"));
    const removed = removeStaleOutputs(dir, new Set(["patchwarden.mjs", "chunk-NEW1.mjs"]));
    expect(removed).toEqual(["check-command-OLD2.mjs", "chunk-OLD1.mjs"]);
    expect(readdirSync(dir).sort()).toEqual(["chunk-NEW1.mjs", "notes.txt", "patchwarden.mjs", "rule-metas.json", "sub.mjs"]);
  });
});
