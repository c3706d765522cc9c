import { describe, expect, it } from "@jest/globals";
import fc from "fast-check";
import { viewOf, type Condition, type FileView } from "../../src/patch/source-view.js";
import type { FileChange } from "../../src/patch/types.js";
import { fileWith, gitDiff, hunkHeader, onlyFile, text } from "./fixtures.js";

const BIG = 1 << 20;

function view(path: string, body: string[], start = 1, section = ""): FileView {
  return viewOf(fileWith(path, body, start, start, section), BIG);
}

/** kind and text of each condition, for compact assertions. */
function kt(cs: Condition[]): [string, string][] {
  return cs.map((c) => [c.kind, c.text]);
}

describe("C conditions", () => {
  const v = view("arch/x86/xen/enlighten.c", [
    " static int xen_foo(int x)",
    " {",
    " \tif (xen_pv_domain() &&",
    "+\t    x > 1)",
    " \t\treturn 1;",
    "+\twhile (x--)",
    "+\t\tfoo();",
    "+\ty = x ? a : b;",
    "+\treturn x == 3;",
    "+\tfor (i = 0; i < xen_nr_cpus; i++)",
    "+\t\tbar(i);",
    "+\tswitch (xen_domain_type) {",
    "+\tcase XEN_PV_DOMAIN:",
    "+\t\tbreak;",
    "+\t}",
    " }",
  ]);

  it("finds an if whose expression spans an added continuation line", () => {
    const cond = v.conditionsContaining(4);
    expect(cond).toEqual([{ kind: "if", text: "(xen_pv_domain() &&\n\t    x > 1)", startLine: 3, endLine: 4, bodyStart: 5, bodyEnd: 5 }]);
    expect(v.conditionsContaining(3)).toEqual(cond);
  });

  it("puts the branch under its if, and the condition lines not under it", () => {
    expect(kt(v.conditionsAround(5))).toEqual([["if", "(xen_pv_domain() &&\n\t    x > 1)"]]);
    expect(v.conditionsAround(3)).toEqual([]);
    expect(v.conditionsAround(4)).toEqual([]);
  });

  it("finds while, ternary, return, for and switch", () => {
    expect(v.conditionsContaining(6)).toEqual([{ kind: "while", text: "(x--)", startLine: 6, endLine: 6, bodyStart: 7, bodyEnd: 7 }]);
    expect(kt(v.conditionsAround(7))).toEqual([["while", "(x--)"]]);
    expect(v.conditionsContaining(8)).toEqual([{ kind: "ternary", text: "x", startLine: 8, endLine: 8, bodyStart: 8, bodyEnd: 8 }]);
    expect(v.conditionsContaining(9)).toEqual([{ kind: "return", text: "x == 3", startLine: 9, endLine: 9, bodyStart: 9, bodyEnd: 9 }]);
    expect(kt(v.conditionsContaining(5))).toEqual([["return", "1"]]);
    expect(kt(v.conditionsContaining(10))).toEqual([["for", "i < xen_nr_cpus"]]);
    expect(kt(v.conditionsAround(11))).toEqual([["for", "i < xen_nr_cpus"]]);
    expect(kt(v.conditionsContaining(12))).toEqual([["switch", "(xen_domain_type)"]]);
    expect(kt(v.conditionsAround(14))).toEqual([["switch", "(xen_domain_type)"]]);
  });

  it("has no conditions on plain lines", () => {
    expect(v.conditionsContaining(1)).toEqual([]);
    expect(v.conditionsAround(1)).toEqual([]);
    expect(v.conditionsContaining(16)).toEqual([]);
  });

  it("covers an else branch with the if", () => {
    const w = view("a.c", ["+\tif (xen_hvm_domain())", "+\t\ta();", "+\telse", "+\t\tb();"]);
    const c = w.conditionsContaining(1);
    expect(c).toEqual([{ kind: "if", text: "(xen_hvm_domain())", startLine: 1, endLine: 1, bodyStart: 2, bodyEnd: 4 }]);
    expect(kt(w.conditionsAround(4))).toEqual([["if", "(xen_hvm_domain())"]]);
  });

  it("lists nested C conditions outermost first", () => {
    const w = view("a.c", ["+\tif (a) {", "+\t\twhile (b) {", "+\t\t\tx = c ? 1 : 2;", "+\t\t}", "+\t}"]);
    expect(kt(w.conditionsAround(3))).toEqual([
      ["if", "(a)"],
      ["while", "(b)"],
    ]);
    expect(kt(w.conditionsContaining(3))).toEqual([["ternary", "c"]]);
  });

  it("ignores conditions in comments and strings", () => {
    const w = view("a.c", ['+\tpr_info("if (xen_pv_domain())");', "+\t/* while (xen_hvm_domain()) */", "+\tx = 1; // if (y)"]);
    for (const n of [1, 2, 3]) expect(w.conditionsContaining(n)).toEqual([]);
  });
});

describe("preprocessor conditions", () => {
  const body = [
    " \tint r;",
    " ",
    " #ifdef CONFIG_X86",
    " \tr = 1;",
    "+\tif (xen_pv_domain()) {",
    "+#if defined(CONFIG_XEN_PV) && \\",
    "+    defined(CONFIG_SMP)",
    "+\t\tfoo();",
    "+#elif IS_ENABLED(CONFIG_KVM)",
    "+\t\tbar();",
    "+#else",
    "+\t\tbaz();",
    "+#endif",
    "+\t}",
    " #endif",
    " \treturn r;",
    " }",
  ];
  const v = view("arch/x86/kernel/setup.c", body, 100, "static int __init setup_xen(struct foo *f)");

  it("sees an #ifdef opened in context lines above the added line", () => {
    const around = v.conditionsAround(104);
    expect(around).toEqual([{ kind: "#ifdef", text: "CONFIG_X86", startLine: 102, endLine: 102, bodyStart: 103, bodyEnd: 113 }]);
    expect(kt(v.conditionsContaining(102))).toEqual([["#ifdef", "CONFIG_X86"]]);
  });

  it("reads a #if continued over two lines as one condition", () => {
    const c = v.conditionsContaining(106);
    expect(c).toHaveLength(1);
    expect(c[0]).toMatchObject({ kind: "#if", startLine: 105, endLine: 106, bodyStart: 107, bodyEnd: 107 });
    expect(c[0]!.text).toMatch(/^defined\(CONFIG_XEN_PV\) &&\s+defined\(CONFIG_SMP\)$/);
    expect(v.conditionsContaining(105)).toEqual(c);
  });

  it("lists nested preprocessor and C conditions outermost first", () => {
    expect(v.conditionsAround(107).map((c) => c.kind)).toEqual(["#ifdef", "if", "#if"]);
    expect(kt(v.conditionsAround(109))).toEqual([
      ["#ifdef", "CONFIG_X86"],
      ["if", "(xen_pv_domain())"],
      ["#elif", "IS_ENABLED(CONFIG_KVM)"],
    ]);
  });

  it("gives #else the text of the branch it negates", () => {
    expect(v.conditionsContaining(110)).toEqual([{ kind: "#else", text: "IS_ENABLED(CONFIG_KVM)", startLine: 110, endLine: 110, bodyStart: 111, bodyEnd: 111 }]);
    expect(v.conditionsAround(111).map((c) => c.kind)).toEqual(["#ifdef", "if", "#else"]);
  });

  it("ends blocks at #endif", () => {
    expect(v.conditionsAround(112).map((c) => c.kind)).toEqual(["#ifdef", "if"]);
    expect(v.conditionsAround(113).map((c) => c.kind)).toEqual(["#ifdef", "if"]);
    expect(v.conditionsAround(114)).toEqual([]);
    expect(v.conditionsAround(115)).toEqual([]);
  });

  it("handles #ifndef, an unclosed block, and an #endif of a block opened above the hunk", () => {
    const w = view("include/xen/xen.h", [" #endif /* CONFIG_XEN */", " ", "+#ifndef CONFIG_XEN_PV", "+# define xen_pv_domain() 0", "+int x;"], 40);
    expect(w.conditionsContaining(40)).toEqual([]);
    expect(w.conditionsAround(41)).toEqual([]);
    expect(w.conditionsContaining(42)).toEqual([{ kind: "#ifndef", text: "CONFIG_XEN_PV", startLine: 42, endLine: 42, bodyStart: 43, bodyEnd: 44 }]);
    expect(kt(w.conditionsAround(44))).toEqual([["#ifndef", "CONFIG_XEN_PV"]]);
  });

  it("reads #elifdef/#elifndef and directives with spaces after #", () => {
    const w = view("a.h", ["+#  ifdef A", "+a;", "+#elifndef B", "+b;", "+#elifdef C", "+c;", "+#  endif"]);
    expect(kt(w.conditionsAround(2))).toEqual([["#ifdef", "A"]]);
    expect(kt(w.conditionsAround(4))).toEqual([["#elif", "!defined(B)"]]);
    expect(kt(w.conditionsAround(6))).toEqual([["#elif", "defined(C)"]]);
  });

  it("ignores directives in comments", () => {
    const w = view("a.c", ["+/*", "+#ifdef CONFIG_XEN", "+ */", "+int a;"]);
    expect(w.conditionsContaining(2)).toEqual([]);
    expect(w.conditionsAround(4)).toEqual([]);
  });

  it("tracks preprocessor conditions in assembly too", () => {
    const w = view("arch/x86/xen/xen-head.S", [" \tmov %rax, %rbx", "+#ifdef CONFIG_XEN_PV", "+\tcall xen_start", "+#endif"], 5, "SYM_CODE_START(startup_xen)");
    expect(w.language).toBe("asm");
    expect(kt(w.conditionsAround(7))).toEqual([["#ifdef", "CONFIG_XEN_PV"]]);
    expect(w.functionAt(7)).toBeNull();
    expect(w.functions()).toEqual([]);
  });

  it("has no conditions in other languages", () => {
    const w = view("arch/x86/xen/Kconfig", ["+if XEN", "+config XEN_PV", "+endif"]);
    expect(w.language).toBe("kconfig");
    expect(w.conditionsAround(2)).toEqual([]);
  });
});

describe("functionAt", () => {
  it("uses the parse for a function defined in the hunk", () => {
    const v = view("arch/x86/xen/enlighten_pv.c", ["+static void __init xen_setup(void)", "+{", "+\tfoo();", "+}", "+", "+int xen_other(int a)", "+{", "+\treturn a;", "+}"]);
    expect([1, 2, 3, 4].map((n) => v.functionAt(n))).toEqual(["xen_setup", "xen_setup", "xen_setup", "xen_setup"]);
    expect(v.functionAt(5)).toBeNull();
    expect([6, 7, 8, 9].map((n) => v.functionAt(n))).toEqual(["xen_other", "xen_other", "xen_other", "xen_other"]);
  });

  it("does not name the section's function past its closing brace (issue 9: the function above it)", () => {
    const v = view("arch/x86/kernel/setup.c", [" \treturn r;", " }", " ", "+int early_flag = 1;", " ", " static void later(void)", " {", "+\tif (xen_pv_domain())", "+\t\treturn;"], 100, "static int __init setup_xen(struct foo *f)");
    expect(v.functionAt(100)).toBe("setup_xen");
    expect(v.functionAt(103)).toBeNull();
    expect(v.functionAt(107)).toBe("later");
  });

  it("uses the hunk section when the hunk starts inside a function", () => {
    const v = view("arch/x86/kernel/setup.c", [" \tint r;", "+\tr = xen_pv_domain();", " \treturn r;", " }"], 100, "static int __init setup_xen(struct foo *f)");
    expect([100, 101, 102, 103].map((n) => v.functionAt(n))).toEqual(["setup_xen", "setup_xen", "setup_xen", "setup_xen"]);
    expect(v.functionAt(99)).toBeNull();
    expect(v.functionAt(104)).toBeNull();
  });

  it("prefers a function the hunk shows over the section", () => {
    const v = view("a.c", [" \treturn 0;", " }", " ", "+static int added(void)", "+{", "+\treturn 1;", "+}"], 10, "int before(void)");
    expect(v.functionAt(10)).toBe("before");
    expect(v.functionAt(13)).toBe("added");
    expect(v.functionAt(15)).toBe("added");
  });

  it("reads pointer-returning and multi-word section signatures", () => {
    expect(view("a.c", ["+\tx;"], 5, "static struct page *xen_alloc(unsigned long n)").functionAt(5)).toBe("xen_alloc");
    expect(view("a.c", ["+\tx;"], 5, "const char * const *names(void)").functionAt(5)).toBe("names");
  });

  it("does not take macro sections or control statements for functions", () => {
    for (const section of ["SYM_CODE_START(startup_xen)", "DECLARE_IDTENTRY(X86_TRAP_DE, exc_divide_error);", "struct pv_info {", "if (xen_pv_domain())", "EXPORT_SYMBOL_GPL(xen_foo);", ""]) {
      expect(view("a.c", [" \tmov(x);", "+\tcall(foo);"], 5, section).functionAt(6)).toBeNull();
    }
  });

  it("uses sections only for C", () => {
    expect(view("a.S", ["+\tnop"], 5, "static int foo(void)").functionAt(5)).toBeNull();
  });

  it("maps each hunk's lines to its own section", () => {
    const body1 = [" a;", "+b;"];
    const body2 = [" c;", "+d;"];
    const f = onlyFile(text(...gitDiff("a.c", body1, hunkHeader(body1, 10, 10, "int first(void)")), hunkHeader(body2, 50, 51, "int second(void)"), ...body2));
    const v = viewOf(f, BIG);
    expect([10, 11, 51, 52].map((n) => v.functionAt(n))).toEqual(["first", "first", "second", "second"]);
  });
});

describe("functions()", () => {
  const v = view("arch/x86/xen/enlighten.c", [
    "+static int xen_proto(void);",
    "+int xen_exported(int a);",
    "+static int __init xen_init(void)",
    "+{",
    "+\treturn 0;",
    "+}",
    "+int __weak arch_xen_hook(void) { return 1; }",
    "+void (*xen_ptr)(void);",
    "+int xen_var;",
    "+asmlinkage __visible void __init xen_start_kernel(char __user *p)",
    "+{",
    "+}",
  ]);

  it("lists definitions and prototypes with static and weak flags", () => {
    expect(v.functions()).toEqual([
      { name: "xen_proto", line: 1, endLine: 1, isStatic: true, isWeak: false, isDefinition: false },
      { name: "xen_exported", line: 2, endLine: 2, isStatic: false, isWeak: false, isDefinition: false },
      { name: "xen_init", line: 3, endLine: 6, isStatic: true, isWeak: false, isDefinition: true },
      { name: "arch_xen_hook", line: 7, endLine: 7, isStatic: false, isWeak: true, isDefinition: true },
      { name: "xen_start_kernel", line: 10, endLine: 12, isStatic: false, isWeak: false, isDefinition: true },
    ]);
  });

  it("gives functionAt for annotated definitions", () => {
    expect(v.functionAt(5)).toBe("xen_init");
    expect(v.functionAt(7)).toBe("arch_xen_hook");
    expect(v.functionAt(11)).toBe("xen_start_kernel");
    expect(v.functionAt(1)).toBeNull();
    expect(v.functionAt(8)).toBeNull();
  });

  it("reads __attribute__((weak)) and a signature split over lines", () => {
    const w = view("a.c", ["+__attribute__((weak)) void", "+xen_split(int a,", "+\t  int b)", "+{", "+}"]);
    expect(w.functions()).toEqual([{ name: "xen_split", line: 2, endLine: 5, isStatic: false, isWeak: true, isDefinition: true }]);
  });

  it("finds nothing in a hunk that only shows a function's middle", () => {
    expect(view("a.c", [" \ta = 1;", "+\tb = 2;", " \treturn a;", " }"], 20, "int f(void)").functions()).toEqual([]);
  });

  it("survives a hunk that starts inside a block comment", () => {
    const w = view("a.c", [" * if (xen_pv_domain()) {", " * it returns int foo(void)", " */", "+static int xen_after(void)", "+{", "+\treturn 0;", "+}"]);
    expect(w.functions().map((f) => f.name)).toEqual(["xen_after"]);
    expect(w.conditionsContaining(1)).toEqual([]);
  });
});

describe("structMemberAt", () => {
  it("names members of a struct shown whole", () => {
    const v = view("arch/x86/include/asm/paravirt_types.h", [
      "+struct pv_cpu_ops {",
      "+\tunsigned long (*get_debugreg)(int regno);",
      "+\tint x : 3;",
      "+\tchar buf[16];",
      "+\tconst char *name;",
      "+};",
      "+int after;",
    ]);
    expect(v.structMemberAt(1)).toBeNull();
    expect(v.structMemberAt(2)).toEqual({ struct: "pv_cpu_ops", member: "get_debugreg" });
    expect(v.structMemberAt(3)).toEqual({ struct: "pv_cpu_ops", member: "x" });
    expect(v.structMemberAt(4)).toEqual({ struct: "pv_cpu_ops", member: "buf" });
    expect(v.structMemberAt(5)).toEqual({ struct: "pv_cpu_ops", member: "name" });
    expect(v.structMemberAt(6)).toBeNull();
    expect(v.structMemberAt(7)).toBeNull();
  });

  it("names members of a struct opened above the hunk, from the section", () => {
    const v = view(
      "arch/x86/include/asm/paravirt_types.h",
      [" \tunsigned int kernel_rpl;", "+\tbool shared_kernel_pmd;", "+\tvoid (*flush)(void);", " \tconst char *name;", " };", " ", " struct pv_init_ops {"],
      20,
      "struct pv_info {",
    );
    expect([20, 21, 22, 23].map((n) => v.structMemberAt(n))).toEqual([
      { struct: "pv_info", member: "kernel_rpl" },
      { struct: "pv_info", member: "shared_kernel_pmd" },
      { struct: "pv_info", member: "flush" },
      { struct: "pv_info", member: "name" },
    ]);
    expect(v.structMemberAt(24)).toBeNull();
    expect(v.structMemberAt(25)).toBeNull();
    expect(v.structMemberAt(26)).toBeNull();
  });

  it("skips blank lines and directives inside an open struct, and reads a typedef struct section", () => {
    const v = view("a.h", ["+#ifdef CONFIG_XEN", "+\tint xen_only;", "+#endif", " ", " \tint b;", " } pv_t;"], 7, "struct pv {");
    expect([7, 8, 9, 10, 11, 12].map((n) => v.structMemberAt(n))).toEqual([
      null,
      { struct: "pv", member: "xen_only" },
      null,
      null,
      { struct: "pv", member: "b" },
      null,
    ]);
    // An anonymous struct has no name to report.
    expect(view("a.h", ["+\tint a;"], 7, "typedef struct {").structMemberAt(7)).toBeNull();
    const w = view("a.h", ["+\tint a;"], 7, "typedef struct pv_s {");
    expect(w.structMemberAt(7)).toEqual({ struct: "pv_s", member: "a" });
  });

  it("reads a union opened above the hunk", () => {
    const w = view("a.h", ["+\tu64 raw;", " };"], 3, "union xen_u {");
    expect(w.structMemberAt(3)).toEqual({ struct: "xen_u", member: "raw" });
  });
});

describe("the view", () => {
  it("lexes each side's lines as that side's file reads (removed ones in the pre-image)", () => {
    const f = fileWith("a.c", [" /* start", "-old xen_pv_domain() */ int a;", "+new */ int b;", " int c; // xen_pv_domain()"]);
    const v = viewOf(f, BIG);
    const [ctx, removed, added, last] = f.hunks[0]!.lines;
    const post = v.sideOf(0, "new");
    const pre = v.sideOf(0, "old");
    expect(post.lines).toEqual([ctx, added, last]);
    expect(pre.lines).toEqual([ctx, removed, last]);
    expect(post.lexed[0]).toEqual({ code: " ".repeat(" /* start".length - 1), commentOnly: true });
    expect(pre.lexed[0]).toEqual(post.lexed[0]);
    expect(pre.lexed[1]!.code.trim()).toBe("int a;");
    expect(post.lexed[1]!.code.trim()).toBe("int b;");
    expect(post.lexed[2]!.code.trimEnd()).toBe("int c;");
    expect(pre.lexed[2]!.code.trimEnd()).toBe("int c;");
  });

  it("lexes a context line after an added comment opener differently on each side", () => {
    const f = fileWith("a.c", ["+/* a comment around", " int a;", "+*/"]);
    const v = viewOf(f, BIG);
    expect(v.sideOf(0, "new").lexed[1]!.commentOnly).toBe(true);
    expect(v.sideOf(0, "old").lexed[0]).toEqual({ code: " int a;".slice(1), commentOnly: false });
  });

  it("keeps a line of a language with no comments to blank as its own code", () => {
    const v = view("a.dts", ["+\tcompatible = \"xen,xen\"; /* not a C comment here */"]);
    const { lines, lexed } = v.sideOf(0, "new");
    expect(lexed).toEqual([{ code: lines[0]!.text, commentOnly: false }]);
  });

  it("is built once per file and shared", () => {
    const f = fileWith("a.c", ["+int a;"]);
    expect(viewOf(f, BIG)).toBe(viewOf(f, BIG));
    expect(viewOf(f, BIG).file).toBe(f);
  });

  it("skips the C parse over maxParseBytes but keeps directives and sections", () => {
    const f: FileChange = fileWith("a.c", ["+\tif (xen_pv_domain())", "+#ifdef CONFIG_XEN", "+\t\tfoo();", "+#endif"], 5, 5, "int f(void)");
    const v = viewOf(f, 10);
    expect(v.conditionsContaining(5)).toEqual([]);
    expect(kt(v.conditionsAround(7))).toEqual([["#ifdef", "CONFIG_XEN"]]);
    expect(v.functionAt(7)).toBe("f");
  });

  it("handles a deleted file (no post-image lines)", () => {
    const f = onlyFile(text("diff --git a/a.c b/a.c", "deleted file mode 100644", "index 1111111..0000000", "--- a/a.c", "+++ /dev/null", "@@ -1,2 +0,0 @@", "-int a;", "-int b;"));
    const v = viewOf(f, BIG);
    expect(v.language).toBe("c");
    expect(v.functions()).toEqual([]);
    expect(v.sideOf(0, "old").lexed[0]!.code).toBe("int a;");
    expect(v.sideOf(0, "new").lines).toEqual([]);
  });
});

describe("properties", () => {
  const tokens = fc.constantFrom(
    "if (",
    "while (",
    "for (;;",
    ") {",
    "}",
    "{",
    "x ? a : b",
    "return ",
    "static int f(void)",
    "struct s {",
    "int m;",
    "};",
    "#ifdef CONFIG_XEN",
    "#if A && \\",
    "#elif B",
    "#else",
    "#endif",
    "/*",
    "*/",
    "// c",
    '"str',
    "'c'",
    "__init ",
    "xen_pv_domain()",
    ";",
    " ",
  );
  const lineArb = fc.tuple(fc.constantFrom(" ", "+", "-"), fc.array(tokens, { maxLength: 5 })).map(([m, ts]) => m + ts.join(""));
  it("never throws on arbitrary C-like hunks and keeps answers inside the hunk", () => {
    fc.assert(
      fc.property(fc.array(lineArb, { minLength: 1, maxLength: 25 }), fc.integer({ min: 1, max: 1000 }), fc.constantFrom("", "int f(void)", "struct pv_info {", "SYM_CODE_START(x)"), (body, start, section) => {
        const f = fileWith("a.c", body, start, start, section);
        const v = viewOf(f, BIG);
        const newLines = f.hunks[0]!.lines.flatMap((l) => (l.newLine === undefined ? [] : [l.newLine]));
        const lo = Math.min(start, ...newLines);
        const hi = Math.max(start, ...newLines);
        for (let n = lo - 1; n <= hi + 1; n++) {
          for (const c of [...v.conditionsContaining(n), ...v.conditionsAround(n)]) {
            expect(c.startLine).toBeLessThanOrEqual(c.endLine);
            expect(c.startLine).toBeGreaterThanOrEqual(lo);
            expect(c.bodyEnd).toBeLessThanOrEqual(hi);
          }
          const around = v.conditionsAround(n);
          for (let k = 1; k < around.length; k++) expect(around[k - 1]!.startLine).toBeLessThanOrEqual(around[k]!.startLine);
          const fn = v.functionAt(n);
          expect(fn === null || /^[A-Za-z_]\w*$/.test(fn)).toBe(true);
          v.structMemberAt(n);
        }
        for (const fi of v.functions()) expect(newLines).toContain(fi.line);
        for (const side of ["new", "old"] as const) {
          const { lines, lexed } = v.sideOf(0, side);
          expect(lexed).toHaveLength(lines.length);
          lines.forEach((l, k) => expect(lexed[k]!.code).toHaveLength(l.text.length));
        }
      }),
      { numRuns: 300 },
    );
  });
});
