import { describe, expect, it } from "@jest/globals";
import { parseMaintainers } from "../../src/maintainers/parse.js";
import { EXCERPT } from "./fixtures.js";

describe("parseMaintainers", () => {
  const file = parseMaintainers(EXCERPT, "MAINTAINERS");

  it("skips the preamble, indented examples included", () => {
    const titles = file.sections.map((s) => s.title);
    expect(titles[0]).toBe("ACPI");
    expect(titles).not.toContain("Maintainers List");
    expect(titles.some((t) => t.startsWith(".."))).toBe(false);
    expect(file.sections.every((s) => !s.files.includes("drivers/net/"))).toBe(true);
    expect(file.warnings).toEqual([]);
  });

  it("reads every kind of field into its place", () => {
    const x86 = file.sections.find((s) => s.title.startsWith("X86 ARCHITECTURE"))!;
    expect(x86).toMatchObject({
      maintainers: ["Lee Example <lee@example.org>", "x86@example.org"],
      statuses: ["Maintained"],
      trees: ["git git://example.org/tip.git x86/core"],
      profile: ["Documentation/process/maintainer-tip.rst"],
      files: ["Documentation/arch/x86/", "arch/x86/"],
      excludes: ["arch/x86/boot/dts/"],
    });
    const xen = file.sections.find((s) => s.title === "XEN HYPERVISOR X86")!;
    expect(xen.lists).toEqual(["xen-devel@example.org (moderated for non-subscribers)"]);
    const tegra = file.sections.find((s) => s.title.includes("NVIDIA TEGRA"))!;
    expect(tegra.regexes).toEqual(["[^a-z]tegra"]);
    expect(file.sections.map((s) => s.index)).toEqual(file.sections.map((_, i) => i));
  });

  it("takes spaces as well as tabs after the colon", () => {
    const docs = file.sections.find((s) => s.title === "FILESYSTEM DOCS")!;
    expect(docs.maintainers).toEqual(["Fay Example <fay@example.org>"]);
    expect(docs.files).toEqual(["fs/**/*.rst"]);
  });

  it("gives the same sections for CRLF text", () => {
    const crlf = parseMaintainers(EXCERPT.replace(/\n/g, "\r\n"), "MAINTAINERS");
    expect(crlf.sections).toEqual(file.sections);
  });

  it("records title lines, 1-based", () => {
    const lines = EXCERPT.split("\n");
    for (const s of file.sections) expect(lines[s.line - 1]).toBe(s.title);
  });

  it("keeps a blank line inside an entry from splitting it, as get_maintainer.pl does", () => {
    const f = parseMaintainers("FOO\nM:\ta@example.org\n\nF:\tfoo/\n\nBAR\nF:\tbar/\n", "t");
    expect(f.sections.map((s) => [s.title, s.files])).toEqual([
      ["FOO", ["foo/"]],
      ["BAR", ["bar/"]],
    ]);
  });

  it("warns about a malformed N: regex instead of throwing", () => {
    const f = parseMaintainers("BROKEN\nS:\tMaintained\nN:\tfoo(bar\nF:\tfoo/\n", "M2");
    expect(f.sections[0]!.regexes).toEqual(["foo(bar"]);
    expect(f.warnings).toHaveLength(1);
    expect(f.warnings[0]).toMatchObject({ source: "M2", line: 3 });
    expect(f.warnings[0]!.message).toMatch(/N: regex "foo\(bar" does not compile/);
  });

  it("reads an old-style field without its colon, and warns", () => {
    const f = parseMaintainers("DAC960 DRIVER\nP:\tSomeone\nM\tdmo@example.org\nS:\tMaintained\n", "old");
    expect(f.sections).toHaveLength(1);
    expect(f.sections[0]).toMatchObject({ maintainers: ["dmo@example.org"], profile: ["Someone"] });
    expect(f.warnings[0]).toMatchObject({ line: 3 });
  });

  it("warns about empty values, unknown tags and fields with no title", () => {
    const f = parseMaintainers("F:\torphan/\n\nFOO\nF:\nZ:\tzed\n# comment\nF:\tfoo/\n", "w");
    expect(f.sections.map((s) => [s.title, s.files])).toEqual([
      ["", ["orphan/"]],
      ["FOO", ["foo/"]],
    ]);
    expect(f.sections[1]!.other).toEqual([{ tag: "Z", value: "zed" }]);
    expect(f.warnings.map((w) => w.line)).toEqual([1, 4, 5]);
  });

  it("keeps a tab inside a title, and an N: among the F: lines", () => {
    const f = parseMaintainers("AD5446\tANALOG DEVICES DAC DRIVER\nF:\ta.c\nN:\tnl80211-.*\nF:\tb.c\n", "t");
    expect(f.sections[0]).toMatchObject({ title: "AD5446\tANALOG DEVICES DAC DRIVER", files: ["a.c", "b.c"], regexes: ["nl80211-.*"] });
  });

  it("reads an empty file as no sections", () => {
    expect(parseMaintainers("", "e")).toEqual({ source: "e", sections: [], warnings: [] });
  });
});
