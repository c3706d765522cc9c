import { changelogWhy } from "../../rules/changelog-why.js";
import { ruleTester, type FileSpec } from "./rule-tester.js";

const someCode: FileSpec[] = [{ path: "arch/x86/mm/tlb.c", hunk: " \tfoo();\n+\tbar();" }];
const commit = (subject: string, body: string) => ({ commits: [{ subject, body, files: someCode }] });

ruleTester(changelogWhy, {
  valid: [
    { name: "a fix that names the failing condition", ...commit("x86/fsgsbase: Fix Xen PV support", "On Xen PV, SWAPGS doesn't work, so the FSGSBASE helpers cannot use it.") },
    { name: "a short message with a Fixes: tag", ...commit("x86: Fix __get_wchan() for !STACKTRACE", "Use asm/unwind.h to implement wchan.\n\nFixes: bc9bbb81730e (\"x86: Fix get_wchan() to support the ORC unwinder\")") },
    { name: "a cleanup that says what is wrong with the old code", ...commit("x86/iopl: Fixup misleading comment", "The comment for the sys_iopl() implementation is outdated and actively misleading. Fix it up.") },
    { name: "a change justified by a constraint", ...commit("x86/cpu: Drop 32-bit Xen PV code", "This code can be dropped, as Xen PV guests are supported in 64-bit mode only.") },
    { name: "removing dead code says why by saying it is unused", ...commit("gfs2: Remove unused argument", "Remove the unused flags argument of gfs2_iomap_alloc().") },
    { name: "a performance reason", ...commit("x86/cpu: Switch to cpu_feature_enabled()", "Convert the remaining cases, allowing more efficient code when CONFIG_XEN_PV=n.") },
    // Precision on accepted history (issue 9): what a maintainer merges without asking "why?".
    { name: "a fix that names its symptom", ...commit("x86/boot: Fix boot crash", "Initialize the locks earlier and disable preemption around the flush.") },
    { name: "a fix that quotes the warning", ...commit("x86/xen: Make hypercall_page noinstr", "  vmlinux.o: warning: objtool: xen_set_debugreg()+0x3: call to hypercall_page() leaves .noinstr.text section") },
    { name: "a statement of the situation, not an imperative", ...commit("x86/msi: Remove msidef.h", "Nothing uses the macro maze anymore.") },
    { name: "a purpose clause", ...commit("x86/srso: Improve i-cache locality for alias mitigation", "Move srso_alias_return_thunk() to the same section as srso_alias_safe_ret() so they can share a cache line.") },
    { name: "a precondition", ...commit("tick/sched: Optimize tick_do_update_jiffies64() further", "Now that it's clear that there is always one tick to account, simplify the calculations some more.") },
    { name: "the subject's verb is the goal", ...commit("sched: Simplify ttwu()", "Use guards to reduce gotos.") },
    { name: "'update' describing the change is not vague", ...commit("perf/x86/cstate: Add Meteor Lake support", "Meteor Lake is Intel's successor to Raptor lake; nothing changed for the counters.\n\nShare adl_cstates with Raptor lake.\nUpdate the comments for Meteor Lake.") },
    { name: "'various' as an adjective is not vague", ...commit("x86/foo: Drop the flags", "The various flags are no longer read by anyone.") },
    { name: "a typo fix needs no essay", ...commit("x86/numa: Fix typo", "encomapssing -> encompassing.") },
    { name: "no body on a trivial change", ...commit("x86/platform/uv/apic: Clean up inconsistent indenting", "") },
    { name: "new hardware names its reason", ...commit("x86/amd_nb: Add AMD Family MI300 PCI IDs", "Add new Root, Device 18h Function 3, and Function 4 PCI IDS.") },
    { name: "documentation only", commits: [{ subject: "dt-bindings: timer: renesas,cmt: Add r8a779a0 CMT support", body: "", files: [{ path: "Documentation/devicetree/bindings/timer/renesas,cmt.yaml", hunk: " a\n+b" }] }] },
    { name: "a maintainer's note is not the author's changelog", ...commit("x86/foo: Rework bar", "bar() took the lock twice, which deadlocks under memory pressure.\n\n[ bp: Fixed typo in the\n  subject ]") },
    // U-Boot v2025.07..v2025.10 (issue 9): hardware, releases, tests and imports need no essay.
    { name: "a device tree node", commits: [{ subject: "ARM: dts: sam9x60: Add watchdog DT node", body: "Add the watchdog timer node for the sam9x60 SoC's.", files: [{ path: "arch/arm/dts/sam9x60.dtsi", hunk: " a\n+b" }] }] },
    { name: "a defconfig", commits: [{ subject: "configs: qcs9100: Enable env in SCSI", body: "Enable CONFIG_ENV_IS_IN_SCSI to store environment variables in SCSI.", files: [{ path: "configs/qcs9100_defconfig", hunk: " a\n+b" }] }] },
    { name: "a board's MAINTAINERS entry", commits: [{ subject: "board: MAINTAINERS: Add Voyager board maintainer", body: "Add Voyager board maintainer.", files: [{ path: "board/voyager/MAINTAINERS", hunk: " a\n+b" }] }] },
    {
      name: "a new driver with its build glue",
      commits: [
        {
          subject: "clk: stm32mp25: Add clock driver",
          body: "Add clock driver for STM32MP25 SoCs.",
          files: [
            { path: "drivers/clk/stm32/clk-stm32mp25.c", hunk: "+int x;", added: true },
            { path: "drivers/clk/stm32/Kconfig", hunk: " a\n+b" },
            { path: "drivers/clk/stm32/Makefile", hunk: " a\n+b" },
          ],
        },
      ],
    },
    { name: "flash support in a driver, said with support at the end", commits: [{ subject: "mtd: spinand: winbond: add Winbond W25N04KV flash support", body: "Add Winbond W25N04KV flash support.", files: [{ path: "drivers/mtd/nand/spi/winbond.c", hunk: " a\n+b" }] }] },
    { name: "a release", commits: [{ subject: "Prepare v2025.10-rc1", body: "", files: [{ path: "Makefile", hunk: "-EXTRAVERSION = -rc0\n+EXTRAVERSION = -rc1" }] }] },
    { name: "tests only", commits: [{ subject: "test: slre: add test cases for escape char in character class", body: "", files: [{ path: "test/lib/slre.c", hunk: " a\n+b" }] }] },
    { name: "a subtree import", ...commit("Squashed 'dts/upstream/' changes from a..b", "b112f324c2a9 arm64: dts: rockchip: Enable USB OTG\n\ngit-subtree-dir: dts/upstream\ngit-subtree-split: fe2d6c49bb4e11ab4de4d2f9bd9234d1407c4f65") },
    { name: "a fix naming a segfault and a null pointer", ...commit("bootstd: rauc: Fix segfault occurring during private struct access", "Fix a potential segmentation fault, by not accessing the member of a null pointer.") },
    { name: "a purpose: better reuse", ...commit("bootstd: rauc: Move freeing private struct to its own function", "Move freeing a distro_rauc_priv struct to a new, separate function for better reuse.") },
    {
      name: "a step of a series whose cover letter says why",
      commits: [
        { subject: "[PATCH 0/2] net: mana: GIC interrupts", body: "The GDMA setup leaks interrupt contexts on reset because each queue allocates its own; share them.", files: [] },
        { subject: "net: mana: Use GIC functions to allocate global EQs", body: "Replace the GDMA global interrupt setup code with the new GIC allocation functions.", files: someCode },
      ],
    },
    { name: "a cover letter is not a commit", commits: [{ subject: "[PATCH 0/2] series", body: "", files: [] }] },
  ],
  invalid: [
    {
      name: "a cover letter that only describes does not cover its patches",
      commits: [
        { subject: "[PATCH 0/2] net: mana: GIC interrupts", body: "Add GIC functions and use them.", files: [] },
        { subject: "net: mana: Use GIC functions to allocate global EQs", body: "Replace the GDMA global interrupt setup code with the new GIC allocation functions.", files: someCode },
      ],
      errors: [{ message: ["only describes what the patch does"] }],
    },
    {
      name: "a patch with no body is asked even under a cover letter that says why",
      commits: [
        { subject: "[PATCH 0/2] net: mana: GIC interrupts", body: "The GDMA setup leaks interrupt contexts on reset because each queue allocates its own; share them.", files: [] },
        { subject: "net: mana: Use GIC functions to allocate global EQs", body: "", files: someCode },
      ],
      errors: [{ message: ["no changelog"] }],
    },
    {
      name: "'support' at the end of a hypervisor feature's subject is not hardware",
      commits: [{ subject: "x86/hyperv: Add new hvcall guest address host visibility support", body: "Add new hvcall guest address host visibility support to mark memory visible to host.", files: [{ path: "arch/x86/hyperv/ivm.c", hunk: " a\n+b" }, { path: "arch/x86/mm/pat/set_memory.c", hunk: " a\n+b" }] }],
      errors: [{ message: ["only describes what the patch does"] }],
    },
    {
      name: "a Makefile change that is more than the version",
      commits: [{ subject: "Prepare the build", body: "", files: [{ path: "Makefile", hunk: "-EXTRAVERSION = -rc0\n+EXTRAVERSION = -rc1\n+KBUILD_CFLAGS += -O3" }] }],
      errors: [{ message: ["no changelog"] }],
    },
    {
      name: "a new file in core code is not hardware enablement",
      commits: [{ subject: "lib: add a ring buffer", body: "Add a ring buffer.", files: [{ path: "lib/ring.c", hunk: "+int x;", added: true }, { path: "lib/Makefile", hunk: " a\n+b" }] }],
      errors: [{ message: ["only describes what the patch does"] }],
    },
    {
      name: "the seed example: a list of changes and an Impact tag naming no cause",
      ...commit("x86: fix up flush_tlb_all", "- initialize the locks before the first use\n- make sure preemption is disabled\n\n[ Impact: Bug fixes: boot time warning, and crash ]"),
      errors: [{ file: null, line: null, severity: "warning", message: ["Impact", "never says what causes it"] }],
    },
    { name: "no body at all", ...commit("mm: zero the tail of the last section", ""), errors: [{ message: ["no changelog"] }] },
    { name: "a bare revert", ...commit('Revert "x86/smpboot: Do not use smp_num_siblings"', "This reverts commit 947134d9b00f342415af7eddd42a5fce7262a1b9."), errors: [{ message: ["revert"] }] },
    { name: "a maintainer's note does not make a what-only changelog a fix", ...commit("x86/foo: Rework bar", "Rework bar() to take the lock once.\n\n[ bp: Fixed typo in the subject ]"), errors: [{ message: ["only describes what the patch does"] }] },
    { name: "only a list of what changed", ...commit("x86/mm: rework init", "- move foo() to bar.c\n- rename baz()\n- call qux() earlier"), errors: [{ message: ["lists what the patch changes"] }] },
    { name: "vague words instead of a reason", ...commit("x86/apic: misc cleanups", "Various small changes to apic.c."), errors: [{ message: ["stands in for a reason"] }] },
    { name: "a fix that names neither symptom nor cause", ...commit("x86/mm: Fix flush_tlb_all()", "Initialize the locks earlier and disable preemption around the flush."), errors: [{ message: ["neither the symptom nor the cause", "Fixes:"] }] },
    { name: "what-only, however precise", ...commit("x86/insn: Add insn_has_rep_prefix() helper", "Add a function to check whether an instruction has a REP prefix."), errors: [{ message: ["only describes what the patch does"] }] },
    {
      name: "each commit of a series is judged",
      commits: [
        { subject: "x86/a: fix a leak", body: "foo() leaks the buffer when bar() fails; free it.", files: someCode },
        { subject: "x86/b: update b", body: "Update b.", files: someCode },
      ],
      errors: [{ message: ["only describes what the patch does"] }],
    },
  ],
});
