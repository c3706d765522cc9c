import { describe, expect, it } from "@jest/globals";
import { batchParser } from "../../src/census/git-tree.js";
import { mergeConfig, parseConfigText } from "../../src/config/load.js";
import { census, censusFileFilter, fileCodeLines, literalPrefix, locationsInFile, prefilterStrings } from "../../src/census/census.js";
import { LINUX_DEFAULTS } from "../../src/config/defaults.js";
import { OWN, TREE } from "./fixtures.js";

const files = Object.entries(TREE).map(([path, f]) => ({ path, text: f.text }));
const expected = (own: boolean) =>
  Object.entries(TREE)
    .filter(([path]) => own || !OWN.has(path))
    .flatMap(([path, f]) => f.expect.map(([line, hypervisor, token]) => ({ path, line, hypervisor, token })))
    .sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : a.line - b.line));

describe("census over (path, text) pairs", () => {
  it("finds each conditional once per line and hypervisor, not in comments, strings, definitions or assignments", () => {
    const r = census(files, LINUX_DEFAULTS, { all: false, depth: 3 });
    expect(r.locations.map(({ path, line, hypervisor, token }) => ({ path, line, hypervisor, token }))).toEqual(expected(false));
    expect(r.locations.every((l) => !l.own)).toBe(true);
    expect(r.scope).toBe("special-case");
    expect(r.filesRead).toBe(5); // in scope, C/asm/make, not own
  });

  it("counts per hypervisor and per directory", () => {
    const r = census(files, LINUX_DEFAULTS, { all: false, depth: 3 });
    expect(r.hypervisors.map((h) => [h.id, h.count, h.own])).toEqual([
      ["xen", 8, 0],
      ["kvm", 1, 0],
      ["hyperv", 1, 0],
      ["vmware", 0, 0],
      ["acrn", 0, 0],
      ["jailhouse", 0, 0],
      ["generic", 1, 0],
    ]);
    expect(r.directories).toEqual([
      { dir: "arch/x86/kernel", total: 7, byHypervisor: { xen: 4, kvm: 1, generic: 1, hyperv: 1 } },
      { dir: "mm", total: 2, byHypervisor: { xen: 2 } },
      { dir: "arch/x86", total: 1, byHypervisor: { xen: 1 } },
      { dir: "arch/x86/entry", total: 1, byHypervisor: { xen: 1 } },
    ]);
    expect(census(files, LINUX_DEFAULTS, { all: false, depth: 1 }).directories).toEqual([
      { dir: "arch", total: 9, byHypervisor: { xen: 6, kvm: 1, generic: 1, hyperv: 1 } },
      { dir: "mm", total: 2, byHypervisor: { xen: 2 } },
    ]);
  });

  it("with all, also counts in the hypervisors' own directories and marks them", () => {
    const r = census(files, LINUX_DEFAULTS, { all: true, depth: 3 });
    expect(r.locations.map(({ path, line, hypervisor, token }) => ({ path, line, hypervisor, token }))).toEqual(expected(true));
    expect(r.locations.filter((l) => l.own).map((l) => l.path)).toEqual(["arch/x86/kernel/kvm.c", "arch/x86/xen/enlighten.c"]);
    expect(r.hypervisors.find((h) => h.id === "xen")).toMatchObject({ count: 9, own: 1 });
    expect(r.hypervisors.find((h) => h.id === "kvm")).toMatchObject({ count: 2, own: 1 });
  });

  it("chooses files by language, scope and ownership before reading them", () => {
    const f = censusFileFilter(LINUX_DEFAULTS, { all: false });
    expect(["arch/x86/kernel/setup.c", "arch/x86/Makefile", "arch/x86/entry/entry_64.S", "include/linux/mm.h"].every(f)).toBe(true);
    expect(["arch/x86/xen/enlighten.c", "drivers/net/ethernet/foo.c", "tools/foo.c", "arch/x86/Kconfig", "arch/x86/kernel/notes.txt"].some(f)).toBe(false);
    expect(censusFileFilter(LINUX_DEFAULTS, { all: true })("arch/x86/xen/enlighten.c")).toBe(true);
    const under = censusFileFilter(LINUX_DEFAULTS, { all: false }, ["mm"]);
    expect([under("mm/memory.c"), under("mmx/a.c"), under("arch/x86/kernel/setup.c")]).toEqual([true, false, false]);
  });

  it('takes "." (directoryOf\'s name for the top of the tree) as the files at the top, where the scope has them', () => {
    const everywhere = { ...LINUX_DEFAULTS, specialCaseScope: ["**"], specialCaseExclude: [] };
    const top = censusFileFilter(everywhere, { all: false }, ["."]);
    expect(["Makefile", "init.c", "arch/x86/kernel/setup.c", "README"].map(top)).toEqual([true, true, false, false]);
  });
});

describe("whole-file lines", () => {
  it("never starts a file inside a comment, even when a */ comes first", () => {
    // lexSnippet alone would guess this snippet continues a comment.
    const text = "#ifdef CONFIG_XEN // closes */ nothing\nint x;\n#endif\n";
    expect(locationsInFile("mm/a.c", text, LINUX_DEFAULTS).map((l) => l.line)).toEqual([1]);
  });

  it("carries the statement across continuation lines and cuts it at a directive", () => {
    const lines = fileCodeLines("#if defined(A) || \\\n    defined(CONFIG_XEN)\nint y = 1 +\n  2;\n", "c");
    expect(lines.map((l) => [l.line, l.before.trim()])).toEqual([
      [1, ""],
      [2, "#if defined(A) ||"],
      [3, ""],
      [4, "int y = 1 +"],
    ]);
    expect(locationsInFile("mm/a.c", "#if defined(A) || \\\n    defined(CONFIG_XEN)\n#endif\n", LINUX_DEFAULTS).map((l) => l.line)).toEqual([2]);
  });

  it("numbers lines from 1 and copes with a missing final newline and an empty file", () => {
    expect(fileCodeLines("a;\n\nb;", "c").map((l) => l.line)).toEqual([1, 3]);
    expect(fileCodeLines("", "c")).toEqual([]);
  });
});

describe("git grep pre-filter", () => {
  it("takes the literal start of each token pattern", () => {
    expect(literalPrefix("CONFIG_XEN\\w*")).toBe("CONFIG_XEN");
    expect(literalPrefix("CONFIG_PVH")).toBe("CONFIG_PVH");
    expect(literalPrefix("CONFIG_XENX?")).toBe("CONFIG_XEN");
    expect(literalPrefix("CONFIG_(A|B)")).toBeNull();
    expect(literalPrefix("\\w+")).toBeNull();
  });

  it("looks past a leading lookbehind (the U-Boot preset's CONFIG_IS_ENABLED(XEN)), so its files are still pre-filtered", () => {
    expect(literalPrefix("(?<=CONFIG_IS_ENABLED\\()XEN\\w*")).toBe("XEN");
    expect(literalPrefix("(?<=a(b))X")).toBeNull();
    expect(literalPrefix("(?<=a")).toBeNull();
    const uboot = mergeConfig(parseConfigText("extends: u-boot\n", "u-boot.yml"));
    expect(prefilterStrings(uboot)).toEqual(expect.arrayContaining(["XEN", "CONFIG_XEN"]));
  });

  it("lists strings every Linux hypervisor token contains", () => {
    const s = prefilterStrings(LINUX_DEFAULTS)!;
    expect(s).toEqual(expect.arrayContaining(["xen_pv_domain", "CONFIG_XEN", "CONFIG_KVM_CLOCK", "CONFIG_HYPERV", "X86_FEATURE_XENPV", "X86_HYPER_KVM", "EFI_PARAVIRT"]));
    // every located token contains one of them
    for (const l of census(files, LINUX_DEFAULTS, { all: true, depth: 3 }).locations) expect(s.some((x) => l.token.includes(x))).toBe(true);
  });

  it("gives up (reads everything) when a pattern has no literal start", () => {
    const config = { ...LINUX_DEFAULTS, hypervisors: [{ ...LINUX_DEFAULTS.hypervisors[0]!, configSymbols: ["CONFIG_(XEN|PVH)"] }] };
    expect(prefilterStrings(config)).toBeNull();
  });
});

describe("cat-file --batch parsing", () => {
  const out = Buffer.from("aaa blob 5\nhello\nbbb missing\nccc blob 0\n\nddd blob 3\nx\ny\n");

  it("splits objects however the output is chunked", () => {
    for (const size of [1, 2, 3, 7, out.length]) {
      const got: [string, string | null][] = [];
      const push = batchParser((oid, body) => got.push([oid, body === null ? null : body.toString()]));
      for (let k = 0; k < out.length; k += size) push(out.subarray(k, k + size));
      expect(got).toEqual([
        ["aaa", "hello"],
        ["bbb", null],
        ["ccc", ""],
        ["ddd", "x\ny"],
      ]);
    }
  });
});
