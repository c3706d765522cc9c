import { describe, expect, it } from "@jest/globals";
import { directoryOf, isUnder, normalizeTreePath, topCounts, topLevelDir } from "../../src/history/dirs.js";
import { logParser, unquotePath, type LogCommit } from "../../src/history/log-parse.js";
import { sprawlTally, type SprawlOptions } from "../../src/history/sprawl.js";

const parse = (text: string): LogCommit[] => {
  const out: LogCommit[] = [];
  const p = logParser((c) => out.push(c));
  for (const line of text.split("\n")) p.line(line);
  p.end();
  return out;
};

describe("log parsing", () => {
  it("splits git log --name-only output into commits at the \\x01 header", () => {
    const text = "\x01aaa first one\n\narch/x86/kvm/x86.c\nmm/memory.c\n\x01bbb second: with  spaces\n\nREADME\n\x01ccc\n";
    expect(parse(text)).toEqual([
      { hash: "aaa", subject: "first one", files: ["arch/x86/kvm/x86.c", "mm/memory.c"] },
      { hash: "bbb", subject: "second: with  spaces", files: ["README"] },
      { hash: "ccc", subject: "", files: [] },
    ]);
  });

  it("ignores lines before the first header and has nothing to flush when empty", () => {
    expect(parse("stray\n")).toEqual([]);
    expect(parse("")).toEqual([]);
  });

  it("unquotes C-style quoted paths, octal escapes as UTF-8 bytes", () => {
    expect(unquotePath('"a/q\\"x"')).toBe('a/q"x');
    expect(unquotePath('"a/\\303\\251.c"')).toBe("a/é.c");
    expect(unquotePath('"tab\\there\\\\n\\n"')).toBe("tab\there\\n\n");
    expect(unquotePath("plain/é.c")).toBe("plain/é.c");
    expect(unquotePath('"')).toBe('"');
  });
});

describe("path helpers", () => {
  it("groups by the first components of the directory", () => {
    expect(directoryOf("arch/x86/include/asm/kvm_host.h", 3)).toBe("arch/x86/include");
    expect(directoryOf("arch/x86/include/asm/kvm_host.h", 2)).toBe("arch/x86");
    expect(directoryOf("mm/memory.c", 3)).toBe("mm");
    expect(directoryOf("MAINTAINERS", 3)).toBe(".");
    expect(topLevelDir("mm/memory.c")).toBe("mm");
    expect(topLevelDir("MAINTAINERS")).toBeNull();
  });

  it("matches a directory as a whole component, not as a prefix of a name", () => {
    expect(isUnder("arch/x86/kvm/x86.c", "arch/x86/kvm")).toBe(true);
    expect(isUnder("arch/x86/kvm", "arch/x86/kvm")).toBe(true);
    expect(isUnder("arch/x86/kvm_host.h", "arch/x86/kvm")).toBe(false);
  });

  it("normalises a PATH argument and refuses what is not in the tree", () => {
    expect(normalizeTreePath("./arch//x86/kvm/")).toBe("arch/x86/kvm");
    expect(normalizeTreePath("/etc")).toBeNull();
    expect(normalizeTreePath("a/../b")).toBeNull();
    expect(normalizeTreePath("./")).toBeNull();
  });
});

describe("sprawl tally", () => {
  const opts: SprawlOptions = { paths: ["arch/x86/kvm", "virt"], treewideFiles: 4, treewideDirs: 3, depth: 2, top: 2 };
  const c = (hash: string, files: string[]): LogCommit => ({ hash, subject: `s ${hash}`, files });

  it("counts each path's commits and files and leaves treewide commits out", () => {
    const t = sprawlTally(opts);
    t.add(c("1", ["arch/x86/kvm/x86.c", "virt/kvm/kvm_main.c", "include/linux/kvm_host.h"])); // both paths
    t.add(c("2", ["arch/x86/kvm/mmu.c", "arch/x86/kvm/x86.c"])); // kvm only, nothing outside
    t.add(c("3", ["arch/x86/kvm/a.c", "b/1", "b/2", "b/3", "b/4"])); // 5 files > 4: treewide
    t.add(c("4", ["virt/x.c", "mm/a.c", "fs/b.c", "block/c.c"])); // 4 top-level dirs > 3: treewide
    t.add(c("5", ["mm/only.c"])); // neither path (git would not print it)
    const r = t.report();
    expect(r.commitsRead).toBe(5);
    expect(r.columns[0]).toEqual({
      path: "arch/x86/kvm",
      commits: 2,
      commitsReachingOutside: 1,
      filesInside: 3,
      filesOutside: 2,
      share: 0.4,
      topOutside: [
        { dir: "include/linux", files: 1 },
        { dir: "virt/kvm", files: 1 },
      ],
      treewide: { commits: 1, files: 5 },
    });
    expect(r.columns[1]).toMatchObject({ commits: 1, filesInside: 1, filesOutside: 2, share: 0.6667, treewide: { commits: 1, files: 4 } });
    expect(r.treewide.map((x) => [x.hash, x.files, x.topLevelDirs, x.paths])).toEqual([
      ["3", 5, 2, ["arch/x86/kvm"]],
      ["4", 4, 4, ["virt"]],
    ]);
  });

  it("does not count the top-level files (MAINTAINERS) as directories", () => {
    const t = sprawlTally(opts);
    t.add(c("1", ["virt/a.c", "MAINTAINERS", "Makefile"]));
    expect(t.report().columns[1]).toMatchObject({ commits: 1, filesOutside: 2, topOutside: [{ dir: ".", files: 2 }], treewide: { commits: 0 } });
  });

  it("ranks counts, ties by name", () => {
    expect(
      topCounts(
        new Map([
          ["b", 2],
          ["a", 2],
          ["c", 5],
          ["d", 1],
        ]),
        3,
      ),
    ).toEqual([
      ["c", 5],
      ["a", 2],
      ["b", 2],
    ]);
  });
});
