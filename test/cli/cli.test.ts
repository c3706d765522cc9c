// Runs the real binary (bin/patchwarden.js over the built dist/), as a user
// would: `npm test` builds first.
import { describe, expect, it, beforeAll, afterAll } from "@jest/globals";
import { spawnSync, execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";

const root = path.resolve(import.meta.dirname ?? path.dirname(new URL(import.meta.url).pathname), "../..");
const bin = path.join(root, "bin/patchwarden.js");
const series = path.join(root, "examples/xen-dom0-series.mbox");
const clean = path.join(root, "examples/clean-fix.patch");

function run(args: string[], opts: { input?: string | Buffer; cwd?: string } = {}) {
  const r = spawnSync(process.execPath, [bin, ...args], { input: opts.input, cwd: opts.cwd ?? root, encoding: "utf8", env: { ...process.env, NO_COLOR: "" } });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

let tmp: string;
beforeAll(() => {
  tmp = mkdtempSync(path.join(os.tmpdir(), "patchwarden-cli-"));
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe("patchwarden check", () => {
  it("reports findings as path:line: severity: message [rule], grouped by commit, and exits 1 on errors", () => {
    const r = run(["check", series]);
    expect(r.status).toBe(1);
    const lines = r.stdout.split("\n");
    expect(lines).toContain('commit 1/3 3f1c0a9d2b7e ("x86/acpi: Ignore the PM timer when running as Xen dom0")');
    expect(r.stdout).toMatch(/^arch\/x86\/kernel\/acpi\/boot\.c:984: error: Adds a Xen special case .* \[hv-special-case\]$/m);
    expect(r.stdout).toMatch(/^arch\/x86\/kernel\/smpboot\.c:1284: warning: .* \[hv-only-interface\]$/m);
    expect(r.stdout).toMatch(/^commit 9a8b7c6d5e4f \("x86\/smpboot: Make calculate_max_logical_packages\(\) global"\): warning: The commit has no changelog .* \[changelog-why\/no-body\]$/m);
    expect(r.stdout.trim().split("\n").at(-1)).toBe("1 error, 2 warnings, 0 info in 3 commits");
    expect(r.stdout).not.toContain("\x1b[");
    // A file checked on its own: the one check that would read the tree says it did without.
    expect(r.stderr).toBe("patchwarden: note: checked without the base tree: hv-only-interface saw only the series' own users of what it adds (give --repo DIR, or --git RANGE)\n");
  });

  it("exits 0 when nothing is wrong", () => {
    const r = run(["check", clean]);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/no findings in 1 commit/i);
  });

  it("prints only JSON on stdout with --format json", () => {
    const r = run(["check", "--format", "json", series]);
    expect(r.status).toBe(1);
    const parsed = JSON.parse(r.stdout) as { findings: Record<string, unknown>[] };
    expect(parsed.findings.map((f) => [f.rule, f.file, f.line])).toEqual([
      ["hv-special-case", "arch/x86/kernel/acpi/boot.c", 984],
      ["changelog-why", null, null],
      ["hv-only-interface", "arch/x86/kernel/smpboot.c", 1284],
    ]);
    expect(Object.keys(parsed.findings[0]!)).toEqual(["rule", "check", "severity", "file", "line", "commit", "message", "fingerprint", "code", "doc"]);
  });

  it("writes SARIF 2.1.0 with --format sarif", () => {
    const r = run(["check", "--format", "sarif", series]);
    const sarif = JSON.parse(r.stdout) as { version: string; runs: { results: unknown[]; tool: { driver: { rules: unknown[] } } }[] };
    expect(sarif.version).toBe("2.1.0");
    expect(sarif.runs[0]!.results).toHaveLength(3);
    expect(sarif.runs[0]!.tool.driver.rules.length).toBeGreaterThanOrEqual(6);
  });

  it("reads standard input with -", () => {
    const r = run(["check", "-", "--format", "json"], { input: readFileSync(series) });
    expect(r.status).toBe(1);
    expect((JSON.parse(r.stdout) as { findings: unknown[] }).findings).toHaveLength(3);
  });

  it("--rule selects and --ignore drops rules", () => {
    const only = JSON.parse(run(["check", "--format", "json", "--rule", "hv-only-interface", series]).stdout) as { findings: { rule: string }[] };
    expect(only.findings.map((f) => f.rule)).toEqual(["hv-only-interface"]);
    const r = run(["check", "--ignore", "hv-special-case", series]);
    expect(r.status).toBe(0);
    expect(r.stdout).not.toContain("[hv-special-case]");
  });

  it("a config file can change a rule's severity", () => {
    const cfg = path.join(tmp, "severity.yml");
    writeFileSync(cfg, "rules:\n  hv-special-case:\n    severity: info\n");
    const r = run(["check", "--config", cfg, series]);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain("boot.c:984: info:");
  });

  it("an invalid config names the bad key and exits 2", () => {
    const cfg = path.join(tmp, "bad.yml");
    writeFileSync(cfg, "rules:\n  hv-special-case:\n    severity: fatal\nunknownKey: 1\n");
    const r = run(["check", "--config", cfg, series]);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain("unknownKey: unknown key");
    expect(r.stderr).toContain("rules.hv-special-case.severity: must be one of error, warning, info");
    expect(r.stdout).toBe("");
  });

  it("config YAML that does not parse is an error with its line", () => {
    const cfg = path.join(tmp, "broken.yml");
    writeFileSync(cfg, "rules: [\n");
    const r = run(["check", "--config", cfg, series]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/invalid YAML at line \d+/);
  });

  it("malformed input gives file:line and exit 2, never a stack trace", () => {
    const bad = path.join(tmp, "bad.patch");
    writeFileSync(bad, "diff --git a/x.c b/x.c\n--- a/x.c\n+++ b/x.c\n@@ -1,3 +1,3 @@\n a\n-b\n");
    const r = run(["check", bad]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(new RegExp(`${bad.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}:\\d+: hunk ends early`));
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it("a missing file, a non-patch file and usage errors exit 2", () => {
    expect(run(["check", path.join(tmp, "nope.patch")]).stderr).toContain("no such file");
    const notPatch = path.join(tmp, "README");
    writeFileSync(notPatch, "hello\nworld\n");
    const r = run(["check", notPatch]);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain("no patch found");
    expect(run(["check"]).status).toBe(2);
    expect(run(["check", "--rule", "no-such-rule", series]).stderr).toContain('unknown rule "no-such-rule"');
    expect(run(["check", "--format", "xml", series]).status).toBe(2);
    expect(run(["frobnicate"]).status).toBe(2);
    expect(run(["check", "--bogus", series]).status).toBe(2);
  });

  it("warns on stderr about binary files and still checks the rest", () => {
    const text = readFileSync(series, "utf8").replace(
      "diff --git a/arch/x86/xen/smp.c",
      "diff --git a/fw.bin b/fw.bin\nnew file mode 100644\nindex 0000000..1234567\nBinary files /dev/null and b/fw.bin differ\ndiff --git a/arch/x86/xen/smp.c",
    );
    const r = run(["check", "-"], { input: text });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain("fw.bin: binary file, not checked");
  });

  it("reads a git range with --git and --repo", () => {
    const repo = path.join(tmp, "repo");
    const git = (...args: string[]) => execFileSync("git", ["-C", repo, "-c", "user.name=T", "-c", "user.email=t@example.org", ...args], { encoding: "utf8" });
    execFileSync("git", ["init", "-q", "-b", "main", repo]);
    writeFileSync(path.join(repo, "README"), "x\n");
    git("add", ".");
    git("commit", "-qm", "base");
    execFileSync("mkdir", ["-p", path.join(repo, "arch/x86/mm")]);
    writeFileSync(path.join(repo, "arch/x86/mm/init.c"), "void f(void)\n{\n\tif (xen_pv_domain())\n\t\treturn;\n}\n");
    git("add", ".");
    git("commit", "-qm", "x86/mm: skip for Xen PV");
    const r = run(["check", "--format", "json", "--rule", "hv-special-case", "--git", "HEAD~1..HEAD", "--repo", repo]);
    expect(r.status).toBe(1);
    const f = (JSON.parse(r.stdout) as { findings: { file: string; line: number; commit: string }[] }).findings;
    expect(f.map((x) => [x.file, x.line])).toEqual([["arch/x86/mm/init.c", 3]]);
    expect(f[0]!.commit).toBe(git("rev-parse", "HEAD").trim());
    const bad = run(["check", "--git", "nosuch..HEAD", "--repo", repo]);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain("git format-patch failed");
  });
});

describe("subsystems and topics", () => {
  it("--topic names the series' subsystem for sprawl and changelog-subsystem", () => {
    const r = run(["check", "--format", "json", "--rule", "sprawl", "--rule", "changelog-subsystem", "--topic", "xen", series]);
    const f = (JSON.parse(r.stdout) as { findings: { rule: string; severity: string; message: string }[] }).findings;
    expect(f.map((x) => [x.rule, x.severity])).toEqual([
      ["sprawl", "warning"],
      ["changelog-subsystem", "warning"],
    ]);
    expect(f[0]!.message).toContain("3 of the series' 4 changed files (75%) lie outside xen");
  });

  it("--maintainers reads the tree's MAINTAINERS for the topic", () => {
    const file = path.join(tmp, "MAINTAINERS");
    writeFileSync(file, "XEN HYPERVISOR X86\nS:\tSupported\nF:\tarch/x86/xen/\n\nX86 ARCHITECTURE\nS:\tMaintained\nF:\tarch/x86/\nX:\tarch/x86/xen/\n");
    const r = run(["check", "--format", "json", "--rule", "sprawl", "--topic", "xen", "--maintainers", file, series]);
    const f = (JSON.parse(r.stdout) as { findings: { message: string }[] }).findings;
    expect(f[0]!.message).toContain("lie outside xen");
    expect(run(["check", "--maintainers", path.join(tmp, "missing"), series]).stderr).toContain("cannot read the MAINTAINERS file");
  });
});

describe("patchwarden rules", () => {
  it("lists every rule with its severity and one line", () => {
    const r = run(["rules"]);
    expect(r.status).toBe(0);
    for (const id of ["hv-special-case", "hv-only-interface", "pv-ops-growth", "arch-conditional-in-core", "changelog-why", "changelog-subsystem"]) expect(r.stdout).toMatch(new RegExp(`^${id}\\s+(error|warning|info)\\s+\\S`, "m"));
  });
});
