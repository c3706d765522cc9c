// bin/patchwarden.js as the executable npm installs: it runs on the node
// first on PATH (the bench runs it so), and that node gets no V8 flags:
// on Node 20 any flag slowed loading Node's own modules, a check of three
// patches by 31 ms. The process's own view is read by a module that
// NODE_OPTIONS loads into it.
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const bin = path.join(root, "bin/patchwarden.js");
let tmp: string;
beforeAll(() => {
  tmp = mkdtempSync(path.join(os.tmpdir(), "patchwarden-bin-"));
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe("bin/patchwarden.js as an executable", () => {
  it("runs on the node first on PATH, with no V8 flags", () => {
    const probe = path.join(tmp, "probe.mjs");
    const report = path.join(tmp, "seen.json");
    writeFileSync(probe, `import { writeFileSync } from "node:fs"; process.on("exit", () => writeFileSync(${JSON.stringify(report)}, JSON.stringify({ execArgv: process.execArgv, version: process.version })));`);
    const r = spawnSync(bin, ["rules", "--format", "json"], {
      cwd: root,
      encoding: "utf8",
      env: { ...process.env, PATH: `${path.dirname(process.execPath)}${path.delimiter}${process.env.PATH ?? ""}`, NODE_OPTIONS: `--import=${pathToFileURL(probe).href}` },
    });
    expect(r.error).toBeUndefined();
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({ rules: expect.any(Array) });
    expect(JSON.parse(readFileSync(report, "utf8"))).toEqual({ execArgv: [], version: process.version });
  });
});
