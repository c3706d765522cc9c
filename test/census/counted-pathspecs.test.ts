// countedPathspecs narrows a census grep to the files the census counts. Run
// through the git that reads them: every file censusFileFilter takes must be
// listed (the filter decides after), and the device trees, documents and
// Kconfig beside them must not be read at all. Paths come from patches, so
// glob characters in them are literal.
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { countedPathspecs } from "../../src/census/census.js";
import { languageOf } from "../../src/patch/lex.js";
import { TestRepo } from "../history/test-repo.js";

const FILES = [
  "Makefile",
  "top.c",
  "README",
  "arch/x86/Makefile",
  "arch/x86/Makefile.postlink",
  "arch/x86/Kconfig",
  "arch/x86/kernel/setup.c",
  "arch/x86/include/asm/xen.h",
  "arch/x86/boot/head.S",
  "arch/x86/boot/low.s",
  "arch/x86/kernel/vmlinux.lds.S",
  "arch/x86/dts/board.dts",
  "arch/x86/dts/board.dtsi",
  "arch/x86/Kbuild",
  "arch/x86/boot/rules.mk",
  "arch/x86/notes.txt",
  "arch/x86-64/other.c",
  "drivers/we[ir]d/a.c",
  "drivers/we[ir]d/a.txt",
  "drivers/weid/b.c",
  "drivers/star*/c.c",
  "drivers/starry/d.c",
  "drivers/q?/e.h",
  "drivers/qq/f.h",
  "lib/one.c",
];

let repo: TestRepo;
beforeAll(() => {
  repo = new TestRepo("patchwarden-counted-");
  repo.commit("tree", "2021-01-01T00:00:00Z", Object.fromEntries(FILES.map((f) => [f, "text\n"])));
});
afterAll(() => repo.remove());

/** What git grep reads for these pathspecs, as the census runs it. */
function read(paths: string[]): string[] {
  const out = repo.git(["--glob-pathspecs", "grep", "-l", "-z", "-e", "text", "HEAD", "--", ...countedPathspecs(paths)]);
  return out
    .split("\0")
    .filter((l) => l !== "")
    .map((l) => l.slice("HEAD:".length))
    .sort();
}

const counted = (f: string) => ["c", "asm", "make"].includes(languageOf(f));

describe("countedPathspecs, read by git grep", () => {
  it("over the whole tree: every C, assembly and make file, nothing else", () => {
    expect(read([])).toEqual(FILES.filter(counted).sort());
    expect(read([])).not.toContain("arch/x86/dts/board.dts");
    expect(read([])).not.toContain("arch/x86/Kconfig");
  });

  it("under a directory: its counted files at any depth, not a sibling's that shares the prefix", () => {
    expect(read(["arch/x86"])).toEqual(
      [
        "arch/x86/Kbuild",
        "arch/x86/Makefile",
        "arch/x86/Makefile.postlink",
        "arch/x86/boot/head.S",
        "arch/x86/boot/low.s",
        "arch/x86/boot/rules.mk",
        "arch/x86/include/asm/xen.h",
        "arch/x86/kernel/setup.c",
        "arch/x86/kernel/vmlinux.lds.S",
      ].sort(),
    );
  });

  it("takes glob characters in a path literally", () => {
    expect(read(["drivers/we[ir]d"])).toEqual(["drivers/we[ir]d/a.c"]);
    expect(read(["drivers/star*"])).toEqual(["drivers/star*/c.c"]);
    expect(read(["drivers/q?"])).toEqual(["drivers/q?/e.h"]);
  });

  it('"." is the files at the top of the tree, as directoryOf names their directory', () => {
    expect(read(["."])).toEqual(["Makefile", "top.c"]);
  });

  it("a path that is a counted file is read itself", () => {
    expect(read(["arch/x86/kernel/setup.c", "lib"])).toEqual(["arch/x86/kernel/setup.c", "lib/one.c"]);
  });
});
