import { archConditionalInCore } from "../../rules/arch-conditional-in-core.js";
import { ruleTester } from "./rule-tester.js";

ruleTester(archConditionalInCore, {
  valid: [
    { name: "an architecture conditional inside arch/", files: [{ path: "arch/x86/mm/init.c", hunk: "+#ifdef CONFIG_X86_64\n+\tfoo();\n+#endif" }] },
    { name: "a generic Kconfig symbol in mm/", files: [{ path: "mm/memory.c", hunk: "+#ifdef CONFIG_NUMA\n+\tfoo();\n+#endif" }] },
    { name: "an architecture named in a comment", files: [{ path: "mm/memory.c", hunk: "+#endif /* CONFIG_X86 */\n+\t/* CONFIG_ARM64 has no such thing */" }] },
    {
      name: "an architecture conditional moved within core code",
      files: [{ path: "kernel/fork.c", hunk: "-#ifdef CONFIG_X86\n-\tfoo();\n-#endif\n \tbar();\n+#ifdef CONFIG_X86\n+\tfoo();\n+#endif" }],
    },
    { name: "a uapi header may know the architecture (ABI)", files: [{ path: "include/uapi/linux/kvm.h", hunk: "+#ifdef __x86_64__\n+#define X 1\n+#endif" }] },
    { name: "asm-generic is the architectures' shared code", files: [{ path: "include/asm-generic/io.h", hunk: "+#ifdef CONFIG_X86\n+#define X 1\n+#endif" }] },
  ],
  invalid: [
    // Misses on accepted history (issue 9): core headers and the compiler's own macros.
    { name: "CONFIG_X86_64 in a core header", files: [{ path: "include/linux/mm.h", hunk: "+#ifdef CONFIG_X86_64\n+#define X 1\n+#endif" }], errors: [{ file: "include/linux/mm.h", line: 10 }] },
    { name: "a compiler architecture macro in core code", files: [{ path: "kernel/sched/core.c", hunk: "+#if defined(__aarch64__)\n+\tfoo();\n+#endif" }], errors: [{ file: "kernel/sched/core.c", line: 10 }] },
    {
      name: "#ifdef CONFIG_ARM in mm/",
      files: [{ path: "mm/highmem.c", hunk: " \tfoo();\n+#ifdef CONFIG_ARM\n+\tflush();\n+#endif" }],
      errors: [{ file: "mm/highmem.c", line: 11, severity: "error", message: ["CONFIG_ARM", "hook"] }],
    },
    {
      name: "IS_ENABLED(CONFIG_X86_64) in kernel/",
      files: [{ path: "kernel/sched/core.c", hunk: "+\tif (IS_ENABLED(CONFIG_X86_64) && x)\n+\t\treturn;" }],
      errors: [{ line: 10, message: ["CONFIG_X86_64"] }],
    },
    {
      name: "#if defined(CONFIG_PPC) || defined(CONFIG_S390) in fs/",
      files: [{ path: "fs/exec.c", hunk: "+#if defined(CONFIG_PPC) || defined(CONFIG_S390)\n+\tfoo();\n+#endif" }],
      errors: [{ message: ["CONFIG_PPC", "CONFIG_S390"] }],
    },
  ],
});
