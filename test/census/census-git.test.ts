import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { symlinkSync, writeFileSync } from "node:fs";
import path from "node:path";
import { censusCommand } from "../../src/census/command.js";
import { ConfigError } from "../../src/config/errors.js";
import { InputError, UsageError } from "../../src/patch/errors.js";
import { captureIo, TestRepo } from "../history/test-repo.js";
import { TREE } from "./fixtures.js";

// The fixture tree, committed; then one more commit, and changes that are
// only in the index and the work tree, which a census must not see.
let repo: TestRepo;
let first: string;
let second: string;

beforeAll(() => {
  repo = new TestRepo("patchwarden-census-");
  // kernel/quiet.c is in scope but names no hypervisor: git grep skips it.
  const files = { ...Object.fromEntries(Object.entries(TREE).map(([p, f]) => [p, f.text])), "kernel/quiet.c": "int nothing;\n" };
  first = repo.commit("tree", "2021-01-01T00:00:00Z", files);
  // xen: line 2
  second = repo.commit("mm: dom0", "2021-02-01T00:00:00Z", { "mm/extra.c": "int z;\n#ifdef CONFIG_XEN_DOM0\n#endif\n" });
  symlinkSync("setup.c", path.join(repo.dir, "arch/x86/kernel/link.c"));
  repo.git(["add", "arch/x86/kernel/link.c"]);
  repo.git(["commit", "-q", "-m", "a symlink is not a file"], { GIT_AUTHOR_DATE: "2021-03-01T00:00:00Z", GIT_COMMITTER_DATE: "2021-03-01T00:00:00Z" });
  repo.write("mm/staged.c", "#ifdef CONFIG_XEN\n#endif\n");
  repo.git(["add", "mm/staged.c"]);
  repo.write("mm/untracked.c", "#ifdef CONFIG_XEN\n#endif\n");
  repo.write("mm/memory.c", `${TREE["mm/memory.c"]!.text}#ifdef CONFIG_XEN\n#endif\n`);
});

afterAll(() => repo.remove());

async function census(args: string[]) {
  const io = captureIo(repo.dir);
  const code = await censusCommand(args, io);
  return { code, out: io.out(), err: io.err() };
}

async function json(args: string[]) {
  const r = await census(["--format", "json", ...args]);
  expect(r.code).toBe(0);
  return JSON.parse(r.out);
}

const counts = (r: { hypervisors: { id: string; count: number; own: number }[] }) => Object.fromEntries(r.hypervisors.filter((h) => h.count > 0).map((h) => [h.id, [h.count, h.own]]));

describe("census of a git tree", () => {
  it("counts the committed tree per hypervisor and directory, outside own directories", async () => {
    const r = await json([]);
    expect(r.rev).toBe("HEAD");
    expect(r.filesInTree).toBe(13); // the fixture files, kernel/quiet.c and mm/extra.c; not the symlink, the staged or the untracked file
    expect(r.filesConsidered).toBe(7);
    expect(r.filesRead).toBe(6);
    expect(counts(r)).toEqual({ xen: [9, 0], kvm: [1, 0], hyperv: [1, 0], generic: [1, 0] });
    expect(r.directories).toEqual([
      { dir: "arch/x86/kernel", total: 7, byHypervisor: { xen: 4, kvm: 1, generic: 1, hyperv: 1 } },
      { dir: "mm", total: 3, byHypervisor: { xen: 3 } },
      { dir: "arch/x86", total: 1, byHypervisor: { xen: 1 } },
      { dir: "arch/x86/entry", total: 1, byHypervisor: { xen: 1 } },
    ]);
    expect(r.locations).toContainEqual({ path: "mm/extra.c", line: 2, hypervisor: "xen", token: "CONFIG_XEN_DOM0", kind: "config", own: false });
    expect(r.locations).toContainEqual({ path: "arch/x86/kernel/setup.c", line: 6, hypervisor: "kvm", token: "CONFIG_KVM_CLOCK", kind: "config", own: false });
    expect(r.locations.filter((l: { path: string }) => l.path === "mm/memory.c").map((l: { line: number }) => l.line)).toEqual([1, 4]);
  });

  it("reads another revision, and only the PATHs asked for", async () => {
    const old = await json(["--rev", first]);
    expect(old.commit).toBe(first);
    expect(counts(old)).toEqual({ xen: [8, 0], kvm: [1, 0], hyperv: [1, 0], generic: [1, 0] });
    const mm = await json(["--rev", "HEAD~1", "mm", "./arch/x86/entry/"]);
    expect(mm.commit).toBe(second);
    expect(mm.paths).toEqual(["mm", "arch/x86/entry"]);
    expect(counts(mm)).toEqual({ xen: [4, 0] });
  });

  it("with --all counts the own directories too", async () => {
    const r = await json(["--all"]);
    expect(r.scope).toBe("all");
    expect(counts(r)).toEqual({ xen: [10, 1], kvm: [2, 1], hyperv: [1, 0], generic: [1, 0] });
  });

  it("prints totals per hypervisor and a directory table", async () => {
    const r = await census(["--top", "2"]);
    expect(r.code).toBe(0);
    expect(r.err).toBe("");
    const commit = repo.git(["rev-parse", "HEAD"]);
    expect(r.out.split("\n")).toEqual([
      `Hypervisor conditionals in HEAD (${commit.slice(0, 12)}): 12 in 6 files, arch, core and driver-core code outside each hypervisor's own directories.`,
      "7 of 13 files are C, assembly or Makefiles in scope; 6 name a hypervisor token and were read.",
      "",
      "hypervisor        conditionals",
      "Xen                          9",
      "KVM                          1",
      "Hyper-V                      1",
      "VMware                       0",
      "ACRN                         0",
      "Jailhouse                    0",
      "hypervisor-guest             1",
      "total                       12",
      "",
      "By directory (3 path components), most first:",
      "directory        Xen  KVM  Hyper-V  hypervisor-guest  total",
      "arch/x86/kernel    4    1        1                 1      7",
      "mm                 3                                      3",
      "... and 2 more directories (--format json lists all, with every location)",
      "",
    ]);
  });

  it("takes the tree's config as check does", async () => {
    const file = path.join(repo.root, "pw.yaml");
    writeFileSync(file, 'specialCaseScope: ["mm/**"]\n');
    expect(counts(await json(["--config", file]))).toEqual({ xen: [3, 0] });
    writeFileSync(file, "specialCaseScope: 3\n");
    await expect(census(["--config", file])).rejects.toBeInstanceOf(ConfigError);
  });

  it("turns user mistakes into usage and input errors", async () => {
    await expect(census(["--format", "sarif"])).rejects.toBeInstanceOf(UsageError);
    await expect(census(["--depth", "x"])).rejects.toBeInstanceOf(UsageError);
    await expect(census(["../x"])).rejects.toBeInstanceOf(UsageError);
    await expect(census(["--rev", "no-such-rev"])).rejects.toBeInstanceOf(InputError);
    await expect(census(["--rev=--output=/tmp/x"])).rejects.toBeInstanceOf(InputError);
    await expect(census(["--repo", repo.root])).rejects.toBeInstanceOf(InputError);
  });
});
