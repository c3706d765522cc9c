// `patchwarden stats` on the real binary, as a maintainer runs it over a
// directory of accepted patches.
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const bin = path.join(root, "bin/patchwarden.js");
const clean = "examples/clean-fix.patch";
const series = "examples/xen-dom0-series.mbox";

let tmp: string;
let thin: string;
let junk: string;
beforeAll(() => {
  tmp = mkdtempSync(path.join(os.tmpdir(), "patchwarden-stats-cli-"));
  thin = path.join(tmp, "thin.patch");
  writeFileSync(thin, "From 1111111111111111111111111111111111111111 Mon Sep 17 00:00:00 2001\nFrom: A <a@example.org>\nSubject: [PATCH] mm: tweak\n\n---\ndiff --git a/mm/a.c b/mm/a.c\n--- a/mm/a.c\n+++ b/mm/a.c\n@@ -1,1 +1,2 @@\n a\n+b\n");
  junk = path.join(tmp, "junk.txt");
  writeFileSync(junk, "nothing to see\n");
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function run(args: string[]) {
  const r = spawnSync(process.execPath, [bin, ...args], { cwd: root, encoding: "utf8", env: { ...process.env, NO_COLOR: "" } });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

function checkJson(file: string): unknown[] {
  return (JSON.parse(run(["check", "--format", "json", file]).stdout) as { findings: unknown[] }).findings;
}

interface StatsJson {
  series: { input: string; findings: { rule: string; severity: string; commit: string | null }[] }[];
  rules: Record<string, { commits: number; findings: number; bySeverity: Record<string, { commits: number; findings: number }> }>;
}

describe("patchwarden stats", () => {
  it("prints a table with a row per rule and the commits counted, and exits 0 even with errors found", () => {
    const r = run(["stats", clean, series, thin]);
    expect(r.status).toBe(0);
    const lines = r.stdout.split("\n");
    // The mbox holds three patches: each is a commit of that series.
    expect(lines[0]).toBe("5 commits checked, each as its own series (3 inputs)");
    expect(lines[2]).toMatch(/^rule +commits +per 1,000 +error +warning +info +findings$/);
    const rules = (JSON.parse(run(["rules", "--format", "json"]).stdout) as { rules: { id: string }[] }).rules.map((m) => m.id);
    for (const id of rules) expect(r.stdout).toMatch(new RegExp(`^${id} +\\d+ +\\d+\\.\\d +\\d+ +\\d+ +\\d+ +\\d+$`, "m"));
    expect(r.stdout).toMatch(/^hv-special-case +1 +200\.0 +1 /m);
    expect(r.stdout).toMatch(/^\d+ commits got a finding \(\d+\.\d per 1,000\); \d+ a warning or error/m);
    expect(r.stderr).toBe("");
  });

  it("writes json of exactly series and rules, each series' findings as check --format json writes them", () => {
    const r = run(["stats", "--format", "json", clean, series, thin]);
    expect(r.status).toBe(0);
    const json = JSON.parse(r.stdout) as StatsJson;
    expect(Object.keys(json)).toEqual(["series", "rules"]);
    expect(json.series.map((s) => s.input)).toEqual([clean, series, thin]);
    for (const s of json.series) expect(s.findings).toEqual(checkJson(s.input));
    // The rule counts add up from the series.
    for (const [id, counts] of Object.entries(json.rules)) {
      expect(Object.keys(counts)).toEqual(["commits", "findings", "bySeverity"]);
      const all = json.series.flatMap((s) => s.findings.filter((f) => f.rule === id));
      expect(counts.findings).toBe(all.length);
      expect(Object.values(counts.bySeverity).reduce((n, b) => n + b.findings, 0)).toBe(all.length);
      for (const [sev, b] of Object.entries(counts.bySeverity)) expect(b.findings).toBe(all.filter((f) => f.severity === sev).length);
    }
    expect(json.rules["hv-special-case"]!.bySeverity.error!.commits).toBe(1);
  });

  it("reports a bad file as file: what is wrong and still counts the others", () => {
    const r = run(["stats", clean, "no/such.patch", junk, thin]);
    expect(r.status).toBe(0);
    expect(r.stderr.split("\n")).toEqual(expect.arrayContaining(["patchwarden: no/such.patch: no such file", expect.stringMatching(new RegExp(`^patchwarden: ${junk.replace(/[.]/g, "\\.")}(:\\d+)?: no patch found`))]));
    expect(r.stdout.split("\n")[0]).toBe("2 commits checked, each as its own series (4 inputs, 2 unreadable)");
    const json = JSON.parse(run(["stats", "--format", "json", clean, "no/such.patch", thin]).stdout) as StatsJson;
    expect(json.series.map((s) => s.input)).toEqual([clean, thin]);
  });

  it("says on stderr what it read but did not check, and still counts the commit", () => {
    const deep = `${"(".repeat(300)}1${")".repeat(300)}`;
    const file = path.join(tmp, "deep.patch");
    writeFileSync(
      file,
      `From 1111111111111111111111111111111111111111 Mon Sep 17 00:00:00 2001\nFrom: A <a@example.org>\nSubject: [PATCH] x86/setup: Deep\n\nNested deep.\n\nSigned-off-by: A <a@example.org>\n---\n` +
        `diff --git a/arch/x86/kernel/setup.c b/arch/x86/kernel/setup.c\n--- a/arch/x86/kernel/setup.c\n+++ b/arch/x86/kernel/setup.c\n@@ -1,1 +1,4 @@\n int a;\n+#ifdef CONFIG_XEN\n+int x = ${deep};\n+#endif\n` +
        `diff --git a/x.bin b/x.bin\nnew file mode 100644\nindex 0000000..1234567\nBinary files /dev/null and b/x.bin differ\n`,
    );
    const r = run(["stats", file]);
    expect(r.status).toBe(0);
    expect(r.stderr).toContain(`patchwarden: ${file}:1: warning: x.bin: binary file, not checked`);
    expect(r.stderr).toMatch(new RegExp(`^patchwarden: ${file.replace(/[.]/g, "\\.")}:\\d+: warning: arch/x86/kernel/setup\\.c:\\d+: `, "m"));
    expect(r.stdout.split("\n")[0]).toBe("1 commit checked, each as its own series (1 input)");
  });

  it("exits 2 when no input can be read, and for usage errors", () => {
    const none = run(["stats", "no/such.patch", junk]);
    expect(none.status).toBe(2);
    expect(none.stderr).toContain("none of the 2 inputs could be read");
    expect(none.stdout).toBe("");
    for (const args of [["stats"], ["stats", "--format", "sarif", clean], ["stats", "--git", "HEAD", clean], ["stats", "--repo", ".", clean], ["stats", "--bogus", clean]]) {
      const r = run(args);
      expect(r.status).toBe(2);
      expect(r.stderr).toMatch(/^patchwarden: /);
    }
  });

  it("takes --config as check does", () => {
    const cfg = path.join(tmp, "off.yml");
    writeFileSync(cfg, "rules:\n  hv-special-case: { enabled: false }\n");
    const json = JSON.parse(run(["stats", "--format", "json", "--config", cfg, series]).stdout) as StatsJson;
    expect(json.rules["hv-special-case"]).toBeUndefined();
    expect(json.series[0]!.findings.some((f) => f.rule === "hv-special-case")).toBe(false);
    const bad = path.join(tmp, "bad.yml");
    writeFileSync(bad, "nosuchkey: 1\n");
    const r = run(["stats", "--config", bad, series]);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain("invalid configuration");
  });

  it("has its own --help", () => {
    const r = run(["stats", "--help"]);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^usage: patchwarden stats /);
  });

  it("loads neither probot nor piscina", () => {
    const record = path.join(tmp, "loaded.txt");
    const r = spawnSync(process.execPath, ["--import", path.join(root, "test/cli/load-recorder.mjs"), bin, "stats", clean], {
      cwd: root,
      encoding: "utf8",
      env: { PATH: process.env.PATH ?? "", LOAD_RECORD: record },
    });
    expect(r.status).toBe(0);
    const loaded = readFileSync(record, "utf8").split("\n").filter(Boolean);
    // The recorder works: stats' code is there (its chunk of the bundle, dist/cli/, when one was built).
    expect(loaded.some((u) => u.includes("/dist/src/stats/") || /\/dist\/cli\/command-\w+\.mjs$/.test(u))).toBe(true);
    expect(loaded.filter((u) => /\/node_modules\/(probot|piscina|@octokit)\//.test(u) || u.includes("/dist/src/app/"))).toEqual([]);
  });
});
