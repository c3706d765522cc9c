import { describe, expect, it } from "@jest/globals";
import fc from "fast-check";
import { buildMatcher, directoriesOf, matchesSection } from "../../src/maintainers/match.js";
import { parseMaintainers } from "../../src/maintainers/parse.js";
import { EXCERPT } from "./fixtures.js";

const file = parseMaintainers(EXCERPT, "MAINTAINERS");
const matcher = buildMatcher(file);
const ranked = (path: string): Array<[string, number]> =>
  matcher.subsystemsFor(path).map((m) => [m.name, m.specificity]);
const names = (path: string): string[] => matcher.subsystemsFor(path).map((m) => m.name);
const section = (title: string) => file.sections.find((s) => s.title === title)!;

describe("F: patterns", () => {
  it("a directory pattern covers the whole tree below it", () => {
    expect(names("mm/slub.c")).toEqual(["MEMORY MANAGEMENT", "THE REST"]);
    expect(names("drivers/acpi/acpica/deeper/still.c")).toContain("ACPI");
  });

  it("a file pattern names one file (and, as in get_maintainer.pl, any name it prefixes)", () => {
    expect(names("include/linux/mm.h")).toContain("MEMORY MANAGEMENT");
    expect(names("include/linux/mm_types.h")).not.toContain("MEMORY MANAGEMENT");
    expect(names("include/linux/mm.h.orig")).toContain("MEMORY MANAGEMENT");
    expect(names("include/linux/mm.h/not-a-dir.c")).toContain("MEMORY MANAGEMENT"); // read as a directory
  });

  it("a glob stays within one path component", () => {
    expect(ranked("drivers/acpi/thermal.c").slice(0, 2)).toEqual([
      ["ACPI THERMAL DRIVER", 3],
      ["ACPI", 2],
    ]);
    expect(names("drivers/acpi/sub/thermal.c")).not.toContain("ACPI THERMAL DRIVER");
    expect(ranked("drivers/pci/pci-acpi.c")[0]).toEqual(["ACPI", 3]);
    expect(ranked("drivers/pci/hotplug/acpiphp_core.c")[0]).toEqual(["ACPI", 4]);
    expect(names("drivers/pci/probe.c")).toEqual(["THE REST"]);
  });

  it("`**` spans directories", () => {
    expect(names("fs/ext4/notes.rst")).toContain("FILESYSTEM DOCS");
    expect(names("fs/a/b/c/notes.rst")).toContain("FILESYSTEM DOCS");
    expect(names("fs/ext4/inode.c")).not.toContain("FILESYSTEM DOCS");
  });

  it("a glob-free pattern without a trailing slash also reads as a directory", () => {
    expect(ranked("drivers/acpi/arm64/iort.c").slice(0, 2)).toEqual([
      ["ACPI FOR ARM64 (ACPI/arm64)", 3],
      ["ACPI", 2],
    ]);
    expect(names("drivers/acpi/arm64x/iort.c")).not.toContain("ACPI FOR ARM64 (ACPI/arm64)");
  });

  it("THE REST's `*` and `*/` catch everything, ranked last", () => {
    expect(ranked("Makefile")).toEqual([["THE REST", -1]]);
    expect(ranked("virt/lib/irqbypass.c")).toEqual([["THE REST", -1]]);
  });

  it("normalises ./ and a leading slash; an empty path has no subsystem", () => {
    expect(names("./mm/slub.c")).toEqual(names("mm/slub.c"));
    expect(names("/mm/slub.c")).toEqual(names("mm/slub.c"));
    expect(names("")).toEqual([]);
  });
});

describe("X: exclusions", () => {
  it("drop the section for paths under an excluded directory", () => {
    expect(names("mm/kasan/common.c")).toEqual(["THE REST"]);
    expect(names("arch/x86/boot/dts/ce4100.dts")).not.toContain("X86 ARCHITECTURE (32-BIT AND 64-BIT)");
    expect(names("arch/x86/boot/compressed/head_64.S")).toContain("X86 ARCHITECTURE (32-BIT AND 64-BIT)");
  });

  it("take glob patterns too, and leave other sections alone", () => {
    expect(names("arch/x86/kvm/xen.c")).toEqual([
      "KVM XEN EMULATION",
      "X86 ARCHITECTURE (32-BIT AND 64-BIT)",
      "THE REST",
    ]);
    expect(names("arch/x86/kvm/x86.c")[0]).toBe("KERNEL VIRTUAL MACHINE FOR X86 (KVM/x86)");
  });

  it("exclude N: matches as well", () => {
    const f = parseMaintainers("TEGRA\nN:\ttegra\nX:\tdrivers/staging/\n", "t");
    const m = buildMatcher(f);
    expect(m.subsystemsFor("drivers/gpu/tegra/dc.c")).toHaveLength(1);
    expect(m.subsystemsFor("drivers/staging/tegra/x.c")).toEqual([]);
  });

  it("take a glob in a directory name", () => {
    const text = "ABI/API\nF:\tinclude/linux/syscalls.h\nF:\tinclude/\nX:\tarch/*/include/uapi/\nF:\tarch/\n";
    const m = buildMatcher(parseMaintainers(text, "t"));
    expect(m.subsystemsFor("arch/x86/include/uapi/asm/kvm.h")).toEqual([]);
    expect(m.subsystemsFor("arch/x86/include/asm/kvm_host.h")).toHaveLength(1);
  });

  it("real MAINTAINERS carves xen/ and kvm/ out of X86 ARCHITECTURE", () => {
    const text = [
      "XEN HYPERVISOR X86",
      "F:\tarch/x86/xen/",
      "",
      "X86 ARCHITECTURE (32-BIT AND 64-BIT)",
      "F:\tarch/x86/",
      "X:\tarch/x86/kvm/",
      "X:\tarch/x86/xen/",
    ].join("\n");
    const m = buildMatcher(parseMaintainers(text, "t"));
    expect(m.subsystemsFor("arch/x86/xen/enlighten.c").map((s) => s.name)).toEqual(["XEN HYPERVISOR X86"]);
    expect(m.subsystemsFor("arch/x86/kernel/setup.c").map((s) => s.name)).toEqual([
      "X86 ARCHITECTURE (32-BIT AND 64-BIT)",
    ]);
  });
});

describe("N: regexes", () => {
  it("match anywhere in the path, at specificity 0", () => {
    const tegra = "ARM/NVIDIA TEGRA ARCHITECTURE";
    expect(ranked("arch/arm/mach-tegra/pm.c")).toContainEqual([tegra, 0]);
    expect(names("drivers/integrator/core.c")).not.toContain(tegra);
    expect(ranked("drivers/media/cec/platform/tegra/tegra_cec.c").slice(0, 2)).toEqual([
      ["ARM/TEGRA HDMI CEC SUBSYSTEM SUPPORT", 5],
      [tegra, 0],
    ]);
  });

  it("are read in Perl /x style: whitespace and # comments ignored", () => {
    const m = buildMatcher(parseMaintainers("FOO\nN:\tfoo _ bar  # the foo_bar driver\n", "t"));
    expect(m.subsystemsFor("drivers/misc/foo_bar.c")).toHaveLength(1);
  });

  it("give the same answers when there are more than fit behind one gate", () => {
    // 40 regexes: several gated groups, plus ones that cannot be joined (flag, backreference).
    const words = Array.from({ length: 40 }, (_, i) => `w${i}x`);
    const text = words
      .map((w, i) => `S${i}\nN:\t${i % 10 === 0 ? `(?i)${w.toUpperCase()}` : i % 10 === 1 ? `(${w})/\\1` : `[^a-z]${w}`}`)
      .join("\n\n");
    const f = parseMaintainers(text, "t");
    expect(f.warnings).toEqual([]);
    const m = buildMatcher(f);
    for (const path of ["drivers/w3x/a.c", "w0x/w1x/w1x/b.c", "x/w39x-w20x.c", "lib/none.c", "a/w10x/w11x/w11x/w12x"]) {
      const expected = f.sections.filter((s) => matchesSection(s, path)).map((s) => s.title);
      expect(m.subsystemsFor(path).map((r) => r.name)).toEqual(expected);
      expect(expected.length > 0).toBe(path !== "lib/none.c");
    }
  });

  it("a malformed one is skipped, not fatal", () => {
    const f = parseMaintainers("BAD\nN:\t(unclosed\nF:\tbad/\n", "t");
    expect(buildMatcher(f).subsystemsFor("bad/x.c").map((m) => m.patternKind)).toEqual(["F"]);
  });
});

describe("ranking", () => {
  it("puts the Xen entry before the x86 one for arch/x86/xen/", () => {
    const got = matcher.subsystemsFor("arch/x86/xen/enlighten_pv.c");
    expect(got.map((m) => [m.name, m.pattern, m.specificity, m.exact])).toEqual([
      ["XEN HYPERVISOR X86", "arch/x86/xen/", 3, true],
      ["X86 ARCHITECTURE (32-BIT AND 64-BIT)", "arch/x86/", 2, false],
      ["THE REST", "*/", -1, false],
    ]);
    expect(got[0]!.section).toBe(section("XEN HYPERVISOR X86"));
    expect(got[0]!.source).toBe("maintainers");
  });

  it("an exact file pattern beats the directory it is in", () => {
    const text = "DIR\nF:\tinclude/linux/\n\nFILE\nF:\tinclude/linux/hyperv.h\n";
    const m = buildMatcher(parseMaintainers(text, "t"));
    expect(m.subsystemsFor("include/linux/hyperv.h").map((s) => [s.name, s.specificity])).toEqual([
      ["FILE", 3],
      ["DIR", 2],
    ]);
  });

  it("keeps a section's deepest matching pattern", () => {
    const got = matcher.subsystemsFor("arch/x86/include/asm/xen/hypercall.h");
    expect(got[0]).toMatchObject({ name: "XEN HYPERVISOR X86", pattern: "arch/x86/include/asm/xen/", specificity: 5 });
  });

  it("breaks ties by file order", () => {
    const text = "B SECOND\nF:\tlib/\n\nA FIRST\nF:\tlib/\n";
    expect(buildMatcher(parseMaintainers(text, "t")).subsystemsFor("lib/sort.c").map((s) => s.name)).toEqual([
      "B SECOND",
      "A FIRST",
    ]);
  });
});

describe("directoriesOf", () => {
  it("lists the directory patterns, folding nested ones and ignoring files", () => {
    expect(directoriesOf(section("XEN HYPERVISOR X86"))).toEqual(["arch/x86/include/asm/xen/", "arch/x86/xen/"]);
    expect(directoriesOf(section("X86 ARCHITECTURE (32-BIT AND 64-BIT)"))).toEqual([
      "Documentation/arch/x86/",
      "arch/x86/",
    ]);
    expect(directoriesOf(section("ACPI"))).toEqual(["drivers/acpi/"]);
    expect(directoriesOf(section("ACPI THERMAL DRIVER"))).toEqual([]);
    const f = parseMaintainers("A\nF:\tnet/\nF:\tnet/ipv4/\nF:\tdrivers/net/ethernet/intel/*\n", "t");
    expect(directoriesOf(f.sections[0]!)).toEqual(["drivers/net/ethernet/intel/", "net/"]);
  });

  it("is what a match carries", () => {
    expect(matcher.subsystemsFor("arch/x86/xen/mmu.c")[0]!.directories).toEqual([
      "arch/x86/include/asm/xen/",
      "arch/x86/xen/",
    ]);
  });
});

describe("the index agrees with a scan of every section", () => {
  // Small alphabets so generated patterns and paths collide often.
  const comp = fc.constantFrom("a", "b", "ab", "x86", "xen", "a.c", "b.h");
  const globComp = fc.oneof(comp, fc.constantFrom("*", "a*", "*b*", "?b", "**", "[ab]"));
  const pattern = fc
    .tuple(fc.array(globComp, { minLength: 1, maxLength: 4 }), fc.boolean())
    .map(([parts, dir]) => parts.join("/") + (dir ? "/" : ""));
  const regex = fc.constantFrom("xen", "[^a-z]b", "^a/", "\\.h$", "(", "x8?6", "(a|b)/x", "a|xen", "(?i)XEN", "(a)\\1", "b+\\b", "(?<n>a)/");
  const sectionText = fc
    .record({
      f: fc.array(pattern, { maxLength: 4 }),
      x: fc.array(pattern, { maxLength: 2 }),
      n: fc.array(regex, { maxLength: 2 }),
    })
    .map(({ f, x, n }, ) => [...f.map((v) => `F:\t${v}`), ...x.map((v) => `X:\t${v}`), ...n.map((v) => `N:\t${v}`)]);
  const path = fc.array(comp, { minLength: 1, maxLength: 5 }).map((p) => p.join("/"));

  it("for random files and paths", () => {
    fc.assert(
      fc.property(fc.array(sectionText, { minLength: 1, maxLength: 6 }), fc.array(path, { maxLength: 8 }), (secs, paths) => {
        const text = secs.map((lines, i) => [`S${i}`, ...lines].join("\n")).join("\n\n");
        const f = parseMaintainers(text, "gen");
        const m = buildMatcher(f);
        for (const p of paths) {
          const expected = f.sections
            .map((s) => ({ s, hit: matchesSection(s, p) }))
            .filter((e) => e.hit !== null)
            .map((e) => [e.s.title, e.hit!.depth] as const)
            .sort((a, b) => b[1] - a[1] || Number(a[0].slice(1)) - Number(b[0].slice(1)));
          expect(m.subsystemsFor(p).map((r) => [r.name, r.specificity])).toEqual(expected);
        }
      }),
      { numRuns: 400 },
    );
  });
});
