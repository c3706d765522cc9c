import { changelogSubsystem } from "../../rules/changelog-subsystem.js";
import { ruleTester } from "./rule-tester.js";

const why = "The old code crashes when the lock is taken twice; take it once.";

ruleTester(changelogSubsystem, {
  valid: [
    // Accepted tip history (issue 9): touching hypervisor code is not changing what it does.
    {
      name: "an #include-only edit in Xen's code",
      commits: [{ subject: "x86/fpu: Replace the includes of fpu/internal.h", body: why, files: [{ path: "arch/x86/kernel/fpu/core.c", hunk: "-#include <asm/fpu/internal.h>\n+#include <asm/fpu/api.h>" }, { path: "arch/x86/xen/enlighten_pv.c", hunk: "-#include <asm/fpu/internal.h>\n+#include <asm/fpu/api.h>" }] }],
    },
    {
      name: "the same rename in Xen's code as everywhere else",
      commits: [
        {
          subject: "x86/smp: Replace cpu_up/down() with add/remove_cpu()",
          body: why,
          files: [
            { path: "arch/x86/kernel/topology.c", hunk: "-\tret = cpu_up(cpu);\n+\tret = add_cpu(cpu);" },
            { path: "arch/x86/xen/smp.c", hunk: "-\t\trc = cpu_up(cpu);\n+\t\trc = add_cpu(cpu);" },
          ],
        },
      ],
    },
    {
      name: "a flag removed from its users, Hyper-V's PCI driver among them (the hunk removes code around the flag the commit removes)",
      commits: [
        {
          subject: "x86/apic: Remove X86_IRQ_ALLOC_CONTIGUOUS_VECTORS",
          body: why,
          files: [
            { path: "arch/x86/include/asm/irqdomain.h", hunk: "-#define X86_IRQ_ALLOC_CONTIGUOUS_VECTORS\t0x1" },
            { path: "drivers/pci/controller/pci-hyperv.c", hunk: "-static int hv_msi_prepare(struct irq_domain *domain)\n-{\n-\tint ret = pci_msi_prepare(domain);\n-\tinfo->flags &= ~X86_IRQ_ALLOC_CONTIGUOUS_VECTORS;\n-\treturn ret;\n-}\n+#define hv_msi_prepare\t\tpci_msi_prepare" },
          ],
        },
      ],
    },
    {
      name: "an interface switch in KVM's code, the same one the commit makes in shared code",
      commits: [
        {
          subject: "x86/bugs: Use ALTERNATIVE() instead of mds_user_clear static key",
          body: why,
          files: [
            { path: "arch/x86/kernel/nmi.c", hunk: "-\tif (static_branch_likely(&mds_user_clear))\n-\t\tmds_clear_cpu_buffers();" },
            { path: "arch/x86/kvm/vmx/vmx.c", hunk: "-\telse if (static_branch_unlikely(&mds_user_clear))\n+\telse if (cpu_feature_enabled(X86_FEATURE_CLEAR_CPU_BUF))" },
          ],
        },
      ],
    },
    {
      name: "a commit confined to Hyper-V's own driver under that driver's prefix (linux-hyperv: mshv:)",
      commits: [{ subject: "mshv: Fix potential u64 overflow in region overlap check", body: why, files: [{ path: "drivers/hv/mshv_root_main.c", hunk: "+\tfoo();" }] }],
    },
    {
      name: "the vsock core is not VMware's, only its VMCI transport is",
      commits: [{ subject: "vsock: add netns to vsock core", body: why, files: [{ path: "net/vmw_vsock/af_vsock.c", hunk: "+\tfoo();" }] }],
    },
    {
      name: "a comment-only edit in PVH code",
      commits: [{ subject: "x86: Remove unusual Unicode characters from comments", body: why, files: [{ path: "arch/x86/kernel/head_64.S", hunk: "-/* a – b */\n+/* a - b */" }, { path: "arch/x86/platform/pvh/head.S", hunk: "-/* a – b */\n+/* a - b */" }] }],
    },
    {
      name: "a Xen test moved within shared code",
      commits: [{ subject: "x86/apic: Provide common init infrastructure", body: why, files: [{ path: "arch/x86/kernel/apic/apic.c", hunk: "-\tif (xen_pv_domain())\n-\t\treturn;\n+\tif (xen_pv_domain())\n+\t\treturn 0;" }, { path: "arch/x86/kernel/apic/probe.c", hunk: "+\tfoo();" }] }],
    },
    {
      name: "an #ifdef CONFIG_HYPERV_TIMER around code that moved within shared code (hv-special-case agrees)",
      commits: [
        {
          subject: "x86/vdso: Split virtual clock pages into dedicated mapping",
          body: why,
          files: [
            {
              path: "arch/x86/entry/vdso/vma.c",
              hunk: "-\t\tif (pfn && vclock_was_used(VDSO_CLOCKMODE_HVCLOCK))\n-\t\t\treturn vmf_insert_pfn(vma, vmf->address, pfn);\n \t}\n+#ifdef CONFIG_HYPERV_TIMER\n+\tcase VDSO_PAGE_HVCLOCK_OFFSET:\n+\t\tif (pfn && vclock_was_used(VDSO_CLOCKMODE_HVCLOCK))\n+\t\t\treturn vmf_insert_pfn(vma, vmf->address, pfn);\n+\t\tbreak;\n+#endif",
            },
          ],
        },
      ],
    },
    {
      name: "powerpc's book3s_hv.c is KVM's code, not Hyper-V's",
      commits: [{ subject: "KVM: PPC: Book3S HV: Fix the thing", body: why, files: [{ path: "arch/powerpc/kvm/book3s_hv.c", hunk: "+\tfoo();" }] }],
    },
    {
      name: "a core prefix with the architecture as a level",
      commits: [{ subject: "locking/atomic: parisc: move to ARCH_ATOMIC", body: why, files: [{ path: "arch/parisc/include/asm/atomic.h", hunk: "+\tfoo();" }] }],
    },
    {
      name: "Xen code with a changelog that says Xen",
      commits: [{ subject: "x86/xen: fix the flush", body: `On Xen PV guests ${why}`, files: [{ path: "arch/x86/xen/mmu_pv.c", hunk: "+\tfoo();" }] }],
    },
    {
      name: "the feature bit's name names the hypervisor",
      commits: [{ subject: "x86/cpu: Switch to cpu_feature_enabled() for X86_FEATURE_XENPV", body: why, files: [{ path: "arch/x86/kernel/cpu/bugs.c", hunk: "-\tif (boot_cpu_has(X86_FEATURE_XENPV))\n+\tif (cpu_feature_enabled(X86_FEATURE_XENPV))" }] }],
    },
    {
      name: "a Xen driver's own prefix is its convention",
      commits: [{ subject: "pvcalls-front: properly allocate sk", body: why, files: [{ path: "drivers/xen/pvcalls-front.c", hunk: "+\tfoo();" }] }],
    },
    {
      name: "a Hyper-V change that adapts a Xen file names its hypervisor",
      commits: [
        {
          subject: "hyperv/IOMMU: Enable swiotlb bounce buffer for Isolation VM",
          body: why,
          files: [
            { path: "arch/x86/xen/pci-swiotlb-xen.c", hunk: "+\tfoo();" },
            { path: "drivers/hv/vmbus_drv.c", hunk: "+\tbar();" },
          ],
        },
      ],
    },
    {
      name: "a generic guest check has no vendor to name",
      commits: [{ subject: "x86/cpu: Fix erratum 1485", body: why, files: [{ path: "arch/x86/kernel/cpu/amd.c", hunk: "+\tif (!cpu_has(c, X86_FEATURE_HYPERVISOR))\n+\t\tx();" }] }],
    },
    {
      name: "a commit of a Xen series that reaches outside and says why Xen needs it",
      commits: [
        { subject: "x86/xen: a", body: `On Xen ${why}`, files: [{ path: "arch/x86/xen/time.c", hunk: "+\tfoo();" }] },
        { subject: "x86/smpboot: b", body: `Xen PV needs this: ${why}`, files: [{ path: "arch/x86/kernel/smpboot.c", hunk: "+\tfoo();" }] },
      ],
    },
    { name: "an arch prefix for arch code", commits: [{ subject: "x86/mm: fix", body: why, files: [{ path: "arch/x86/mm/init.c", hunk: "+\tfoo();" }] }] },
  ],
  invalid: [
    {
      name: "Xen's code gains a line of its own using what the commit adds (new behaviour, not an adaptation)",
      commits: [
        {
          subject: "x86/gsseg: Use the LKGS instruction if available for load_gs_index()",
          body: why,
          files: [
            { path: "arch/x86/include/asm/gsseg.h", hunk: "+\tif (cpu_feature_enabled(X86_FEATURE_LKGS))\n+\t\tnative_lkgs(selector);" },
            { path: "arch/x86/xen/enlighten_pv.c", hunk: "+\tsetup_clear_cpu_cap(X86_FEATURE_LKGS);" },
          ],
        },
      ],
      errors: [{ message: ["Xen-specific code", "arch/x86/xen/enlighten_pv.c", "never says Xen"] }],
    },
    {
      name: "a commit of a Xen series that reaches into x86 and never says Xen",
      commits: [
        { subject: "x86/xen: set up the PM timer", body: `On Xen dom0 ${why}`, files: [{ path: "arch/x86/xen/time.c", hunk: "+\tfoo();" }] },
        { subject: "x86/xen: more", body: `Xen needs it: ${why}`, files: [{ path: "arch/x86/xen/setup.c", hunk: "+\tfoo();" }] },
        { subject: "x86/smpboot: make it global", body: why, files: [{ path: "arch/x86/kernel/smpboot.c", hunk: "+\tfoo();" }] },
      ],
      errors: [{ message: ["part of a Xen series", "arch/x86/kernel/smpboot.c", "never says Xen"] }],
    },
    {
      name: "an explicit topic",
      config: { topic: "sched" },
      commits: [{ subject: "fork: tweak", body: why, files: [{ path: "kernel/fork.c", hunk: "+\tfoo();" }] }],
      errors: [{ message: ["part of a sched series", "kernel/fork.c"] }],
    },
    {
      name: "the seed example: an x86: patch from the Xen queue that never says Xen",
      commits: [{ subject: "x86: fix up flush_tlb_all", body: `The locks must be initialized before first use: ${why}`, files: [{ path: "arch/x86/xen/mmu_pv.c", hunk: "+\tspin_lock_init(&l);" }] }],
      errors: [
        { file: null, line: null, message: ["Xen-specific code", "arch/x86/xen/mmu_pv.c", "never says Xen"] },
        { message: ['prefix "x86:"', "git log --oneline -- arch/x86/xen/mmu_pv.c"] },
      ],
    },
    {
      name: "with the tree, the prefix suggested is the one the file's history uses",
      commits: [{ subject: "x86: fix up flush_tlb_all", body: `The locks must be initialized before first use: ${why}`, files: [{ path: "arch/x86/xen/mmu_pv.c", hunk: "+\tspin_lock_init(&l);" }] }],
      tree: { prefixes: { "arch/x86/xen/mmu_pv.c": { "x86/xen/mmu": 2, "xen/pv": 5, "x86/mm": 9 } } },
      errors: [{ message: ["never says Xen"] }, { message: ['prefix "x86:"', '"xen/pv:" (5 of the latest commits to arch/x86/xen/mmu_pv.c)'] }],
    },
    {
      name: "a Xen test added to arch code by a changelog that reads as generic",
      commits: [{ subject: "x86/acpi: skip the PM timer", body: `The PM timer cannot be accessed here, so ${why}`, files: [{ path: "arch/x86/kernel/acpi/boot.c", hunk: "+\tif (xen_initial_domain())\n+\t\treturn 0;" }] }],
      errors: [{ message: ["Xen", "arch/x86/kernel/acpi/boot.c:10"] }],
    },
    {
      name: "a core prefix on an arch-only change",
      commits: [{ subject: "mm: fix pat init", body: why, files: [{ path: "arch/x86/mm/pat/memtype.c", hunk: "+\tfoo();" }] }],
      errors: [{ message: ['"mm:"', "arch/x86", "git log --oneline -- arch/x86/mm/pat/memtype.c"] }],
    },
    {
      name: "a core prefix on an arch-only change, with the tree: the arch prefix its history uses",
      commits: [{ subject: "mm: fix pat init", body: why, files: [{ path: "arch/x86/mm/pat/memtype.c", hunk: "+\tfoo();" }] }],
      tree: { prefixes: { "arch/x86/mm/pat/memtype.c": { "x86/mm/pat": 4, "mm": 1 } } },
      errors: [{ message: ['"mm:"', '"x86/mm/pat:" (4 of the latest commits'] }],
    },
    {
      name: "with no body, only the prefix is reported (changelog-why reports the missing body)",
      commits: [{ subject: "x86: fix up flush_tlb_all", body: "", files: [{ path: "arch/x86/xen/mmu_pv.c", hunk: "+\tfoo();" }] }],
      errors: [{ message: ['prefix "x86:"'] }],
    },
  ],
});
