// bin/patchwarden.js, run as the executable npm installs, starts Node with
// the young generation bounded (its shebang): Node 22 and later size it by
// the machine's memory, and a long `check --git` took 100 MB more for it.
// The process's own view is read by a module NODE_OPTIONS loads into it.
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

const OLD_SPACE_MIB = 1000;

describe("bin/patchwarden.js as an executable", () => {
  it("runs on the node first on PATH with a 16 MiB semi-space, whatever the Node version's default", () => {
    const probe = path.join(tmp, "probe.mjs");
    const report = path.join(tmp, "heap.json");
    writeFileSync(
      probe,
      `import v8 from "node:v8"; import { writeFileSync } from "node:fs";
       process.on("exit", () => writeFileSync(${JSON.stringify(report)}, JSON.stringify({ execArgv: process.execArgv, version: process.version, limitMiB: v8.getHeapStatistics().heap_size_limit / 2 ** 20 })));`,
    );
    const r = spawnSync(bin, ["rules", "--format", "json"], {
      cwd: root,
      encoding: "utf8",
      env: {
        ...process.env,
        PATH: `${path.dirname(process.execPath)}${path.delimiter}${process.env.PATH ?? ""}`,
        NODE_OPTIONS: `--max-old-space-size=${OLD_SPACE_MIB} --import=${pathToFileURL(probe).href}`,
      },
    });
    expect(r.error).toBeUndefined();
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({ rules: expect.any(Array) });
    const seen = JSON.parse(readFileSync(report, "utf8")) as { execArgv: string[]; version: string; limitMiB: number };
    expect(seen.version).toBe(process.version);
    expect(seen.execArgv).toContain("--max-semi-space-size=16");
    // The heap limit is the old space plus three semi-spaces (two and the new large object space).
    expect(seen.limitMiB - OLD_SPACE_MIB).toBe(3 * 16);
  });
});
