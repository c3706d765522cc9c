// Builds a large, deterministic patch series in `git format-patch` form for the
// benchmark: kernel-like C spread over arch/x86, mm, kernel, drivers and the Xen
// code, with a sprinkling of hypervisor tests so the rules have real work to do.
// Run directly to write it to stdout as an mbox: node dist/scripts/synthetic-series.js
import { pathToFileURL } from "node:url";
import { pick, rng, type Rng } from "./random.js";

export interface SyntheticOptions {
  seed: number;
  commits: number;
  filesPerCommit: number;
  hunksPerFile: number;
}

export const SYNTHETIC_DEFAULTS: SyntheticOptions = { seed: 1, commits: 12, filesPerCommit: 20, hunksPerFile: 2 };

const between = (r: Rng, lo: number, hi: number): number => lo + Math.floor(r() * (hi - lo + 1));
const hex = (r: Rng, n: number): string => Array.from({ length: n }, () => "0123456789abcdef"[Math.floor(r() * 16)]).join("");

// [directory, subject prefix]. Headers and C files both occur, as in real series.
const AREAS: [string, string][] = [
  ["arch/x86/kernel", "x86/kernel"],
  ["arch/x86/kernel/cpu", "x86/cpu"],
  ["arch/x86/kernel/apic", "x86/apic"],
  ["arch/x86/mm", "x86/mm"],
  ["arch/x86/include/asm", "x86"],
  ["arch/x86/xen", "x86/xen"],
  ["mm", "mm"],
  ["kernel", "kernel"],
  ["kernel/sched", "sched"],
  ["kernel/time", "timers"],
  ["drivers/pci", "PCI"],
  ["drivers/acpi", "ACPI"],
  ["drivers/block", "block"],
  ["drivers/char", "char"],
  ["drivers/net/ethernet/intel/e1000e", "e1000e"],
  ["drivers/xen", "xen"],
  ["include/linux", "include"],
];
const STEMS = ["setup", "init", "core", "alloc", "map", "irq", "timer", "tlb", "pgtable", "ioremap", "hotplug", "smp", "boot", "fault", "mmu", "msi", "dma", "cache", "probe", "power", "sysfs", "quirks", "page", "vmalloc", "tsc", "event", "grant", "p2m"];
const NOUNS = ["cpu", "page", "range", "frame", "table", "region", "vector", "device", "queue", "buffer", "mapping", "domain", "node", "zone", "event", "slot"];
const VERBS = ["init", "setup", "probe", "alloc", "free", "map", "unmap", "reserve", "update", "flush", "check", "register", "release", "reset"];
const HV_TESTS = ["xen_pv_domain()", "xen_domain()", "boot_cpu_has(X86_FEATURE_XENPV)", "xen_initial_domain()", "hypervisor_is_type(X86_HYPER_XEN_HVM)", "cpu_feature_enabled(X86_FEATURE_HYPERVISOR)"];
const AUTHORS = ["Ada Kernel <ada@example.org>", "Brian Hacker <brian@example.com>", "Chen Wei <chen.wei@example.net>", "Dana Patch <dana@example.org>"];

interface Names {
  pfx: string;
  noun: string;
  verb: string;
}

// Each template is a complete top-level C item, so the new side of a hunk reads
// as plausible C to tree-sitter, not as a bag of lines.
const C_ITEMS: ((r: Rng, n: Names) => string[])[] = [
  (r, { pfx, noun, verb }) => [
    `static int __init ${pfx}_${verb}_${noun}(void)`,
    "{",
    "\tint ret;",
    "",
    `\tif (${pick(r, HV_TESTS)})`,
    "\t\treturn 0;",
    "",
    `\tret = ${pfx}_setup_${noun}(&${pfx}_${noun}_ops);`,
    "\tif (ret) {",
    `\t\tpr_err("${pfx}: failed to ${verb} ${noun}: %d\\n", ret);`,
    "\t\treturn ret;",
    "\t}",
    `\t${pfx}_${noun}_ready = true;`,
    "\treturn 0;",
    "}",
  ],
  (r, { pfx, noun, verb }) => [
    `#ifdef CONFIG_XEN${pick(r, ["", "_PV", "_DOM0"])}`,
    `static void ${pfx}_${verb}_${noun}_xen(struct ${noun} *${noun[0]})`,
    "{",
    `\t/* The hypervisor owns the ${noun}; only mirror its state here. */`,
    `\t${noun[0]}->flags |= ${pfx.toUpperCase()}_${noun.toUpperCase()}_SHADOW;`,
    "}",
    "#else",
    `static inline void ${pfx}_${verb}_${noun}_xen(struct ${noun} *${noun[0]}) { }`,
    "#endif",
  ],
  (r, { pfx, noun, verb }) => [
    "/**",
    ` * ${pfx}_${verb}_${noun}s - ${verb} every ${noun} in @start..@end`,
    ` * @start: first ${noun} to visit`,
    ` * @end: one past the last ${noun}`,
    " *",
    ` * Walks the ${noun}s in order and stops at the first failure. Callers hold`,
    ` * ${pfx}_lock, which keeps the ${noun} list stable.`,
    " */",
    `int ${pfx}_${verb}_${noun}s(unsigned long start, unsigned long end)`,
    "{",
    "\tunsigned long i;",
    "\tint err = 0;",
    "",
    `\tlockdep_assert_held(&${pfx}_lock);`,
    `\tfor (i = start; i < end; i += ${pick(r, ["PAGE_SIZE", "1", "PMD_SIZE", "sizeof(u64)"])}) {`,
    `\t\terr = __${pfx}_${verb}_one(i);`,
    "\t\tif (err)",
    "\t\t\tbreak;",
    "\t}",
    "\treturn err;",
    "}",
    `EXPORT_SYMBOL${pick(r, ["", "_GPL"])}(${pfx}_${verb}_${noun}s);`,
  ],
  (r, { pfx, noun, verb }) => [
    `static bool ${pfx}_${noun}_${verb}_allowed(const struct ${noun} *${noun[0]})`,
    "{",
    `\tif (boot_cpu_has(X86_FEATURE_XENPV) && !${noun[0]}->native)`,
    "\t\treturn false;",
    `\treturn ${noun[0]}->count < ${between(r, 2, 64)};`,
    "}",
  ],
  (r, { pfx, noun }) => [
    `static const struct ${pfx}_${noun}_ops ${pfx}_${noun}_default_ops = {`,
    `\t.name\t\t= "${pfx}-${noun}",`,
    `\t.setup\t\t= ${pfx}_setup_${noun},`,
    `\t.teardown\t= ${pfx}_teardown_${noun},`,
    `\t.max_${noun}s\t= ${between(r, 4, 512)},`,
    "};",
  ],
  (r, { pfx, noun, verb }) => [
    `void ${pfx}_${verb}_${noun}_stats(struct seq_file *m)`,
    "{",
    "\tint cpu;",
    "",
    "\tfor_each_online_cpu(cpu) {",
    `\t\tconst struct ${pfx}_stats *s = per_cpu_ptr(&${pfx}_stats, cpu);`,
    "",
    `\t\tseq_printf(m, "cpu%d: ${noun}s=%lu ${verb}=%lu\\n", cpu,`,
    `\t\t\t   s->${noun}s, s->${verb}_count);`,
    "\t}",
    `\tif (${pick(r, ["xen_pv_domain()", "static_branch_unlikely(&" + pfx + "_verbose)", "IS_ENABLED(CONFIG_DEBUG_" + pfx.toUpperCase() + ")"])})`,
    `\t\tseq_puts(m, "${verb} details follow\\n");`,
    "}",
  ],
];

const H_ITEMS: ((r: Rng, n: Names) => string[])[] = [
  (r, { pfx, noun }) => [
    `struct ${pfx}_${noun} {`,
    `\tunsigned long\t\tstart;`,
    `\tunsigned long\t\tend;`,
    `\tu32\t\t\tflags;\t/* ${pfx.toUpperCase()}_${noun.toUpperCase()}_* */`,
    `\tstruct list_head\tlist;`,
    `\tvoid (*${pick(r, VERBS)})(struct ${pfx}_${noun} *${noun[0]});`,
    "};",
  ],
  (r, { pfx, noun, verb }) => [
    `#ifdef CONFIG_XEN${pick(r, ["", "_PV"])}`,
    `extern bool ${pfx}_${noun}_${verb}_xen(unsigned long pfn);`,
    "#else",
    `static inline bool ${pfx}_${noun}_${verb}_xen(unsigned long pfn) { return false; }`,
    "#endif",
  ],
  (_r, { pfx, noun, verb }) => [
    `int ${pfx}_${verb}_${noun}s(unsigned long start, unsigned long end);`,
    `void ${pfx}_${verb}_${noun}_stats(struct seq_file *m);`,
  ],
];

// The short function a hunk rewrites: its old body is removed and a changed
// copy added, so each hunk has removed lines as well as added ones.
function oldItem(r: Rng, { pfx, noun }: Names, header: boolean): string[] {
  if (header) return [`#define ${pfx.toUpperCase()}_${noun.toUpperCase()}_MAX\t${between(r, 8, 256)}`, `extern int ${pfx}_${noun}_count;`];
  return [`static int ${pfx}_${noun}_count(void)`, "{", `\treturn atomic_read(&${pfx}_${noun}s);`, "}"];
}

function newItem(r: Rng, n: Names, header: boolean): string[] {
  const { pfx, noun } = n;
  if (header) return [`#define ${pfx.toUpperCase()}_${noun.toUpperCase()}_MAX\t${between(r, 257, 1024)}`, `extern unsigned int ${pfx}_${noun}_count;`];
  return [`static unsigned int ${pfx}_${noun}_count(void)`, "{", `\treturn READ_ONCE(${pfx}_${noun}_nr);`, "}"];
}

interface FilePatch {
  path: string;
  text: string[];
  added: number;
  removed: number;
}

function filePatch(r: Rng, path: string, hunks: number): FilePatch {
  const header = path.endsWith(".h");
  const pfx = path.split("/").pop()!.replace(/\.[ch]$/, "").replace(/\d+$/, "");
  const out = [`diff --git a/${path} b/${path}`, `index ${hex(r, 12)}..${hex(r, 12)} 100644`, `--- a/${path}`, `+++ b/${path}`];
  let added = 0;
  let removed = 0;
  let oldLine = between(r, 20, 80);
  let shift = 0; // new-side line numbers drift by what earlier hunks added
  for (let h = 0; h < hunks; h++) {
    const n: Names = { pfx, noun: pick(r, NOUNS), verb: pick(r, VERBS) };
    const items = header ? H_ITEMS : C_ITEMS;
    const plus = [...newItem(r, n, header)];
    for (let k = between(r, 1, 2); k > 0; k--) plus.push("", ...pick(r, items)(r, n));
    const minus = oldItem(r, n, header);
    const before = header ? ["", `#include <linux/${pick(r, STEMS)}.h>`, ""] : ["\treturn 0;", "}", ""];
    const after = header ? ["", `struct ${pfx}_ops;`, ""] : ["", `static void ${pfx}_${n.verb}_done(void)`, "{"];
    const oldCount = before.length + minus.length + after.length;
    const newCount = before.length + plus.length + after.length;
    out.push(`@@ -${oldLine},${oldCount} +${oldLine + shift},${newCount} @@ ${header ? "" : `static int ${pfx}_probe(void)`}`.trimEnd());
    out.push(...before.map((l) => ` ${l}`), ...minus.map((l) => `-${l}`), ...plus.map((l) => `+${l}`), ...after.map((l) => ` ${l}`));
    added += plus.length;
    removed += minus.length;
    shift += plus.length - minus.length;
    oldLine += oldCount + between(r, 30, 200);
  }
  return { path, text: out, added, removed };
}

export interface SyntheticSeries {
  /** One text per commit, as `git format-patch` writes them into separate files. */
  patches: string[];
  files: number;
  changedLines: number;
}

export function syntheticSeries(options: Partial<SyntheticOptions> = {}): SyntheticSeries {
  const o = { ...SYNTHETIC_DEFAULTS, ...options };
  const r = rng(o.seed);
  const used = new Set<string>();
  const patches: string[] = [];
  let totalFiles = 0;
  let changed = 0;
  for (let c = 1; c <= o.commits; c++) {
    const [dir, prefix] = pick(r, AREAS);
    const files: FilePatch[] = [];
    for (let f = 0; f < o.filesPerCommit; f++) {
      // Most files sit in the commit's own area, a few elsewhere, as in a real series.
      const area = r() < 0.7 ? dir : pick(r, AREAS)[0];
      const ext = area.includes("include") ? ".h" : ".c";
      let path = `${area}/${pick(r, STEMS)}${ext}`;
      for (let i = 2; used.has(path); i++) path = path.replace(/\d*\.[ch]$/, `${i}${ext}`);
      used.add(path);
      files.push(filePatch(r, path, o.hunksPerFile));
    }
    const added = files.reduce((s, f) => s + f.added, 0);
    const removed = files.reduce((s, f) => s + f.removed, 0);
    const author = pick(r, AUTHORS);
    const noun = pick(r, NOUNS);
    const verb = pick(r, VERBS);
    const day = String(c).padStart(2, "0");
    const out = [
      `From ${hex(r, 40)} Mon Sep 17 00:00:00 2001`,
      `From: ${author}`,
      `Date: Tue, ${day} Apr 2025 10:${day}:00 +0200`,
      `Subject: [PATCH ${String(c).padStart(2, "0")}/${o.commits}] ${prefix}: Rework ${noun} ${verb} paths`,
      "",
      `The ${noun} ${verb} code keeps its count in an atomic that every caller`,
      "reads under the lock anyway, and the limits it enforces are too small for",
      "current machines. Make the count a plain integer read with READ_ONCE() and",
      "raise the limits.",
      "",
      "While at it, add the helpers the following patches use.",
      "",
      `Signed-off-by: ${author}`,
      "---",
      ...files.map((f) => ` ${f.path} | ${f.added + f.removed} ${"+".repeat(Math.min(f.added, 40))}${"-".repeat(Math.min(f.removed, 10))}`),
      ` ${files.length} files changed, ${added} insertions(+), ${removed} deletions(-)`,
      "",
      ...files.flatMap((f) => f.text),
      "-- ",
      "2.43.0",
      "",
    ];
    patches.push(out.join("\n"));
    totalFiles += files.length;
    changed += added + removed;
  }
  return { patches, files: totalFiles, changedLines: changed };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  // Concatenated, the patches form an mbox.
  process.stdout.write(syntheticSeries().patches.join(""));
}
