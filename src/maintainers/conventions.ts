// The subsystem map when there is no MAINTAINERS file: kernel path
// conventions, which name the subsystem most patches to a path go through.
// Answers have the same shape as MAINTAINERS matches; specificity counts the
// owning prefix's components, as an F: pattern's depth would.
import type { SubsystemMatch } from "./types.js";
import { normalizePath } from "./match.js";

/** Prefixes with a name of their own. A prefix not ending in "/" is a file-name prefix. */
const NAMED: ReadonlyArray<readonly [prefix: string, name: string]> = [
  ["arch/x86/xen/", "x86/xen"],
  ["arch/x86/include/asm/xen/", "x86/xen"],
  ["arch/x86/kvm/", "x86/kvm"],
  ["arch/x86/include/asm/kvm", "x86/kvm"],
  ["arch/x86/hyperv/", "x86/hyperv"],
  ["arch/x86/include/asm/mshyperv.h", "x86/hyperv"],
  ["arch/x86/mm/", "x86/mm"],
  ["arch/x86/kernel/cpu/", "x86/cpu"],
  ["arch/x86/boot/", "x86/boot"],
  ["arch/x86/entry/", "x86/entry"],
  ["virt/kvm/", "kvm"],
  ["include/kvm/", "kvm"],
  ["include/linux/kvm", "kvm"],
  ["include/uapi/linux/kvm", "kvm"],
  ["drivers/xen/", "xen"],
  ["include/xen/", "xen"],
  ["drivers/hv/", "hyperv"],
  ["include/linux/hyperv.h", "hyperv"],
  ["include/asm-generic/mshyperv.h", "hyperv"],
  ["mm/", "mm"],
  ["kernel/sched/", "sched"],
  ["kernel/bpf/", "bpf"],
  ["kernel/trace/", "tracing"],
  ["kernel/rcu/", "rcu"],
  ["kernel/locking/", "locking"],
  ["kernel/irq/", "irq"],
  ["kernel/time/", "timers"],
  ["kernel/events/", "perf"],
  ["kernel/cgroup/", "cgroup"],
  ["kernel/printk/", "printk"],
  ["kernel/power/", "pm"],
  ["kernel/dma/", "dma-mapping"],
  ["kernel/", "kernel"],
  ["include/net/", "net"],
  ["net/", "net"],
  ["block/", "block"],
  ["fs/", "fs"],
  ["sound/", "sound"],
  ["security/", "security"],
  ["crypto/", "crypto"],
  ["lib/", "lib"],
  ["init/", "init"],
  ["ipc/", "ipc"],
  ["io_uring/", "io_uring"],
  ["rust/", "rust"],
  ["samples/", "samples"],
  ["scripts/", "scripts"],
  ["Documentation/", "docs"],
  ["tools/testing/selftests/", "selftests"],
  ["tools/", "tools"],
  ["include/", "include"],
];

/** `<top>/<x>/` directories whose subsystem is named by `x` (or by the template). */
const GENERIC: ReadonlyArray<readonly [re: RegExp, name: (m: RegExpExecArray) => string]> = [
  [/^arch\/([^/]+)\/kvm\//, (m) => `${m[1]}/kvm`],
  [/^arch\/([^/]+)\/xen\//, (m) => `${m[1]}/xen`],
  [/^arch\/([^/]+)\//, (m) => m[1]!],
  [/^drivers\/([^/]+)\//, (m) => m[1]!],
  [/^fs\/([^/]+)\//, (m) => m[1]!],
];

const components = (prefix: string): number => prefix.split("/").filter((p) => p !== "").length;

function match(name: string, prefix: string, slashes: number): SubsystemMatch {
  const specificity = components(prefix);
  const dir = prefix.endsWith("/") ? prefix : prefix.slice(0, prefix.lastIndexOf("/") + 1);
  return {
    name,
    source: "convention",
    pattern: prefix,
    patternKind: "convention",
    specificity,
    exact: specificity >= slashes,
    // A file rule (include/linux/hyperv.h) owns no directory: include/linux/ is everyone's.
    directories: prefix.endsWith("/") ? [dir] : [],
  };
}

/**
 * Subsystems of `path` by convention, most specific first: arch/x86/xen/enlighten.c
 * gives x86/xen then x86. Top-level files (Makefile) give none.
 */
export function subsystemsByConvention(path: string): SubsystemMatch[] {
  const p = normalizePath(path);
  if (!p.includes("/")) return [];
  const slashes = p.split("/").length - 1;
  const byPrefix = new Map<string, SubsystemMatch>();
  for (const [prefix, name] of NAMED) {
    if (p.startsWith(prefix)) byPrefix.set(prefix, match(name, prefix, slashes));
  }
  for (const [re, name] of GENERIC) {
    const m = re.exec(p);
    // A named rule for the same prefix wins: drivers/hv/ is "hyperv", not "hv".
    if (m && !byPrefix.has(m[0])) byPrefix.set(m[0], match(name(m), m[0], slashes));
  }
  if (byPrefix.size === 0) {
    const top = p.slice(0, p.indexOf("/") + 1);
    byPrefix.set(top, match(top.slice(0, -1), top, slashes));
  }
  const out = [...byPrefix.values()].sort((a, b) => b.specificity - a.specificity);
  // The same name from two depths (include/linux/kvm_host.h is kvm by rule) keeps the deeper.
  const seen = new Set<string>();
  return out.filter((m) => !seen.has(m.name) && (seen.add(m.name), true));
}

/** The most specific conventional subsystem of `path`, or null for a top-level file. */
export function subsystemByConvention(path: string): SubsystemMatch | null {
  return subsystemsByConvention(path)[0] ?? null;
}

/** Subject prefixes by convention name; names not here have no well-known prefix. */
const PREFIXES: Record<string, string> = {
  "x86/kvm": "KVM: x86",
  kvm: "KVM",
  hyperv: "Drivers: hv",
  irq: "genirq",
  pm: "PM",
  sound: "ALSA",
  docs: "docs",
  pci: "PCI",
  acpi: "ACPI",
  gpu: "drm",
};

/** Names that are their own prefix. */
const SELF = new Set([
  "x86", "x86/xen", "x86/hyperv", "x86/mm", "x86/cpu", "x86/boot", "x86/entry",
  "arm64", "arm", "riscv", "powerpc", "s390", "loongarch", "mips",
  "xen", "mm", "sched", "bpf", "tracing", "rcu", "locking", "timers", "perf", "cgroup",
  "printk", "dma-mapping", "block", "net", "fs", "ext4", "btrfs", "xfs", "nfs", "f2fs",
  "crypto", "lib", "io_uring", "rust", "selftests", "scripts",
  "usb", "iommu", "virtio", "scsi", "nvme", "tty", "firmware", "clocksource", "irqchip",
]);

/** MAINTAINERS titles whose subsystem goes by a different prefix than their directory suggests. */
const TITLES: ReadonlyArray<readonly [RegExp, string]> = [
  [/^XEN HYPERVISOR X86\b/, "x86/xen"],
  [/^XEN HYPERVISOR INTERFACE\b/, "xen"],
  [/^X86 ARCHITECTURE\b/, "x86"],
  [/^X86 MM\b/, "x86/mm"],
  [/^KERNEL VIRTUAL MACHINE FOR X86\b/, "KVM: x86"],
  [/^KERNEL VIRTUAL MACHINE FOR ARM64\b/, "KVM: arm64"],
  [/^KERNEL VIRTUAL MACHINE \(KVM\)$/, "KVM"],
  [/^MEMORY MANAGEMENT\b/, "mm"],
  [/^SCHEDULER\b/, "sched"],
];

/**
 * The conventional patch subject prefix ("x86/xen", "mm", "KVM: x86") for a
 * subsystem: a convention name, a MAINTAINERS title, or a match of either (a
 * MAINTAINERS match with an unknown title falls back to the convention for
 * the directory its pattern names). Null when there is no common one.
 */
export function subjectPrefix(subsystem: string | SubsystemMatch): string | null {
  const fromName = (name: string): string | null => {
    const kvm = /^([a-z0-9]+)\/kvm$/.exec(name);
    if (kvm && kvm[1] !== "x86") return `KVM: ${kvm[1]}`;
    if (Object.hasOwn(PREFIXES, name)) return PREFIXES[name]!;
    if (SELF.has(name) || /^[a-z0-9]+\/xen$/.test(name)) return name;
    for (const [re, prefix] of TITLES) if (re.test(name)) return prefix;
    return null;
  };
  if (typeof subsystem === "string") return fromName(subsystem);
  const direct = fromName(subsystem.name);
  if (direct !== null || subsystem.patternKind !== "F") return direct;
  // Up to the first glob; "arch/x86/hyperv/" → a path inside it.
  const glob = subsystem.pattern.search(/[*?[]/);
  const literal = glob < 0 ? subsystem.pattern : subsystem.pattern.slice(0, glob);
  const probe = literal.endsWith("/") ? literal + "x" : literal;
  const conv = subsystemByConvention(probe);
  return conv ? fromName(conv.name) : null;
}
