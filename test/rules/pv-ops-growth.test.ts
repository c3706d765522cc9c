import { pvOpsGrowth } from "../../rules/pv-ops-growth.js";
import { ruleTester } from "./rule-tester.js";

ruleTester(pvOpsGrowth, {
  valid: [
    {
      name: "a member added to an ordinary struct",
      files: [{ path: "arch/x86/include/asm/foo.h", hunk: "+struct foo_ops {\n+\tvoid (*bar)(void);\n+};" }],
    },
    {
      name: "initialising an existing pv op in Xen's code",
      files: [{ path: "arch/x86/xen/enlighten_pv.c", section: "static const struct pv_info xen_info __initconst = {", hunk: " \t.name = \"Xen\",\n+\t.features = 0," }],
    },
    {
      name: "a member moved within the structure",
      files: [{ path: "arch/x86/include/asm/paravirt_types.h", section: "struct pv_cpu_ops {", hunk: "-\tvoid (*io_delay)(void);\n \tvoid (*cpuid)(void);\n+\tvoid (*io_delay)(void);" }],
    },
    {
      name: "a comment added inside a pv ops structure",
      files: [{ path: "arch/x86/include/asm/paravirt_types.h", section: "struct pv_cpu_ops {", hunk: "+\t/* hooks for various privileged instructions */\n \tvoid (*cpuid)(void);" }],
    },
  ],
  invalid: [
    {
      name: "a new op in struct pv_cpu_ops, known from the hunk's section",
      files: [{ path: "arch/x86/include/asm/paravirt_types.h", section: "struct pv_cpu_ops {", hunk: " \tvoid (*cpuid)(void);\n+\tvoid (*update_io_bitmap)(void);\n \tvoid (*wbinvd)(void);" }],
      errors: [{ file: "arch/x86/include/asm/paravirt_types.h", line: 11, severity: "warning", message: ["update_io_bitmap", "pv_cpu_ops"] }],
    },
    {
      name: "a new field in struct pv_info (the rtc-cmos case)",
      files: [{ path: "arch/x86/include/asm/paravirt_types.h", section: "struct pv_info {", hunk: " \tint paravirt_enabled;\n+\tunsigned int features;\t  /* valid only if paravirt_enabled is set */\n \tconst char *name;\n };" }],
      errors: [{ line: 11, message: ["features", "pv_info"] }],
    },
    {
      name: "a struct defined whole in the hunk",
      files: [{ path: "arch/x86/include/asm/paravirt_types.h", hunk: "+struct pv_foo_ops {\n+\tvoid (*one)(void);\n+\tstruct paravirt_callee_save two;\n+};" }],
      errors: [{ line: 11, message: ["one"] }, { line: 12, message: ["two"] }],
    },
  ],
});
