import { describe, expect, it } from "@jest/globals";
import fc from "fast-check";
import { languageOf, lexSnippet, startsInsideComment } from "../../src/patch/lex.js";

/** As many spaces as `s` has characters. */
function sp(s: string): string {
  return " ".repeat(s.length);
}

function codes(texts: string[], lang: Parameters<typeof lexSnippet>[1] = "c"): string[] {
  return lexSnippet(texts, lang).map((l) => l.code);
}

describe("languageOf", () => {
  it("maps kernel file names to languages", () => {
    expect(languageOf("arch/x86/xen/enlighten_pv.c")).toBe("c");
    expect(languageOf("include/xen/xen.h")).toBe("c");
    expect(languageOf("arch/x86/xen/xen-asm.S")).toBe("asm");
    expect(languageOf("arch/x86/kernel/vmlinux.lds.S")).toBe("asm");
    expect(languageOf("arch/x86/boot/foo.s")).toBe("asm");
    expect(languageOf("arch/x86/xen/Kconfig")).toBe("kconfig");
    expect(languageOf("arch/x86/Kconfig.debug")).toBe("kconfig");
    expect(languageOf("drivers/xen/Makefile")).toBe("make");
    expect(languageOf("drivers/xen/Kbuild")).toBe("make");
    expect(languageOf("scripts/Makefile.lib")).toBe("make");
    expect(languageOf("tools/build/feature.mk")).toBe("make");
    expect(languageOf("Documentation/x.rst")).toBe("other");
    expect(languageOf("drivers/xen/x.c.orig")).toBe("other");
    expect(languageOf("")).toBe("other");
  });
});

describe("C comments", () => {
  it("blanks a // comment to the end of the line", () => {
    const [l] = lexSnippet(["\tif (xen_pv_domain()) // was xen_domain()"], "c");
    expect(l!.code).toBe("\tif (xen_pv_domain()) " + " ".repeat("// was xen_domain()".length));
    expect(l!.commentOnly).toBe(false);
  });

  it("blanks a one-line block comment and keeps code around it", () => {
    expect(codes(["a = /* xen_pv_domain() */ b;"])).toEqual([`a = ${sp("/* xen_pv_domain() */")} b;`]);
  });

  it("marks comment-only lines", () => {
    const ls = lexSnippet(["/* only a comment */", "// also", "   ", "x; /* not only */"], "c");
    expect(ls.map((l) => l.commentOnly)).toEqual([true, true, false, false]);
  });

  it("carries a block comment across lines", () => {
    const ls = lexSnippet(["int a; /* starts", " * xen_pv_domain()", " ends */ int b;", "int c;"], "c");
    expect(ls.map((l) => l.code)).toEqual([`int a; ${sp("/* starts")}`, sp(" * xen_pv_domain()"), `${sp(" ends */")} int b;`, "int c;"]);
    expect(ls.map((l) => l.commentOnly)).toEqual([false, true, false, false]);
  });

  it("treats a snippet that closes a comment first as starting inside one", () => {
    const texts = [" * if (xen_pv_domain())", " * is what this does", " */", "static int x;"];
    expect(startsInsideComment(texts)).toBe(true);
    const ls = lexSnippet(texts, "c");
    expect(ls.map((l) => l.code.trim())).toEqual(["", "", "", "static int x;"]);
    expect(ls.map((l) => l.commentOnly)).toEqual([true, true, true, false]);
  });

  it("does not think a snippet starts inside a comment when it opens one first", () => {
    expect(startsInsideComment(["int a;", "/* x */"])).toBe(false);
    expect(startsInsideComment(["int a;"])).toBe(false);
    expect(startsInsideComment([])).toBe(false);
    expect(startsInsideComment(["x", "/* a */ b */"])).toBe(false);
  });

  it("ignores // inside a block comment and /* inside a // comment", () => {
    expect(codes(["/* a // b */ c; // d /* e", "f;"])).toEqual([`${sp("/* a // b */")} c; ${sp("// d /* e")}`, "f;"]);
  });

  it("treats asm like C", () => {
    expect(codes(["\tmovq %rax, %rbx /* xen */", "# 1 comment? no: a directive"], "asm")).toEqual([
      "\tmovq %rax, %rbx          ",
      "# 1 comment? no: a directive",
    ]);
  });
});

describe("C strings and character literals", () => {
  it("empties strings but keeps the quotes and the columns", () => {
    const [l] = lexSnippet(['\tpr_info("xen_pv_domain() /* not a comment */\\n");'], "c");
    expect(l!.code).toBe(`\tpr_info("${" ".repeat('xen_pv_domain() /* not a comment */\\n'.length)}");`);
  });

  it("handles escaped quotes and char literals", () => {
    expect(codes(['s = "a\\"b"; c = \'"\'; d = \'\\\'\';'])).toEqual(['s = "    "; c = \' \'; d = \'  \';']);
  });

  it("keeps the column count for an unterminated string", () => {
    const t = 'x = "never closed';
    const [l] = lexSnippet([t], "c");
    expect(l!.code).toBe('x = "' + " ".repeat(12));
    expect(l!.code).toHaveLength(t.length);
  });

  it("does not start a comment inside a string", () => {
    expect(codes(['a = "/*"; b;', "c;"])).toEqual(['a = "  "; b;', "c;"]);
  });
});

describe("Kconfig and Makefile comments", () => {
  it("blanks # comments in Kconfig", () => {
    const ls = lexSnippet(["config XEN_PV", "\tdepends on X86_64 # && XEN", "# entirely a comment", '\tprompt "Xen # guest"'], "kconfig");
    expect(ls.map((l) => l.code)).toEqual(["config XEN_PV", `\tdepends on X86_64 ${sp("# && XEN")}`, sp("# entirely a comment"), `\tprompt "${sp("Xen # guest")}"`]);
    expect(ls.map((l) => l.commentOnly)).toEqual([false, false, true, false]);
  });

  it("blanks # comments in Makefiles but not escaped \\#", () => {
    const ls = lexSnippet(["obj-$(CONFIG_XEN) += xen.o # the driver", "X := a\\#b", "  # indented comment"], "make");
    expect(ls.map((l) => l.code)).toEqual([`obj-$(CONFIG_XEN) += xen.o ${sp("# the driver")}`, "X := a\\#b", sp("  # indented comment")]);
    expect(ls.map((l) => l.commentOnly)).toEqual([false, false, true]);
  });

  it("leaves other languages as they are", () => {
    expect(lexSnippet(["# heading", "/* x */"], "other")).toEqual([
      { code: "# heading", commentOnly: false },
      { code: "/* x */", commentOnly: false },
    ]);
  });
});

describe("properties", () => {
  const cChars = fc.constantFrom("a", "b", " ", "\t", "/", "*", '"', "'", "\\", "#", ";", "(", ")");
  it("keeps every line's length, and non-blank code characters where they were", () => {
    for (const lang of ["c", "asm", "kconfig", "make", "other"] as const) {
      fc.assert(
        fc.property(fc.array(fc.string({ unit: cChars, maxLength: 30 }), { maxLength: 8 }), (texts) => {
          const ls = lexSnippet(texts, lang);
          expect(ls).toHaveLength(texts.length);
          ls.forEach((l, k) => {
            expect(l.code).toHaveLength(texts[k]!.length);
            for (let c = 0; c < l.code.length; c++) if (l.code[c] !== " ") expect(l.code[c]).toBe(texts[k]![c]);
          });
        }),
        { numRuns: 300 },
      );
    }
  });
});
