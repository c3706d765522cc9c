import { describe, expect, it } from "@jest/globals";
import { fileScopeDeclaration } from "../../src/analysis/c-declarations.js";
import { growthRatio, LINEAR_GROWTH_LIMIT } from "../security/growth.js";

const cases: [string, ReturnType<typeof fileScopeDeclaration> extends infer D ? Partial<NonNullable<D>> | null : never][] = [
  ["void __init xen_init_pm_timer(void)", { name: "xen_init_pm_timer", kind: "function", isStatic: false, isDefinition: true }],
  ["static int __init foo(void)", { name: "foo", kind: "function", isStatic: true }],
  ["extern void bar(int x);", { name: "bar", kind: "function", isExtern: true, isDefinition: false }],
  ["int foo(void);", { name: "foo", kind: "function", isDefinition: false }],
  ["__printf(1, 2) void log_it(const char *fmt, ...)", { name: "log_it", kind: "function" }],
  ["struct page *alloc_thing(gfp_t gfp)", { name: "alloc_thing", kind: "function" }],
  ["void __weak arch_hook(void)", { name: "arch_hook", kind: "function", isWeak: true }],
  ["void (*x86_pm_hook)(void) = NULL;", { name: "x86_pm_hook", kind: "hook", isDefinition: true }],
  ["extern void (*pm_power_off)(void);", { name: "pm_power_off", kind: "hook", isExtern: true, isDefinition: false }],
  ["typedef void (*handler_t)(int);", null],
  ["EXPORT_SYMBOL_GPL(xen_start_info);", { name: "xen_start_info", kind: "export" }],
  ["EXPORT_SYMBOL_NS_GPL(foo, BAR);", { name: "foo", kind: "export" }],
  ["static int counter;", { name: "counter", kind: "variable", isStatic: true, isDefinition: true }],
  ["unsigned int cpu_smt_num_threads __read_mostly = UINT_MAX;", { name: "cpu_smt_num_threads", kind: "variable" }],
  ["static struct apic apic_noop __ro_after_init = {", { name: "apic_noop", kind: "variable" }],
  ["extern unsigned int __num_cores_per_package;", { name: "__num_cores_per_package", kind: "variable", isExtern: true, isDefinition: false }],
  ["extern struct cpumask __cpu_primary_thread_mask;", { name: "__cpu_primary_thread_mask", kind: "variable" }],
  ["static char buf[PAGE_SIZE] __aligned(PAGE_SIZE);", { name: "buf", kind: "variable" }],
  ["static struct rmp_segment_desc **rmp_segment_table __ro_after_init;", { name: "rmp_segment_table", kind: "variable" }],
  ["int a, b;", { name: "a", kind: "variable" }],
  ["struct foo;", null],
  ["return foo(x);", null],
  ["FOO_MACRO(bar)", null],
  ["DEFINE_PER_CPU(int, x);", null],
  ["\tint indented;", null],
  ["#define X 1", null],
  ["}", null],
  ["", null],
];

describe("fileScopeDeclaration", () => {
  it.each(cases)("%s", (code, expected) => {
    const got = fileScopeDeclaration(code);
    if (expected === null) expect(got).toBeNull();
    else expect(got).toMatchObject(expected);
  });

  // The line an attacker found: 81 characters of it stalled the old regex for over a minute.
  it("reads the backtracking attack line at once, and in time linear in its length", () => {
    const attack = "_\t_[]__0______0______0______0______0______0______0 A=";
    expect(() => fileScopeDeclaration(attack)).not.toThrow();
    const shapes = [
      (n: number) => "_\t_[]" + "__0____".repeat(n) + " A=",
      (n: number) => "a " + "b ".repeat(n) + "(",
      (n: number) => "a " + "b(c) ".repeat(n),
      (n: number) => "a " + "*".repeat(n) + "b",
      (n: number) => "a " + "b [".repeat(n),
      (n: number) => "int x " + "__read_mostly ".repeat(n),
      (n: number) => "void (" + " ".repeat(n),
    ];
    for (const make of shapes) expect(growthRatio(fileScopeDeclaration, make, 200)).toBeLessThan(LINEAR_GROWTH_LIMIT);
  });
});
