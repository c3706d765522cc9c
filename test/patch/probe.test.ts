import { it } from "@jest/globals";
import { viewOf } from "../../src/patch/source-view.js";
import { fileWith } from "./fixtures.js";
function dump(path: string, body: string[], start: number, section: string) {
  const f = fileWith(path, body, start, start, section);
  const v = viewOf(f, 1e6);
  for (const l of f.hunks[0]!.lines) if (l.newLine !== undefined) { const n = l.newLine; console.log(n, JSON.stringify(l.text), JSON.stringify(v.conditionsContaining(n).map(c=>[c.kind,c.text])), JSON.stringify(v.conditionsAround(n).map(c=>[c.kind,c.text,c.bodyStart,c.bodyEnd])), v.functionAt(n), JSON.stringify(v.structMemberAt(n))); }
  console.log(JSON.stringify(v.functions()));
}
it("probe", () => {
  dump("a.c", [
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
  ], 100, "static int __init xen_setup(struct foo *f)");
  dump("arch/x86/include/asm/paravirt_types.h", [
    " \tunsigned int kernel_rpl;",
    "+\tbool shared_kernel_pmd;",
    "+\tvoid (*flush)(void);",
    " \tconst char *name;",
    " };",
    " ",
    "+struct pv_cpu_ops {",
    "+\tunsigned long (*get_debugreg)(int regno);",
    "+\tint x : 3;",
    "+\tchar buf[16];",
    "+};",
    "+static int foo(void);",
    "+int bar(int x)",
    "+{",
    "+\treturn 0;",
    "+}",
    "+int __weak baz(void) { return 1; }",
  ], 20, "struct pv_info {");
  dump("arch/x86/xen/xen-head.S", [" \tmov %rax, %rbx", "+#ifdef CONFIG_XEN_PV", "+\tcall foo", "+#endif"], 5, "SYM_CODE_START(startup_xen)");
  dump("a.c", [" \tmov(x);", "+\tcall(foo);"], 5, "SYM_CODE_START(startup_xen)");
  dump("a.c", [" \tmov(x);", "+\tcall(foo);"], 5, "DECLARE_IDTENTRY(X86_TRAP_DE, exc_divide_error);");
});
