// The command line must not load the app's server side: Probot, the worker
// pool. They cost start-up time and memory, and the CLI has no use for them.
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
let tmp: string;
beforeAll(() => {
  tmp = mkdtempSync(path.join(os.tmpdir(), "patchwarden-imports-"));
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function modulesLoadedBy(args: string[]): string[] {
  const record = path.join(tmp, `${args[0]}.txt`);
  const r = spawnSync(process.execPath, ["--import", path.join(root, "test/cli/load-recorder.mjs"), path.join(root, "bin/patchwarden.js"), ...args], {
    cwd: root,
    encoding: "utf8",
    env: { PATH: process.env.PATH ?? "", LOAD_RECORD: record },
  });
  expect(r.status === 0 || r.status === 1).toBe(true);
  return readFileSync(record, "utf8").split("\n").filter(Boolean);
}

describe("patchwarden check", () => {
  it("loads neither probot nor piscina", () => {
    const loaded = modulesLoadedBy(["check", "examples/xen-dom0-series.mbox"]);
    // The recorder works: the rules are there (in the bundle, dist/cli/, when one was built).
    expect(loaded.some((u) => u.includes("/dist/rules/") || u.includes("/dist/cli/patchwarden.mjs"))).toBe(true);
    expect(loaded.filter((u) => /\/node_modules\/(probot|piscina|@octokit)\//.test(u) || u.includes("/dist/src/app/"))).toEqual([]);
  });
});
