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
    { name: "a cover letter is not a commit", commits: [{ subject: "[PATCH 0/2] series", body: "", files: [] }] },
  ],
  invalid: [
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
