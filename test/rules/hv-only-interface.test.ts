import { hvOnlyInterface } from "../../rules/hv-only-interface.js";
import { ruleTester } from "./rule-tester.js";

ruleTester(hvOnlyInterface, {
  valid: [
    {
      name: "\"hypervisors\" in general is not Hyper-V named as the reason",
      commits: [{ subject: "x86/smp: Export smp_foo", body: "The other hypervisors may have to have their checks audited.", files: [{ path: "arch/x86/kernel/smp.c", hunk: "+EXPORT_SYMBOL_GPL(smp_foo);" }] }],
    },
    // Issue 11: the tree after the series.
    {
      name: "a function made global whose users in the tree include shared code",
      files: [
        { path: "arch/x86/kernel/smpboot.c", hunk: "-static void calc_packages(void)\n+void calc_packages(void)" },
        { path: "arch/x86/xen/smp.c", hunk: "+\tcalc_packages();" },
      ],
      tree: { symbols: { calc_packages: ["arch/x86/kernel/smpboot.c:9:static void calc_packages(void)", "arch/x86/kernel/cpu/topology.c:77:\tcalc_packages();"] } },
    },
    {
      name: "a hook member that shared code sets in two places (native and another platform)",
      files: [
        { path: "arch/x86/include/asm/x86_init.h", hunk: " struct x86_platform_ops {\n+\tvoid (*fixup_foo)(void);", section: "struct x86_platform_ops {" },
        { path: "arch/x86/kernel/x86_init.c", hunk: "+\t.fixup_foo = x86_default_fixup_foo," },
        { path: "arch/x86/platform/uv/uv_setup.c", hunk: "+\tx86_platform.fixup_foo = uv_fixup_foo;" },
        { path: "arch/x86/xen/enlighten_pv.c", hunk: "+\tx86_platform.fixup_foo = xen_nop;" },
      ],
    },
    {
      name: "a hardware feature bit KVM hands on to guests",
      files: [
        { path: "arch/x86/include/asm/cpufeatures.h", hunk: "+#define X86_FEATURE_NO_SMM_CTL_MSR\t(20*32+ 9) /* SMM_CTL MSR is not present */" },
        { path: "arch/x86/kvm/cpuid.c", hunk: "+\tkvm_cpu_cap_set(X86_FEATURE_NO_SMM_CTL_MSR);" },
      ],
    },
    {
      name: "a hypervisor's name defined in its own code",
      files: [{ path: "arch/x86/xen/xen-ops.h", hunk: "+#define DECLARE_IDTENTRY_XEN(vector, func)" }],
    },
    {
      name: "a changelog naming a hypervisor without making it the reason",
      commits: [{ subject: "x86/smp: Export smp_foo", body: "Drivers built as modules call smp_foo(); Xen was tested too.", files: [{ path: "arch/x86/kernel/smp.c", hunk: "+EXPORT_SYMBOL_GPL(smp_foo);" }] }],
    },
    {
      // Accepted tip history (issue 9): ce2612b6706b, "x86/smp: Factor out parts of native_smp_prepare_cpus()".
      name: "common code factored out of a native function and out of Xen's copy of it",
      files: [
        { path: "arch/x86/include/asm/smp.h", hunk: " void native_smp_prepare_cpus(unsigned int max_cpus);\n+void smp_prepare_cpus_common(void);" },
        { path: "arch/x86/kernel/smpboot.c", hunk: "-void __init native_smp_prepare_cpus(unsigned int max_cpus)\n+void __init smp_prepare_cpus_common(void)\n {\n \tunsigned int i;\n \tset_cpu_sibling_map(0);\n+}\n+\n+void __init native_smp_prepare_cpus(unsigned int max_cpus)\n+{\n+\tsmp_prepare_cpus_common();" },
        { path: "arch/x86/xen/smp_pv.c", hunk: " \txen_init_lock_cpu(0);\n-\tsmp_store_boot_cpu_info();\n-\tfor_each_possible_cpu(i)\n-\t\tzalloc_cpumask_var(&per_cpu(cpu_sibling_map, i), GFP_KERNEL);\n-\tset_cpu_sibling_map(0);\n+\tsmp_prepare_cpus_common();" },
      ],
    },
    {
      name: "a new global function used by generic code too",
      files: [
        { path: "arch/x86/kernel/smpboot.c", hunk: "+void calc_packages(void)\n+{\n+}" },
        { path: "arch/x86/xen/smp.c", hunk: "+\tcalc_packages();" },
        { path: "arch/x86/kernel/apic/apic.c", hunk: "+\tcalc_packages();" },
      ],
    },
    {
      name: "a new global function with no user outside its file",
      files: [{ path: "arch/x86/kernel/smpboot.c", hunk: "+void calc_packages(void)\n+{\n+}\n+static void x(void) { calc_packages(); }" }],
    },
    {
      name: "a static function used only by Xen cannot be an interface",
      files: [
        { path: "arch/x86/kernel/smpboot.c", hunk: "+static void calc_packages(void)\n+{\n+}" },
        { path: "arch/x86/xen/smp.c", hunk: "+\tcalc_packages();" },
      ],
    },
    {
      name: "a function that was already global gets a new Xen caller",
      files: [
        { path: "arch/x86/kernel/smpboot.c", hunk: "-void calc_packages(int x)\n+void calc_packages(long x)\n {" },
        { path: "arch/x86/xen/smp.c", hunk: "+\tcalc_packages(1);" },
      ],
    },
    {
      name: "a hook that generic code fills in as well",
      files: [
        { path: "arch/x86/kernel/acpi/sleep.c", hunk: "+unsigned long (*get_wakeup)(void) = x86_get_wakeup;" },
        { path: "include/xen/acpi.h", hunk: "+\tget_wakeup = xen_get_wakeup;" },
        { path: "arch/x86/kernel/tboot.c", hunk: "+\tget_wakeup = tboot_get_wakeup;" },
      ],
    },
    {
      name: "Xen code using its own new symbol",
      files: [
        { path: "arch/x86/xen/setup.c", hunk: "+int xen_extra_pages;" },
        { path: "drivers/xen/balloon.c", hunk: "+\tif (xen_extra_pages)\n+\t\treturn;" },
      ],
    },
    {
      name: "a call into Xen code under an if (xen_...) is left to hv-special-case",
      files: [
        { path: "drivers/xen/pcpu.c", hunk: "+bool xen_processor_present(uint32_t acpi_id)\n+{\n+\treturn true;\n+}" },
        { path: "drivers/acpi/processor_pdc.c", hunk: "+\tif (xen_initial_domain())\n+\t\treturn xen_processor_present(acpi_id);" },
      ],
    },
  ],
  invalid: [
    {
      name: "a kvm_ definition in shared code",
      files: [{ path: "arch/x86/include/asm/processor.h", hunk: "+extern void kvm_async_pf_prepare(void);" }],
      errors: [{ message: ["kvm_async_pf_prepare", "its name says it is KVM's"] }],
    },
    {
      name: "a tree line the series removes is not a user after it",
      files: [
        { path: "arch/x86/kernel/smpboot.c", hunk: "+void calc_packages(void)\n+{\n+}" },
        { path: "arch/x86/kernel/cpu/topology.c", hunk: "-\tcalc_packages();", oldStart: 77 },
        { path: "arch/x86/xen/smp.c", hunk: "+\tcalc_packages();" },
      ],
      tree: { symbols: { calc_packages: ["arch/x86/kernel/cpu/topology.c:77:\tcalc_packages();"] } },
      errors: [{ message: ["calc_packages()", "arch/x86/xen/smp.c:10"] }],
    },
    {
      name: "a tree line in a file the series deletes is not a user after it (git format-patch -D: no lines shown)",
      files: [
        { path: "arch/x86/kernel/smpboot.c", hunk: "+void calc_packages(void)\n+{\n+}" },
        { path: "arch/x86/kernel/cpu/topology.c", hunk: "", deleted: true },
        { path: "arch/x86/xen/smp.c", hunk: "+\tcalc_packages();" },
      ],
      tree: { symbols: { calc_packages: ["arch/x86/kernel/cpu/topology.c:77:\tcalc_packages();"] } },
      errors: [{ message: ["calc_packages()", "arch/x86/xen/smp.c:10"] }],
    },
    {
      name: "a function made global whose only users in the tree after the series are Xen's (one already there)",
      files: [{ path: "arch/x86/kernel/smpboot.c", hunk: "-static void calc_packages(void)\n+void calc_packages(void)", oldStart: 9 }],
      tree: { symbols: { calc_packages: ["arch/x86/kernel/smpboot.c:9:static void calc_packages(void)", "arch/x86/xen/smp.c:126:\tcalc_packages();"] } },
      errors: [{ file: "arch/x86/kernel/smpboot.c", message: ["calc_packages()", "in the tree after the series", "arch/x86/xen/smp.c:126"] }],
    },
    {
      name: "an x86_platform hook that only Xen PV sets besides its default",
      files: [
        { path: "arch/x86/include/asm/x86_init.h", hunk: " struct x86_platform_ops {\n+\tvoid (*fixup_foo)(void);", section: "struct x86_platform_ops {" },
        { path: "arch/x86/kernel/x86_init.c", hunk: "+\t.fixup_foo = x86_default_fixup_foo," },
        { path: "arch/x86/xen/enlighten_pv.c", hunk: "+\tx86_platform.fixup_foo = xen_nop;" },
      ],
      errors: [{ file: "arch/x86/include/asm/x86_init.h", message: ["x86_platform_ops", "fixup_foo", "Xen", "arch/x86/xen/enlighten_pv.c:10"] }],
    },
    {
      name: "a hook whose Xen setter is already in the tree",
      files: [
        { path: "arch/x86/include/asm/x86_init.h", hunk: " struct x86_init_ops {\n+\tvoid (*fixup_bar)(void);", section: "struct x86_init_ops {" },
        { path: "arch/x86/kernel/x86_init.c", hunk: "+\t.fixup_bar = x86_init_noop," },
      ],
      tree: { symbols: { fixup_bar: ["arch/x86/xen/enlighten_pv.c:300:\tx86_init.fixup_bar = xen_fixup_bar;"] } },
      errors: [{ message: ["fixup_bar", "Xen", "arch/x86/xen/enlighten_pv.c:300"] }],
    },
    {
      name: "a VMware-only feature bit in cpufeatures.h",
      files: [
        { path: "arch/x86/include/asm/cpufeatures.h", hunk: "+#define X86_FEATURE_VMCALL\t\t( 8*32+18) /* Hypervisor supports the VMCALL instruction */" },
        { path: "arch/x86/kernel/cpu/vmware.c", hunk: "+\t\tsetup_force_cpu_cap(X86_FEATURE_VMCALL);" },
      ],
      errors: [{ file: "arch/x86/include/asm/cpufeatures.h", message: ["feature bit X86_FEATURE_VMCALL", "VMware", "vmware.c"] }],
    },
    {
      name: "a static call only Hyper-V updates",
      files: [
        { path: "arch/x86/kernel/cpu/common.c", hunk: "+DEFINE_STATIC_CALL_NULL(x86_foo_call, foo_default);" },
        { path: "arch/x86/hyperv/hv_init.c", hunk: "+\tstatic_call_update(x86_foo_call, hv_foo);" },
      ],
      errors: [{ message: ["static call x86_foo_call", "Hyper-V"] }],
    },
    {
      name: "a Xen-named macro defined in the generic x86 entry header",
      files: [{ path: "arch/x86/include/asm/idtentry.h", hunk: "+#define DECLARE_IDTENTRY_XEN(vector, func)\t\t\t\\" }],
      errors: [{ file: "arch/x86/include/asm/idtentry.h", message: ["DECLARE_IDTENTRY_XEN", "its name says it is Xen's"] }],
    },
    {
      name: "an export whose changelog says Xen PV needs it",
      commits: [{ subject: "x86/smp: Export smp_foo", body: "Xen PV needs smp_foo() to bring up its vCPUs from a module.", files: [{ path: "arch/x86/kernel/smp.c", hunk: "+EXPORT_SYMBOL_GPL(smp_foo);" }] }],
      errors: [{ file: "arch/x86/kernel/smp.c", message: ["exports smp_foo", "gives Xen as the reason", "Xen PV needs smp_foo()"] }],
    },
    {
      name: "static made global for Xen (the calculate_max_logical_packages case)",
      files: [
        { path: "arch/x86/include/asm/smp.h", hunk: " void native_smp_prepare_cpus(unsigned int max_cpus);\n+void calculate_max_logical_packages(void);" },
        {
          path: "arch/x86/kernel/smpboot.c",
          hunk: "-static void __init calculate_max_logical_packages(void)\n+void __init calculate_max_logical_packages(void)\n {\n+}\n+\n+void __init native_smp_cpus_done(unsigned int max_cpus)\n+{\n+\tcalculate_max_logical_packages();",
        },
        { path: "arch/x86/xen/smp.c", hunk: " \telse\n+\t\tcalculate_max_logical_packages();" },
      ],
      errors: [{ file: "arch/x86/kernel/smpboot.c", line: 10, message: ["calculate_max_logical_packages", "Xen", "arch/x86/xen/smp.c"] }],
    },
    {
      name: "a function turned into a hook that only Xen sets (the acpi suspend case)",
      files: [
        { path: "arch/x86/include/asm/acpi.h", hunk: "-unsigned long acpi_get_wakeup_address(void);\n+extern unsigned long (*acpi_get_wakeup_address)(void);" },
        { path: "arch/x86/kernel/acpi/sleep.c", hunk: "-unsigned long acpi_get_wakeup_address(void)\n+static unsigned long x86_acpi_get_wakeup_address(void)\n {\n+unsigned long (*acpi_get_wakeup_address)(void) = x86_acpi_get_wakeup_address;" },
        { path: "include/xen/acpi.h", hunk: "+\t\tacpi_get_wakeup_address = xen_acpi_get_wakeup_address;" },
      ],
      errors: [{ file: "arch/x86/kernel/acpi/sleep.c", line: 12, message: ["hook", "Xen", "include/xen/acpi.h"] }],
    },
    {
      name: "an export in kernel/ used only by Xen",
      files: [
        { path: "kernel/dma/swiotlb.c", hunk: "+phys_addr_t io_tlb_start;\n+EXPORT_SYMBOL_GPL(io_tlb_start);" },
        { path: "drivers/xen/pv-iommu-xen.c", hunk: "+extern phys_addr_t io_tlb_start;\n+\tif (x < io_tlb_start)\n+\t\treturn;" },
      ],
      errors: [{ file: "kernel/dma/swiotlb.c", line: 10, message: ["io_tlb_start", "Xen"] }],
    },
    {
      name: "a weak default only Hyper-V overrides",
      files: [
        { path: "kernel/time/clock.c", hunk: "+void __weak arch_clock_fixup(void)\n+{\n+}" },
        { path: "drivers/hv/hv_clock.c", hunk: "+void arch_clock_fixup(void)\n+{\n+\tfoo();\n+}" },
      ],
      errors: [{ file: "kernel/time/clock.c", message: ["weak", "Hyper-V"] }],
    },
    {
      name: "a weak alias whose attribute is on the next line, overridden only by Xen",
      files: [
        { path: "drivers/firmware/efi/efi.c", hunk: "+extern int efi_mem_desc_lookup(u64 phys_addr, efi_memory_desc_t *out_md)\n+\t__weak __alias(__efi_mem_desc_lookup);" },
        { path: "drivers/xen/efi.c", hunk: "+int efi_mem_desc_lookup(u64 phys_addr, efi_memory_desc_t *out_md)\n+{\n+\treturn 0;\n+}" },
      ],
      errors: [{ file: "drivers/firmware/efi/efi.c", line: 10, message: ["weak", "Xen"] }],
    },
    {
      name: "core code reaching into a symbol the series adds in Xen's code",
      files: [
        { path: "arch/x86/xen/pci-swiotlb-xen.c", hunk: "+dma_addr_t pv_iommu_offset;" },
        { path: "kernel/ksysfs.c", hunk: "+extern dma_addr_t pv_iommu_offset;\n+\treturn sprintf(buf, \"%u\", !pv_iommu_offset);" },
      ],
      errors: [{ file: "kernel/ksysfs.c", line: 10, message: ["pv_iommu_offset", "Xen"] }],
    },
  ],
});
