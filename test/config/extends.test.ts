// Presets, list edits, rule-id typos, and the CLI reading the tree's own
// .github/patchwarden.yml as the app does.
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { execFileSync, spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { LINUX_DEFAULTS } from "../../src/config/defaults.js";
import { ConfigError, mergeConfig, parseConfigText, resolveConfig } from "../../src/config/load.js";
import { suggestionFor } from "../../src/config/suggestion.js";

function configError(run: () => unknown): ConfigError {
  try {
    run();
  } catch (err) {
    if (err instanceof ConfigError) return err;
    throw err;
  }
  throw new Error("expected a ConfigError");
}

const load = (yaml: string) => mergeConfig(parseConfigText(yaml, "t.yml"), undefined, "t.yml");

describe("list edits", () => {
  it("a list replaces; {add, remove} edits the list it extends", () => {
    expect(load("corePaths: [mm/**]").corePaths).toEqual(["mm/**"]);
    const edited = load("specialCaseScope: {add: [board/**, common/**], remove: [net/**]}").specialCaseScope;
    expect(edited).toEqual([...LINUX_DEFAULTS.specialCaseScope.filter((p) => p !== "net/**"), "board/**", "common/**"]);
  });

  it("removing what is not there is an error naming the key and the entry", () => {
    const err = configError(() => load("specialCaseScope: {remove: [nett/**]}"));
    expect(err.message).toBe('specialCaseScope.remove: "nett/**" is not in the list it edits (see: patchwarden config --print)');
  });

  it("hypervisors merge by id, their lists take edits too, and enabled: false drops one", () => {
    const c = load("hypervisors:\n  - id: xen\n    ownPaths: {add: [board/xen/**]}\n  - id: acrn\n    enabled: false\n");
    expect(c.hypervisors.find((h) => h.id === "xen")!.ownPaths).toEqual([...LINUX_DEFAULTS.hypervisors[0]!.ownPaths, "board/xen/**"]);
    expect(c.hypervisors.map((h) => h.id)).not.toContain("acrn");
    expect(configError(() => load("hypervisors:\n  - id: acrm\n    enabled: false\n")).message).toContain('unknown hypervisor "acrm" (did you mean "acrn"?)');
    // A misspelt id would otherwise add an empty hypervisor and configure nothing.
    expect(configError(() => load("hypervisors:\n  - id: xne\n    ownPaths: [board/xen/**]\n")).message).toBe('hypervisors.0: unknown hypervisor "xne" (did you mean "xen"?); a new hypervisor needs a name');
    expect(load("hypervisors:\n  - id: bhyve\n    name: bhyve\n    predicateCalls: [bhyve_guest]\n").hypervisors.at(-1)!.id).toBe("bhyve");
  });

  it("a key that is neither a list nor an edit says so once", () => {
    expect(configError(() => parseConfigText("corePaths: {ad: [x]}", "t.yml")).message).toBe("corePaths.ad: unknown key");
    expect(configError(() => parseConfigText("corePaths: 3", "t.yml")).message).toBe("corePaths: must be a list, or {add: [...], remove: [...]}");
  });
});

describe("rule ids under rules:", () => {
  it("a typo is an error naming the nearest id", () => {
    expect(configError(() => parseConfigText("rules:\n  hv-specal-case: {severity: warning}\n", "t.yml")).message).toContain('rules.hv-specal-case: unknown rule "hv-specal-case" (did you mean "hv-special-case"?)');
    expect(configError(() => parseConfigText("rules:\n  commit-reference/subject-lenght: {enabled: false}\n", "t.yml")).message).toContain('did you mean "commit-reference/subject-length"?');
  });

  it("a finer id can change its check's severity alone", () => {
    expect(load("rules:\n  commit-reference/subject-period: {severity: warning}\n").rules["commit-reference/subject-period"]).toEqual({ severity: "warning" });
  });
});

describe("extends", () => {
  it("linux is the defaults; an unknown preset names the nearest", () => {
    expect(load("extends: linux")).toEqual(LINUX_DEFAULTS);
    expect(configError(() => load("extends: linuks")).message).toContain('unknown preset "linuks" (did you mean "linux"?)');
  });

  it("says where each key came from", () => {
    const r = resolveConfig(parseConfigText("corePaths: {add: [common/**]}\ntopic: xen\n", "t.yml"), "t.yml");
    expect(r.presets[0]).toBe("linux");
    expect(r.origin).toMatchObject({ corePaths: "t.yml (edited)", topic: "t.yml" });
  });
});

describe("suggestions by path", () => {
  it("an x86 file gets the x86 hooks, any other file a suggestion that names no x86 hook", () => {
    const xen = LINUX_DEFAULTS.hypervisors.find((h) => h.id === "xen")!;
    expect(suggestionFor(xen, "arch/x86/mm/init.c")).toContain("x86_init");
    for (const file of ["arch/arm64/kernel/setup.c", "kernel/fork.c", "board/xen/xenguest_arm64/xenguest_arm64.c"]) expect(suggestionFor(xen, file)).not.toMatch(/x86/);
    // The hypervisors that run guests on more than x86 (ACRN, Jailhouse and VMware's guest code here are x86's).
    for (const h of LINUX_DEFAULTS.hypervisors.filter((x) => ["xen", "kvm", "hyperv", "generic"].includes(x.id))) expect(h.suggestion).not.toMatch(/x86/);
  });
});

describe("the CLI reads the tree's .github/patchwarden.yml", () => {
  const root = path.resolve(import.meta.dirname ?? path.dirname(new URL(import.meta.url).pathname), "../..");
  const bin = path.join(root, "bin/patchwarden.js");
  const series = path.join(root, "examples/xen-dom0-series.mbox");
  let tree: string;
  const run = (args: string[], cwd = tree) => {
    const r = spawnSync(process.execPath, [bin, ...args], { cwd, encoding: "utf8", env: { ...process.env, NO_COLOR: "" } });
    return { status: r.status, stdout: r.stdout, stderr: r.stderr };
  };
  beforeAll(() => {
    tree = mkdtempSync(path.join(os.tmpdir(), "patchwarden-tree-"));
    execFileSync("git", ["init", "-q", tree]);
    mkdirSync(path.join(tree, ".github"));
    mkdirSync(path.join(tree, "sub"));
    writeFileSync(path.join(tree, ".github/patchwarden.yml"), "rules:\n  hv-special-case: {severity: info}\n");
  });
  afterAll(() => rmSync(tree, { recursive: true, force: true }));

  it("from anywhere in the work tree; --no-config and --config override it", () => {
    const fromTree = run(["check", "--format", "json", series], path.join(tree, "sub"));
    expect(fromTree.status).toBe(0);
    expect((JSON.parse(fromTree.stdout) as { findings: { rule: string; severity: string }[] }).findings.find((f) => f.rule === "hv-special-case")!.severity).toBe("info");
    expect(run(["check", "--no-config", series]).status).toBe(1);
    const other = path.join(tree, "other.yml");
    writeFileSync(other, "rules:\n  hv-special-case: {severity: error}\n");
    expect(run(["check", "--config", other, series]).status).toBe(1);
    expect(run(["check", "--config", other, "--no-config", series]).status).toBe(2);
  });

  it("an invalid tree config is an error naming the file", () => {
    writeFileSync(path.join(tree, ".github/patchwarden.yml"), "rules:\n  hv-specal-case: {severity: info}\n");
    const r = run(["check", series]);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(".github/patchwarden.yml: invalid configuration: rules.hv-specal-case");
    writeFileSync(path.join(tree, ".github/patchwarden.yml"), "rules:\n  hv-special-case: {severity: info}\n");
  });

  it("with --git, the config of --repo's tree; config says which file is used", () => {
    const r = run(["config", "--repo", tree], root);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain(`# configuration file: ${path.relative(root, path.join(tree, ".github/patchwarden.yml"))}`);
    expect(r.stdout).toContain("rules (");
    const printed = run(["config", "--print"]);
    expect(printed.stdout).toMatch(/^# rules: .*patchwarden\.yml \(hv-special-case\)\nrules:\n  hv-special-case:\n    severity: info$/m);
    expect(run(["config", "--no-config"]).stdout).toContain("none (defaults only)");
  });

  it("in a bare repository (or below one), the config committed at HEAD; outside any repository, none", () => {
    const work = mkdtempSync(path.join(os.tmpdir(), "patchwarden-bare-"));
    try {
      const src = path.join(work, "src");
      const id = ["-c", "user.name=T", "-c", "user.email=t@example.org", "-c", "commit.gpgsign=false"];
      execFileSync("git", ["init", "-q", src]);
      mkdirSync(path.join(src, ".github"));
      writeFileSync(path.join(src, ".github/patchwarden.yml"), "rules:\n  hv-special-case: {severity: info}\n");
      execFileSync("git", ["-C", src, "add", "-A"]);
      execFileSync("git", ["-C", src, ...id, "commit", "-q", "-m", "config"]);
      execFileSync("git", ["clone", "-q", "--bare", src, path.join(work, "bare.git")]);
      for (const dir of ["bare.git", "bare.git/refs"]) expect(run(["config"], path.join(work, dir)).stdout).toContain("# configuration file: HEAD:.github/patchwarden.yml");
      mkdirSync(path.join(work, "plain"));
      expect(run(["config"], path.join(work, "plain")).stdout).toContain("none (defaults only)");
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  });
});

describe("the example configuration files", () => {
  const root = path.resolve(import.meta.dirname ?? path.dirname(new URL(import.meta.url).pathname), "../..");
  it.each(["examples/patchwarden.linux.yml", "examples/patchwarden.u-boot.yml"])("%s is valid and resolves", async (file) => {
    const { readFileSync } = await import("node:fs");
    const user = parseConfigText(readFileSync(path.join(root, file), "utf8"), file);
    expect(resolveConfig(user, file).presets).toEqual(file.includes("u-boot") ? ["linux", "u-boot"] : ["linux"]);
  });
});

describe("messages name x86 hooks only to x86 files", () => {
  it("a new pv op in arm64 code is not told about x86_platform", async () => {
    const { runRules } = await import("../../src/engine/run.js");
    const { parseSeries } = await import("../../src/patch/series.js");
    const patch = (file: string) =>
      [
        "From: A <a@example.org>",
        "Subject: [PATCH] paravirt: add an op",
        "",
        "Needed by the steal clock.",
        "",
        "Signed-off-by: A <a@example.org>",
        "---",
        `diff --git a/${file} b/${file}`,
        `--- a/${file}`,
        `+++ b/${file}`,
        "@@ -1,3 +1,4 @@",
        " struct pv_time_ops {",
        " \tunsigned long long (*steal_clock)(int cpu);",
        "+\tvoid (*new_op)(void);",
        " };",
        "",
      ].join("\n");
    const message = (file: string) => runRules(parseSeries([{ name: "t", bytes: Buffer.from(patch(file)) }]), LINUX_DEFAULTS, { only: ["pv-ops-growth"] })[0]!.message;
    expect(message("arch/arm64/include/asm/paravirt.h")).not.toMatch(/x86/);
    expect(message("arch/x86/include/asm/paravirt_types.h")).toContain("x86_platform/x86_init");
  });
});
