import { hvSpecialCase } from "../../rules/hv-special-case.js";
import { ruleTester } from "./rule-tester.js";

// Hunks start at line 10 unless oldStart says otherwise, so the first line of
// a hunk is new line 10.
ruleTester(hvSpecialCase, {
  valid: [
    {
      name: "a stub moved between two shared headers",
      files: [
        { path: "arch/x86/include/asm/io.h", hunk: ["-#ifdef CONFIG_XEN_PV", "-extern bool xen_pv_stub(void);", "-#else", "-static inline bool xen_pv_stub(void) { return false; }", "-#endif"].join("\n") },
        { path: "arch/x86/include/asm/mmu.h", hunk: ["+#ifdef CONFIG_XEN_PV", "+extern bool xen_pv_stub(void);", "+#else", "+static inline bool xen_pv_stub(void) { return false; }", "+#endif"].join("\n") },
      ],
    },
    {
      name: "a Xen stub moved out of the paravirt layer's header into another arch header",
      files: [
        { path: "arch/x86/include/asm/paravirt.h", hunk: ["-#ifdef CONFIG_XEN_PV", "-extern bool xen_pv_stub(void);", "-#else", "-static inline bool xen_pv_stub(void) { return false; }", "-#endif"].join("\n") },
        { path: "arch/x86/include/asm/mmu.h", hunk: ["+#ifdef CONFIG_XEN_PV", "+extern bool xen_pv_stub(void);", "+#else", "+static inline bool xen_pv_stub(void) { return false; }", "+#endif"].join("\n") },
      ],
    },
    // Accepted tip history (issue 9): a build-time guard around code that was already there.
    {
      name: "moved code under a new #ifdef (vdso's pvclock page in its own function)",
      files: [
        {
          path: "arch/x86/entry/vdso/vma.c",
          hunk: [
            "-\t} else if (sym_offset == image->sym_pvclock_page) {",
            "-\t\tstruct pvclock_vsyscall_time_info *pvti = pvclock_get_pvti_cpu0_va();",
            "-\t\tif (pvti && vclock_was_used(VDSO_CLOCKMODE_PVCLOCK))",
            "-\t\t\treturn vmf_insert_pfn(vma, vmf->address, pfn);",
            " \t}",
            "+static vm_fault_t vvar_vclock_fault(struct vm_fault *vmf)",
            "+{",
            "+\tswitch (vmf->pgoff) {",
            "+#ifdef CONFIG_PARAVIRT_CLOCK",
            "+\tcase VDSO_PAGE_PVCLOCK_OFFSET:",
            "+\t\tstruct pvclock_vsyscall_time_info *pvti = pvclock_get_pvti_cpu0_va();",
            "+\t\tif (pvti && vclock_was_used(VDSO_CLOCKMODE_PVCLOCK))",
            "+\t\t\treturn vmf_insert_pfn(vma, vmf->address, pfn);",
            "+\t\tbreak;",
            "+#endif",
            "+\t}",
            "+\treturn VM_FAULT_SIGBUS;",
            "+}",
          ].join("\n"),
        },
      ],
    },
    {
      name: "the paravirt interface's own guard around a pv_ops assignment",
      files: [{ path: "arch/x86/include/asm/gsseg.h", hunk: " \n+static inline void __init lkgs_init(void)\n+{\n+#ifdef CONFIG_PARAVIRT_XXL\n+\tif (cpu_feature_enabled(X86_FEATURE_LKGS))\n+\t\tpv_ops.cpu.load_gs_index = native_lkgs;\n+#endif\n+}" }],
    },
    {
      name: "a new hypervisor's own detection file, unknown to the config (bhyve)",
      files: [{ path: "arch/x86/kernel/cpu/bhyve.c", hunk: "+static uint32_t __init bhyve_detect(void)\n+{\n+\tif (!boot_cpu_has(X86_FEATURE_HYPERVISOR))\n+\t\treturn 0;\n+\treturn 1;\n+}\n+\n+const __initconst struct hypervisor_x86 x86_hyper_bhyve = {\n+\t.name = \"Bhyve\",\n+};" }],
    },
    {
      name: "a Xen test inside Xen's own directory",
      files: [{ path: "arch/x86/xen/enlighten_pv.c", hunk: " \tint x;\n+\tif (xen_initial_domain())\n+\t\treturn 0;" }],
    },
    {
      name: "a Hyper-V test in arch/x86/hyperv",
      files: [{ path: "arch/x86/hyperv/hv_vtl.c", hunk: "+\tif (hypervisor_is_type(X86_HYPER_MS_HYPERV))\n+\t\tx = 1;" }],
    },
    {
      name: "a Xen test inside one device driver, below a subsystem's core",
      files: [{ path: "drivers/pci/controller/vmd.c", hunk: "+\tif (xen_domain())\n+\t\treturn -ENODEV;" }],
    },
    {
      name: "a hypervisor name in a comment or a string",
      files: [
        {
          path: "arch/x86/kernel/setup.c",
          hunk: '+\t/* xen_pv_domain() cannot get here */\n+\tpr_info("xen_pv_domain() is %d\\n", 1);\n+\t// #ifdef CONFIG_XEN would be wrong\n \tfoo();',
        },
      ],
    },
    {
      name: "unchanged context lines and removed lines",
      files: [{ path: "arch/x86/kernel/setup.c", hunk: " \tif (xen_pv_domain())\n \t\treturn;\n-\tif (xen_initial_domain())\n-\t\treturn;\n+\tfoo();" }],
    },
    {
      name: "a conversion in place: boot_cpu_has to cpu_feature_enabled",
      files: [{ path: "arch/x86/kernel/cpu/common.c", hunk: "-\tif (boot_cpu_has(X86_FEATURE_XENPV))\n+\tif (cpu_feature_enabled(X86_FEATURE_XENPV))\n \t\treturn;" }],
    },
    {
      name: "a check moved from one arch file to another",
      files: [
        { path: "arch/x86/kernel/a.c", hunk: "-\tif (xen_pv_domain())\n-\t\treturn;\n \tfoo();" },
        { path: "arch/x86/kernel/b.c", hunk: " \tbar();\n+\tif (xen_pv_domain())\n+\t\treturn;" },
      ],
    },
    {
      name: "defining or setting a feature bit is not testing it",
      files: [
        { path: "arch/x86/include/asm/cpufeatures.h", hunk: "+#define X86_FEATURE_XENPV\t\t( 8*32+16) /* Xen paravirtual guest */" },
        { path: "arch/x86/kernel/cpu/common.c", hunk: "+\tsetup_force_cpu_cap(X86_FEATURE_XENPV);" },
      ],
    },
    {
      name: "assigning the hypervisor type is not testing it",
      files: [{ path: "arch/x86/kernel/cpu/common.c", hunk: "+\tx86_hyper_type = X86_HYPER_XEN_PV;" }],
    },
    {
      name: "Kconfig symbol in a Makefile object list only says what to build",
      files: [{ path: "arch/x86/kernel/Makefile", hunk: "+obj-$(CONFIG_XEN_PV)\t\t+= xen_stub.o" }],
    },
    {
      name: "a GPU device driver may know its platform",
      files: [{ path: "drivers/gpu/drm/amd/amdgpu/amdgpu_device.c", hunk: "+\tif (xen_initial_domain())\n+\t\treturn;" }],
    },
    {
      name: "tools/ is out of scope",
      files: [{ path: "tools/testing/selftests/x86/test.c", hunk: "+\tif (xen_pv_domain())\n+\t\treturn;" }],
    },
  ],
  invalid: [
    {
      name: "CONFIG_HYPERVISOR_GUEST is any hypervisor's guest, not Hyper-V's (CONFIG_HYPERV* once matched it)",
      files: [{ path: "arch/x86/pci/common.c", hunk: "+#ifdef CONFIG_HYPERVISOR_GUEST\n+static int vm_raw_pci_read(void);\n+#endif" }],
      errors: [{ severity: "warning", message: ["hypervisor-guest special case (CONFIG_HYPERVISOR_GUEST)"] }],
    },
    {
      name: "a Xen stub moved out of Xen's own header into a shared one (new to shared code)",
      files: [
        { path: "arch/x86/include/asm/xen/hypervisor.h", hunk: ["-#ifdef CONFIG_XEN_PV", "-extern bool xen_pv_stub(void);", "-#else", "-static inline bool xen_pv_stub(void) { return false; }", "-#endif"].join("\n") },
        { path: "arch/x86/include/asm/mmu.h", hunk: ["+#ifdef CONFIG_XEN_PV", "+extern bool xen_pv_stub(void);", "+#else", "+static inline bool xen_pv_stub(void) { return false; }", "+#endif"].join("\n") },
      ],
      errors: [{ message: ["Xen special case", "CONFIG_XEN_PV", "arch/x86/include/asm/mmu.h"] }],
    },
    {
      name: "the hypervisor CPUID bit tested by hand is X86_FEATURE_HYPERVISOR",
      files: [{ path: "arch/x86/kernel/tsc.c", hunk: " \tfoo();\n+\tif (cpuid_ecx(1) & BIT(31))\n+\t\treturn;" }],
      errors: [{ file: "arch/x86/kernel/tsc.c", line: 11, message: ["cpuid_ecx(1) & BIT(31)"] }],
    },
    {
      name: "a hypervisor descriptor added outside arch/*/kernel/cpu/ exempts nothing",
      files: [{ path: "arch/x86/kernel/setup.c", hunk: " \tfoo();\n+\tif (xen_pv_domain())\n+\t\treturn;\n+const struct hypervisor_x86 x86_hyper_fake = { };" }],
      errors: [{ file: "arch/x86/kernel/setup.c", line: 11 }],
    },
    {
      name: "Xen's code moved out of its own directory into arch code, under #ifdef CONFIG_XEN",
      files: [
        { path: "arch/x86/xen/setup.c", hunk: "-\txen_reserve_extra_memory();\n-\txen_remap_memory();\n \tfoo();" },
        { path: "arch/x86/kernel/setup.c", hunk: " \tbar();\n+#ifdef CONFIG_XEN\n+\txen_reserve_extra_memory();\n+\txen_remap_memory();\n+#endif" },
      ],
      errors: [{ file: "arch/x86/kernel/setup.c", line: 11, severity: "error" }],
    },
    {
      name: "if (xen_initial_domain()) in arch/x86 (the acpi_pm case)",
      files: [{ path: "arch/x86/kernel/acpi/boot.c", section: "static int __init acpi_parse_fadt(struct acpi_table_header *table)", hunk: "#ifdef CONFIG_X86_PM_TIMER\n+\tif (xen_initial_domain())\n+\t\treturn 0;\n+\n \t/* detect */".replace(/^#/, " #") }],
      errors: [{ file: "arch/x86/kernel/acpi/boot.c", line: 11, severity: "error", message: ["Xen", "xen_initial_domain()", "acpi_parse_fadt", "hook"] }],
    },
    {
      name: "#ifdef CONFIG_XEN in kernel/ with a nested test reports once",
      files: [{ path: "kernel/panic.c", hunk: " \tfoo();\n+#ifdef CONFIG_XEN\n+\tif (xen_initial_domain())\n+\t\tbar();\n+#endif\n \tbaz();" }],
      errors: [{ file: "kernel/panic.c", line: 11, message: ["CONFIG_XEN", "core code"] }],
    },
    {
      name: "IS_ENABLED(CONFIG_HYPERV) in a header of arch/x86",
      files: [{ path: "arch/x86/include/asm/svm.h", hunk: "+#if IS_ENABLED(CONFIG_HYPERV)\n+struct hv_x { int a; };\n+#endif" }],
      errors: [{ line: 10, message: ["Hyper-V"] }],
    },
    {
      name: "static_cpu_has(X86_FEATURE_XENPV) and a multi-line ALTERNATIVE in C",
      files: [{ path: "arch/x86/kernel/process_64.c", hunk: "+\tif (!static_cpu_has(X86_FEATURE_XENPV))\n+\t\tfoo();\n+\talternative_io(\"call a\",\n+\t\t       \"call b\",\n+\t\t       X86_FEATURE_XENPV, x);" }],
      errors: [{ line: 10 }, { line: 14 }],
    },
    {
      name: "ALTERNATIVE keyed on X86_FEATURE_XENPV in assembly",
      files: [{ path: "arch/x86/entry/entry_64_compat.S", hunk: "+\tALTERNATIVE \"\", \"jmp xen_entry_INT80_compat\", X86_FEATURE_XENPV\n \tmovl\t%eax, %eax" }],
      errors: [{ file: "arch/x86/entry/entry_64_compat.S", line: 10, message: ["X86_FEATURE_XENPV"] }],
    },
    {
      name: "a generic guest check is a warning",
      files: [{ path: "arch/x86/kernel/cpu/amd.c", hunk: "+\tif (!cpu_has(c, X86_FEATURE_HYPERVISOR))\n+\t\tmsr_set_bit(1, 2);" }],
      errors: [{ severity: "warning", message: ["hypervisor-guest"] }],
    },
    {
      name: "hypervisor_is_type with a vendor constant names the vendor, once",
      files: [{ path: "arch/x86/pci/common.c", hunk: "+\tif (hypervisor_is_type(X86_HYPER_VMWARE))\n+\t\traw_pci_ext_ops = &pci_mmcfg;" }],
      errors: [{ severity: "error", message: ["VMware"] }],
    },
    {
      name: "x86_hyper_type compared in mm code",
      files: [{ path: "arch/x86/mm/init.c", hunk: "+\tif (x86_hyper_type == X86_HYPER_KVM)\n+\t\treturn;" }],
      errors: [{ message: ["KVM"] }],
    },
    {
      name: "kvm_para_available() in kernel/",
      files: [{ path: "kernel/sched/core.c", hunk: "+\treturn kvm_para_available() ? 1 : 0;" }],
      errors: [{ message: ["KVM", "core code"] }],
    },
    {
      name: "the core file of a driver subsystem is in scope",
      files: [{ path: "drivers/pci/msi.c", hunk: "+\tif (xen_domain())\n+\t\treturn 0;" }],
      errors: [{ message: ["driver subsystem"] }],
    },
    {
      name: "a check moved out of Xen's directory into arch code is new there",
      files: [
        { path: "arch/x86/xen/pci-swiotlb-xen.c", hunk: "-\tif (xen_pv_domain())\n-\t\tx = 1;" },
        { path: "arch/x86/kernel/pci-dma.c", hunk: "+\tif (xen_pv_domain())\n+\t\tx = 1;" },
      ],
      errors: [{ file: "arch/x86/kernel/pci-dma.c" }],
    },
    {
      name: "replacing a generic check by a Xen one adds a Xen special case",
      files: [{ path: "arch/x86/mm/pat/memtype.c", hunk: "-\tif (!boot_cpu_has(X86_FEATURE_HYPERVISOR))\n+\tif (cpu_feature_enabled(X86_FEATURE_XENPV))\n \t\tinit();" }],
      errors: [{ message: ["Xen"] }],
    },
    {
      name: "a test under #ifdef opened in a context line still counts on its own line",
      files: [{ path: "arch/x86/kernel/smpboot.c", hunk: " #ifdef CONFIG_X86_64\n+\tif (!xen_initial_domain())\n+\t\tpr_warn(\"x\");\n #endif" }],
      errors: [{ line: 11 }],
    },
    {
      name: "two Xen tests on one line are one finding naming both",
      files: [{ path: "drivers/firmware/efi/esrt.c", hunk: "+\tif (IS_ENABLED(CONFIG_XEN_EFI) && efi_enabled(EFI_PARAVIRT))\n+\t\treturn;" }],
      errors: [{ line: 10, message: ["CONFIG_XEN_EFI", "EFI_PARAVIRT", "Xen"] }],
    },
    {
      name: "the DRM core is a subsystem core",
      files: [{ path: "drivers/gpu/drm/drm_memory.c", hunk: "+\tif (xen_pv_domain())\n+\t\treturn true;" }],
      errors: [{ file: "drivers/gpu/drm/drm_memory.c" }],
    },
    {
      name: "a config can add a hypervisor",
      config: { hypervisors: [{ id: "bhyve", name: "bhyve", predicateCalls: ["bhyve_guest"], ownPaths: ["arch/x86/bhyve/**"], suggestion: "Use a hook" }] },
      files: [{ path: "arch/x86/kernel/setup.c", hunk: "+\tif (bhyve_guest())\n+\t\treturn;" }],
      errors: [{ message: ["bhyve"] }],
    },
  ],
});
