// sprawl and census on the real binary: mistakes are errors (exit 2), not
// silent zeros; many paths give short lines; census lists file:line in text.
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { spawnSync } from "node:child_process";
import path from "node:path";
import { TestRepo } from "./test-repo.js";

const bin = path.resolve(import.meta.dirname ?? path.dirname(new URL(import.meta.url).pathname), "../../bin/patchwarden.js");
let repo: TestRepo;

function run(args: string[]) {
  const r = spawnSync(process.execPath, [bin, ...args], { cwd: repo.dir, encoding: "utf8", env: { ...process.env, GIT_CONFIG_GLOBAL: "/dev/null", GIT_CONFIG_NOSYSTEM: "1" } });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

const DIRS = ["arch/x86/kvm", "arch/x86/xen", "arch/x86/mm", "mm", "kernel", "drivers/xen", "fs"];

beforeAll(() => {
  repo = new TestRepo("patchwarden-sprawl-cli-");
  repo.commit("base", "2021-01-01T00:00:00Z", Object.fromEntries(DIRS.map((d) => [`${d}/a.c`, "int a;\n"])));
  repo.commit("kvm: reach into mm", "2021-02-01T00:00:00Z", { "arch/x86/kvm/a.c": "int b;\n", "mm/a.c": "int b;\n" });
  repo.commit("xen: reach into x86 mm", "2021-03-01T00:00:00Z", { "arch/x86/xen/a.c": "int c;\n", "arch/x86/mm/a.c": "#ifdef CONFIG_XEN\nint c;\n#endif\n" });
});
afterAll(() => repo.remove());

describe("sprawl", () => {
  it("a path that no commit touches and that is not in the tree is an error", () => {
    const r = run(["sprawl", "arch/x86/kvmm"]);
    expect(r.status).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr).toContain('"arch/x86/kvmm": no commit touches it, and it is not in the tree at HEAD');
  });

  it("a quoted glob is an error, not a literal path", () => {
    const r = run(["sprawl", "arch/*/kvm"]);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('"arch/*/kvm" is a pattern, not a path');
  });

  it.each(["notadate", "2021-02-30", "2021-13-01", "yesterdayish"])("--since %s is an error", (date) => {
    const r = run(["sprawl", "--since", date, "arch/x86/kvm"]);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(`--since "${date}" is not a date`);
  });

  it("--since and --until bound the commits", () => {
    const all = JSON.parse(run(["sprawl", "--format", "json", "arch/x86/kvm", "arch/x86/xen"]).stdout) as { commitsRead: number; until: string | null };
    expect(all.commitsRead).toBe(3);
    const r = JSON.parse(run(["sprawl", "--format", "json", "--since", "2021-01-15", "--until", "2021-02-15", "arch/x86/kvm", "arch/x86/xen"]).stdout) as { commitsRead: number; until: string | null; columns: { path: string; commits: number }[] };
    expect(r.commitsRead).toBe(1);
    expect(r.until).toBe("2021-02-15");
    expect(r.columns.map((c) => [c.path, c.commits])).toEqual([
      ["arch/x86/kvm", 1],
      ["arch/x86/xen", 0],
    ]);
    expect(run(["sprawl", "--until", "6 months ago", "arch/x86/kvm"]).status).toBe(0);
  });

  it("many paths read one row each, lines stay short; --layout forces either", () => {
    const r = run(["sprawl", ...DIRS]);
    expect(r.status).toBe(0);
    const lines = r.stdout.split("\n");
    expect(lines.some((l) => /^path +commits/.test(l))).toBe(true);
    expect(lines.find((l) => l.startsWith("arch/x86/kvm "))).toMatch(/^arch\/x86\/kvm +2 +2 +2 +7 +77\.8% +0 +mm 2, arch\/x86\/mm 1, arch\/x86\/xen 1$/);
    const table = (out: string) => out.split("\n").slice(3, 3 + DIRS.length + 1);
    const widest = (out: string) => Math.max(...table(out).map((l) => l.length));
    // A row's length is one path's, whatever the number of paths; side by side, it is all of theirs.
    expect(widest(r.stdout)).toBeLessThan(120);
    const columns = run(["sprawl", "--layout", "columns", ...DIRS]).stdout;
    expect(columns).toMatch(/^commits +\d/m);
    expect(widest(columns)).toBeGreaterThan(widest(r.stdout));
    expect(run(["sprawl", "--layout", "rows", "mm"]).stdout).toMatch(/^path +commits/m);
  });

  it("--format csv has a header and one row per path", () => {
    const r = run(["sprawl", "--format", "csv", "arch/x86/kvm", "mm"]);
    expect(r.stdout.trim().split("\n")).toEqual([
      "path,commits,commits_reaching_outside,files_inside,files_outside,share_outside,treewide_commits,treewide_files,top_outside",
      // The base commit touches every directory; the second one arch/x86/kvm and mm.
      "arch/x86/kvm,2,2,2,7,0.7778,0,0,mm:2 arch/x86/mm:1 arch/x86/xen:1 drivers/xen:1 fs:1",
      "mm,2,2,2,7,0.7778,0,0,arch/x86/kvm:2 arch/x86/mm:1 arch/x86/xen:1 drivers/xen:1 fs:1",
    ]);
  });
});

describe("census", () => {
  it("--list prints every location as path:line in text", () => {
    const r = run(["census", "--list"]);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain("\nLocations:\narch/x86/mm/a.c:1: Xen: CONFIG_XEN\n");
    expect(run(["census"]).stdout).not.toContain("Locations:");
  });

  it("a path with no file under it, or a quoted glob, is an error", () => {
    const r = run(["census", "arch/x86/mmm"]);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('no file under "arch/x86/mmm" in HEAD');
    expect(run(["census", "arch/*"]).status).toBe(2);
  });
});
