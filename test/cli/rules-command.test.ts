// bin/patchwarden.js runs `patchwarden rules` from an entry of its own in the
// bundle (dist/cli/patchwarden-rules.mjs, src/cli/rules-command.ts), not
// through main(): it must answer exactly as main() does, and load only
// that one file of ours, none of the main bundle's chunks.
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { spawnSync } from "node:child_process";
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { ruleRegistry } from "../../rules/index.js";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const bin = path.join(root, "bin/patchwarden.js");
const entry = path.join(root, "dist/cli/patchwarden-rules.mjs");
let tmp: string;
beforeAll(() => {
  tmp = mkdtempSync(path.join(os.tmpdir(), "patchwarden-rules-"));
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const outcome = (r: ReturnType<typeof spawnSync>) => ({ status: r.status, stdout: String(r.stdout), stderr: String(r.stderr) });
const viaBin = (args: string[]) => outcome(spawnSync(process.execPath, [bin, "rules", ...args], { cwd: root, encoding: "utf8" }));
/** The same command line through the main bundle's main(), as bin/patchwarden.js ran it before. */
const viaMain = (args: string[]) =>
  outcome(
    spawnSync(
      process.execPath,
      [
        "--input-type=module",
        "-e",
        `const { main } = await import(${JSON.stringify(pathToFileURL(path.join(root, "dist/cli/patchwarden.mjs")).href)});
         process.exitCode = await main(${JSON.stringify(["rules", ...args])}, { stdin: process.stdin, stdout: process.stdout, stderr: process.stderr, cwd: process.cwd(), env: process.env });`,
      ],
      { cwd: root, encoding: "utf8" },
    ),
  );

describe("patchwarden rules, from its own entry", () => {
  it.each([
    [[]],
    [["--format", "json"]],
    [["--help"]],
    [["-h"]],
    [["hv-special-case"]],
    [["commit-reference/subject-length", "--format", "json"]],
    [["sprawll"]],
    [["--format", "yaml"]],
    [["hv-special-case", "sprawl"]],
    [["--bogus"]],
  ])("answers %j as main() does", (args: string[]) => {
    const fast = viaBin(args);
    expect(fast).toEqual(viaMain(args));
    expect(fast.status === 0 ? fast.stdout : fast.stderr).not.toBe("");
  });

  it("loads no file of ours but bin/patchwarden.js and that entry", () => {
    for (const args of [["rules"], ["rules", "hv-special-case"]]) {
      const record = path.join(tmp, `${args.length}.txt`);
      const r = spawnSync(process.execPath, ["--import", path.join(root, "test/cli/load-recorder.mjs"), bin, ...args], {
        cwd: root,
        encoding: "utf8",
        env: { PATH: process.env.PATH ?? "", LOAD_RECORD: record },
      });
      expect(r.status).toBe(0);
      const ours = readFileSync(record, "utf8")
        .split("\n")
        .filter((u) => u.startsWith("file:"))
        .map((u) => path.relative(root, fileURLToPath(u)));
      expect([...new Set(ours)].sort()).toEqual(["bin/patchwarden.js", "dist/cli/patchwarden-rules.mjs"]);
    }
  });

  it("without rule-metas.json beside it, the entry reads tsc's registry (dist/rules), not a bundled copy", () => {
    // A copy of the entry in a dist/ of its own, with no rule-metas.json, and dist/rules linked in.
    mkdirSync(path.join(tmp, "dist/cli"), { recursive: true });
    copyFileSync(entry, path.join(tmp, "dist/cli/patchwarden-rules.mjs"));
    symlinkSync(path.join(root, "dist/rules"), path.join(tmp, "dist/rules"));
    const r = spawnSync(
      process.execPath,
      [
        "--input-type=module",
        "-e",
        `const { rulesMain } = await import(${JSON.stringify(pathToFileURL(path.join(tmp, "dist/cli/patchwarden-rules.mjs")).href)});
         process.exitCode = await rulesMain(["--format", "json"], { stdout: process.stdout, stderr: process.stderr });`,
      ],
      { cwd: tmp, encoding: "utf8" },
    );
    expect(r.stderr).toBe("");
    expect((JSON.parse(r.stdout) as { rules: unknown[] }).rules).toEqual(JSON.parse(JSON.stringify(ruleRegistry.map((m) => m.meta))));
  });
});
