// U-Boot, worked out from its own tree (MAINTAINERS, board/, common/,
// drivers/core/, git history v2025.07..v2025.10):
// - Its core is common/, boot/, cmd/, lib/, fs/, net/, env/, disk/, api/
//   and the driver model in drivers/core/; board/ holds per-board code,
//   where a Xen test (`if (IS_ENABLED(CONFIG_XEN))` in the i.MX8 boards of
//   advantech and congatec) is as much a special case as in common/.
// - Xen is the one hypervisor with guest code: MAINTAINERS' XEN and XEN
//   GUEST FOR ARM64 sections list its files, beyond the **/xen/** the
//   defaults know (cmd/pvblock.c, include/pvblock.h, the xenguest configs).
//   KVM, Hyper-V, VMware, ACRN and Jailhouse have none, and their Linux
//   hooks (x86_init, x86_platform) do not exist here: they are dropped.
// - Kconfig is tested as in Linux, plus U-Boot's CONFIG_IS_ENABLED(XEN),
//   which names the symbol without its CONFIG_ prefix.
// - Subjects are "subsystem: summary" and every commit carries the
//   author's Signed-off-by, as in Linux: the changelog rules stay as they are.
// - Its core still carries architecture conditionals (at the tip: 35 in
//   common/, 15 in boot/, 12 in cmd/, 38 in lib/), and it took new ones
//   (7fd2795a4b82 adds #if defined(CONFIG_RISCV) to boot/bootm_os.c):
//   arch-conditional-in-core says so as a warning, not a failed check.
import type { PartialConfig } from "../load.js";

const XEN_SUGGESTION =
  "Keep the Xen case in Xen's own code (drivers/xen/, arch/arm/cpu/armv8/xen/, board/xen/) and reach it through what U-Boot already has for such a choice: a driver bound from the device tree Xen provides, an event spy (EVT_SPY), or a weak function the Xen board overrides, so this code does not test for Xen";

export const U_BOOT_PRESET: PartialConfig = {
  extends: "linux",
  hypervisors: [
    {
      id: "xen",
      ownPaths: { add: ["board/xen/**", "cmd/pvblock.c", "include/pvblock.h", "configs/xenguest_*", "include/configs/xenguest_*", "doc/board/xen/**"] },
      configSymbols: { add: ["(?<=CONFIG_IS_ENABLED\\()XEN\\w*"] },
      suggestion: XEN_SUGGESTION,
      // The Linux defaults' arch/x86 text names x86_init hooks U-Boot does not have.
      suggestions: [],
    },
    { id: "kvm", enabled: false },
    { id: "hyperv", enabled: false },
    { id: "vmware", enabled: false },
    { id: "acrn", enabled: false },
    { id: "jailhouse", enabled: false },
    {
      id: "generic",
      suggestion:
        "Describe the property the code depends on (a device-tree property, a Kconfig option of the feature itself, a flag the hypervisor's own driver sets) instead of asking whether it runs under a hypervisor",
      suggestions: [],
    },
  ],
  specialCaseScope: {
    remove: ["mm/**", "kernel/**", "block/**", "init/**", "ipc/**", "security/**", "include/linux/**", "include/asm-generic/**", "include/uapi/linux/*", "drivers/base/**", "drivers/acpi/**", "drivers/gpu/drm/*"],
    add: ["board/**", "common/**", "boot/**", "cmd/**", "env/**", "disk/**", "api/**", "drivers/core/**", "include/**"],
  },
  specialCaseExclude: { add: ["test/**", "doc/**", "configs/**", "dts/**", "arch/*/dts/**", "**/*.dts", "**/*.dtsi"] },
  rules: { "arch-conditional-in-core": { severity: "warning" } },
  corePaths: ["common/**", "boot/**", "cmd/**", "lib/**", "fs/**", "net/**", "env/**", "disk/**", "api/**", "drivers/core/**"],
};
