// A small kernel-like tree for the census tests, its conditionals counted by
// hand: the comment on each file says what it holds.

export const SETUP_C = `#include <linux/init.h>
/* #ifdef CONFIG_XEN in a comment does not count */
#ifdef CONFIG_XEN
#include <xen/xen.h>
#endif
#ifdef CONFIG_KVM_CLOCK
static int kvmclock;
#endif
void setup(void)
{
	if (xen_pv_domain())
		return;
	pr_info("xen_pv_domain() in a string does not count\\n");
	if (IS_ENABLED(CONFIG_XEN_PVH) || hypervisor_is_type(X86_HYPER_XEN_PV))
		return;
	if (boot_cpu_has(
			X86_FEATURE_XENPV))
		return;
	if (boot_cpu_has(X86_FEATURE_HYPERVISOR))
		return;
	x86_hyper_type = X86_HYPER_XEN_PV;
}
`;

/** Per file: [line, hypervisor, token] expected, in order. */
export const TREE: Record<string, { text: string; expect: [number, string, string][] }> = {
  // xen: lines 3, 11, 14 (the generic test on that line is the same special case), 17; kvm: 6; generic: 19; the assignment on 21 is no test
  "arch/x86/kernel/setup.c": {
    text: SETUP_C,
    expect: [
      [3, "xen", "CONFIG_XEN"],
      [6, "kvm", "CONFIG_KVM_CLOCK"],
      [11, "xen", "xen_pv_domain"],
      [14, "xen", "CONFIG_XEN_PVH"],
      [17, "xen", "X86_FEATURE_XENPV"],
      [19, "generic", "X86_FEATURE_HYPERVISOR"],
    ],
  },
  // hyperv: line 2
  "arch/x86/kernel/apic/apic.c": { text: "int apic;\n#ifdef CONFIG_HYPERV\nint hv;\n#endif\n", expect: [[2, "hyperv", "CONFIG_HYPERV"]] },
  // xen: line 3, a feature bit named on the continuation of an ALTERNATIVE; the #define is no test
  "arch/x86/entry/entry_64.S": {
    text: "#define X86_FEATURE_XENPV (8*32+16)\n\tALTERNATIVE \"jmp 1f\", \\\n\t\t\"\", X86_FEATURE_XENPV\n1:\n",
    expect: [[3, "xen", "X86_FEATURE_XENPV"]],
  },
  // xen: line 2 (ifdef); obj-$(CONFIG_XEN) only says what to build
  "arch/x86/Makefile": { text: "obj-$(CONFIG_XEN) += xen/\nifdef CONFIG_XEN\nKBUILD_CFLAGS += -DX\nendif # CONFIG_XEN\n", expect: [[2, "xen", "CONFIG_XEN"]] },
  // xen: lines 1 and 4
  "mm/memory.c": { text: "#ifdef CONFIG_XEN\nint a;\n#endif\n#if defined(CONFIG_XEN_BALLOON)\nint b;\n#endif\n", expect: [[1, "xen", "CONFIG_XEN"], [4, "xen", "CONFIG_XEN_BALLOON"]] },
  // Xen's and KVM's own code: only with --all
  "arch/x86/xen/enlighten.c": { text: "void f(void)\n{\n\tif (xen_pv_domain())\n\t\treturn;\n}\n", expect: [[3, "xen", "xen_pv_domain"]] },
  "arch/x86/kernel/kvm.c": { text: "int g(void)\n{\n\treturn kvm_para_available();\n}\n", expect: [[3, "kvm", "kvm_para_available"]] },
  // never: a device driver below a subsystem's core, tools, a text file, Kconfig
  "drivers/net/ethernet/foo.c": { text: "#ifdef CONFIG_XEN\n#endif\n", expect: [] },
  "tools/foo.c": { text: "#ifdef CONFIG_XEN\n#endif\n", expect: [] },
  "arch/x86/kernel/notes.txt": { text: "#ifdef CONFIG_XEN\n", expect: [] },
  "arch/x86/Kconfig": { text: "config X\n\tdepends on XEN\n\tdefault y if CONFIG_XEN\n", expect: [] },
};

export const OWN = new Set(["arch/x86/xen/enlighten.c", "arch/x86/kernel/kvm.c"]);
