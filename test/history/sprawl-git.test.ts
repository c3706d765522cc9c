import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { existsSync } from "node:fs";
import path from "node:path";
import { sprawlCommand } from "../../src/history/command.js";
import { InputError, UsageError } from "../../src/patch/errors.js";
import { captureIo, TestRepo } from "./test-repo.js";

// A small history whose figures are worked out by hand in the comments.
let repo: TestRepo;
const h: Record<string, string> = {};

beforeAll(() => {
  repo = new TestRepo("patchwarden-sprawl-");
  repo.commit("init", "2020-01-01T00:00:00Z", { README: "hi\n" });
  // kvm: 3 inside, 0 outside
  h.c1 = repo.commit("kvm: x86 basics", "2021-01-01T00:00:00Z", { "arch/x86/kvm/x86.c": "1\n", "arch/x86/kvm/mmu.c": "1\n", "arch/x86/kvm/i8254.c": "1\n" });
  // kvm: 1 inside, 2 outside (include/linux, arch/x86/include)
  h.c2 = repo.commit("kvm: header", "2021-02-01T00:00:00Z", { "arch/x86/kvm/x86.c": "2\n", "include/linux/kvm_host.h": "2\n", "arch/x86/include/asm/kvm_host.h": "2\n" });
  // xen: 1 inside, 3 outside (mm 2, . 1)
  h.c3 = repo.commit("xen: mm hook", "2021-03-01T00:00:00Z", { "arch/x86/xen/mmu.c": "3\n", "mm/memory.c": "3\n", "mm/internal.h": "3\n", MAINTAINERS: "3\n" });
  // kvm: 1 in, 2 out (arch/x86/xen, arch/x86/include); xen: 1 in, 2 out (arch/x86/kvm, arch/x86/include)
  h.c4 = repo.commit("x86: kvm and xen", "2021-04-01T00:00:00Z", { "arch/x86/kvm/x86.c": "4\n", "arch/x86/xen/enlighten.c": "4\n", "arch/x86/include/asm/kvm_host.h": "4\n" });
  // touches neither
  h.c5 = repo.commit("fork: unrelated", "2021-05-01T00:00:00Z", { "kernel/fork.c": "5\n" });
  // treewide by file count: 120 files > 100
  const many: Record<string, string> = { "arch/x86/kvm/x86.c": "6\n" };
  for (let i = 0; i < 119; i++) many[`drivers/foo/f${i}.c`] = "6\n";
  h.c6 = repo.commit("treewide: rename an API", "2021-06-01T00:00:00Z", many);
  // treewide by top-level directories: 10 files in 10 directories > 8
  const spread: Record<string, string> = { "arch/x86/xen/enlighten.c": "7\n" };
  for (const d of ["mm", "kernel", "fs", "block", "init", "lib", "ipc", "net", "security"]) spread[`${d}/spdx.c`] = "7\n";
  h.c7 = repo.commit("treewide: SPDX tags", "2021-07-01T00:00:00Z", spread);
  // on a side branch, merged with a merge commit: the commit counts once, the merge not at all
  repo.git(["checkout", "-q", "-b", "side"]);
  h.c8 = repo.commit("kvm: mmu and common code", "2021-08-01T00:00:00Z", { "arch/x86/kvm/mmu.c": "8\n", "virt/kvm/kvm_main.c": "8\n" });
  repo.git(["checkout", "-q", "main"]);
  repo.commit("fork: meanwhile", "2021-08-15T00:00:00Z", { "kernel/fork.c": "8\n" });
  repo.git(["merge", "-q", "--no-ff", "-m", "Merge branch side", "side"], { GIT_AUTHOR_DATE: "2021-09-01T00:00:00Z", GIT_COMMITTER_DATE: "2021-09-01T00:00:00Z" });
  // a move out of kvm: no rename detection, so 1 inside (deleted) and 1 outside (added)
  repo.git(["mv", "arch/x86/kvm/i8254.c", "lib/i8254.c"]);
  h.c9 = repo.commit("kvm: move the PIT out", "2022-01-01T00:00:00Z", {});
});

afterAll(() => repo.remove());

async function sprawl(args: string[]) {
  const io = captureIo(repo.dir);
  const code = await sprawlCommand(args, io);
  return { code, out: io.out(), err: io.err() };
}

async function json(args: string[]) {
  const r = await sprawl(["--format", "json", ...args]);
  expect(r.code).toBe(0);
  return JSON.parse(r.out);
}

describe("sprawl over a git history", () => {
  it("counts commits, inside and outside files, shares and top outside directories per path, treewide commits apart", async () => {
    const r = await json(["arch/x86/kvm", "arch/x86/xen/"]);
    expect(r.commitsRead).toBe(8); // c1 c2 c3 c4 c6 c7 c8 c9; not init, c5, the merge
    expect(r.columns).toEqual([
      {
        path: "arch/x86/kvm",
        commits: 5,
        commitsReachingOutside: 4,
        filesInside: 7,
        filesOutside: 6,
        share: 0.4615,
        topOutside: [
          { dir: "arch/x86/include", files: 2 },
          { dir: "arch/x86/xen", files: 1 },
          { dir: "include/linux", files: 1 },
          { dir: "lib", files: 1 },
          { dir: "virt/kvm", files: 1 },
        ],
        treewide: { commits: 1, files: 120 },
      },
      {
        path: "arch/x86/xen",
        commits: 2,
        commitsReachingOutside: 2,
        filesInside: 2,
        filesOutside: 5,
        share: 0.7143,
        topOutside: [
          { dir: "mm", files: 2 },
          { dir: ".", files: 1 },
          { dir: "arch/x86/include", files: 1 },
          { dir: "arch/x86/kvm", files: 1 },
        ],
        treewide: { commits: 1, files: 10 },
      },
    ]);
    expect(r.treewide).toEqual([
      { hash: h.c6, subject: "treewide: rename an API", files: 120, topLevelDirs: 2, paths: ["arch/x86/kvm"] },
      { hash: h.c7, subject: "treewide: SPDX tags", files: 10, topLevelDirs: 10, paths: ["arch/x86/xen"] },
    ]);
  });

  it("moves commits back into the figures when the treewide limits are raised", async () => {
    const r = await json(["--treewide", "200", "--treewide-dirs", "20", "--top", "1", "arch/x86/kvm", "arch/x86/xen"]);
    const [kvm, xen] = r.columns;
    expect(kvm).toMatchObject({ commits: 6, filesInside: 8, filesOutside: 125, share: 0.9398, topOutside: [{ dir: "drivers/foo", files: 119 }], treewide: { commits: 0, files: 0 } });
    expect(xen).toMatchObject({ commits: 3, filesInside: 3, filesOutside: 14, share: 0.8235, topOutside: [{ dir: "mm", files: 3 }], treewide: { commits: 0, files: 0 } });
    expect(r.treewide).toEqual([]);
  });

  it("groups outside files at the depth asked for", async () => {
    const r = await json(["--depth", "1", "arch/x86/kvm"]);
    expect(r.columns[0].topOutside).toEqual([
      { dir: "arch", files: 3 },
      { dir: "include", files: 1 },
      { dir: "lib", files: 1 },
      { dir: "virt", files: 1 },
    ]);
  });

  it("passes --since to git", async () => {
    const r = await json(["--since", "2021-06-15", "arch/x86/kvm", "arch/x86/xen"]);
    expect(r.since).toBe("2021-06-15");
    expect(r.commitsRead).toBe(3); // c7 c8 c9
    expect(r.columns[0]).toMatchObject({ commits: 2, filesInside: 2, filesOutside: 2, share: 0.5, treewide: { commits: 0, files: 0 } });
    expect(r.columns[1]).toMatchObject({ commits: 0, filesInside: 0, filesOutside: 0, share: 0, topOutside: [], treewide: { commits: 1, files: 10 } });
  });

  it("prints the paths side by side and lists the treewide commits", async () => {
    const r = await sprawl(["--repo", ".", "arch/x86/kvm", "arch/x86/xen"]);
    expect(r.code).toBe(0);
    expect(r.err).toBe(""); // no progress when stderr is not a terminal
    const lines = r.out.split("\n");
    expect(lines[0]).toBe("8 non-merge commits touch these paths; treewide commits (more than 100 files or 8 top-level directories) are counted apart.");
    expect(lines.slice(3, 17)).toEqual([
      "                           arch/x86/kvm         arch/x86/xen",
      "commits                               5                    2",
      "  reaching outside                    4                    2",
      "files inside                          7                    2",
      "files outside                         6                    5",
      "share outside                     46.2%                71.4%",
      "top outside 1        arch/x86/include 2                 mm 2",
      "top outside 2            arch/x86/xen 1                  . 1",
      "top outside 3           include/linux 1   arch/x86/include 1",
      "top outside 4                     lib 1       arch/x86/kvm 1",
      "top outside 5                virt/kvm 1",
      "treewide commits                      1                    1",
      "  their files                       120                   10",
      "",
    ]);
    expect(lines[17]).toBe("Treewide commits, left out of the figures above (largest first):");
    expect(lines).toContain(`  ${h.c6!.slice(0, 12)}  120 files  treewide: rename an API`);
    expect(lines).toContain(`  ${h.c7!.slice(0, 12)}   10 files  treewide: SPDX tags`);
  });

  it("a path nothing touches and that is not in the tree is an error, not zeros", async () => {
    await expect(sprawl(["drivers/nothing"])).rejects.toThrow('"drivers/nothing": no commit touches it, and it is not in the tree at HEAD');
  });

  it("takes a PATH literally, not as pathspec magic or an option", async () => {
    // Taken as paths, neither exists: git neither expanded the magic nor wrote --output's file.
    await expect(sprawl(["--format", "json", "--", ":(top)arch", "--output=x"])).rejects.toThrow('":(top)arch", "--output=x": no commit touches them');
    await expect(sprawl(["--", ":(glob)arch/**"])).rejects.toThrow("is a pattern, not a path");
    expect(existsSync(path.join(repo.dir, "x"))).toBe(false);
  });

  it("turns user mistakes into usage and input errors", async () => {
    await expect(sprawl([])).rejects.toBeInstanceOf(UsageError);
    await expect(sprawl(["--format", "xml", "mm"])).rejects.toBeInstanceOf(UsageError);
    await expect(sprawl(["--treewide", "0", "mm"])).rejects.toBeInstanceOf(UsageError);
    await expect(sprawl(["--bogus", "mm"])).rejects.toBeInstanceOf(UsageError);
    await expect(sprawl(["../outside"])).rejects.toBeInstanceOf(UsageError);
    await expect(sprawl(["/abs"])).rejects.toBeInstanceOf(UsageError);
    await expect(sprawl(["--since", "", "mm"])).rejects.toBeInstanceOf(UsageError);
    await expect(sprawl(["--repo", repo.root, "mm"])).rejects.toBeInstanceOf(InputError);
  });

  it("reads paths git quotes (quotes, tabs, non-ASCII) as the files they name", async () => {
    const odd = new TestRepo("patchwarden-sprawl-odd-");
    try {
      odd.commit("odd names", "2021-01-01T00:00:00Z", { 'arch/x86/kvm/naïve "q".c': "1\n", "virt/kvm/tab\there.c": "1\n" });
      const io = captureIo(odd.dir);
      expect(await sprawlCommand(["--format", "json", "arch/x86/kvm"], io)).toBe(0);
      expect(JSON.parse(io.out()).columns[0]).toMatchObject({ commits: 1, filesInside: 1, filesOutside: 1, topOutside: [{ dir: "virt/kvm", files: 1 }] });
    } finally {
      odd.remove();
    }
  });

  it("shows progress only on a terminal, and clears it", async () => {
    const io = captureIo(repo.dir);
    Object.assign(io.stderr, { isTTY: true });
    expect(await sprawlCommand(["mm"], io)).toBe(0);
    expect(io.err().endsWith("\r\x1b[K")).toBe(true);
  });
});
