import { describe, expect, it } from "@jest/globals";
import { subjectPrefix, subsystemByConvention, subsystemsByConvention } from "../../src/maintainers/conventions.js";
import { buildMatcher } from "../../src/maintainers/match.js";
import { parseMaintainers } from "../../src/maintainers/parse.js";

const primary = (path: string): string | undefined => subsystemByConvention(path)?.name;

describe("subsystemByConvention", () => {
  it.each([
    ["arch/x86/xen/enlighten.c", "x86/xen"],
    ["arch/x86/include/asm/xen/hypercall.h", "x86/xen"],
    ["arch/x86/kvm/vmx/vmx.c", "x86/kvm"],
    ["arch/x86/include/asm/kvm_host.h", "x86/kvm"],
    ["arch/x86/hyperv/hv_init.c", "x86/hyperv"],
    ["arch/x86/mm/init.c", "x86/mm"],
    ["arch/x86/kernel/cpu/common.c", "x86/cpu"],
    ["arch/x86/kernel/setup.c", "x86"],
    ["arch/arm64/kernel/setup.c", "arm64"],
    ["arch/arm64/kvm/arm.c", "arm64/kvm"],
    ["arch/arm/xen/enlighten.c", "arm/xen"],
    ["mm/page_alloc.c", "mm"],
    ["kernel/sched/core.c", "sched"],
    ["kernel/fork.c", "kernel"],
    ["kernel/bpf/verifier.c", "bpf"],
    ["fs/ext4/inode.c", "ext4"],
    ["fs/namei.c", "fs"],
    ["drivers/xen/events/events_base.c", "xen"],
    ["drivers/hv/vmbus_drv.c", "hyperv"],
    ["drivers/net/virtio_net.c", "net"],
    ["drivers/gpu/drm/drm_drv.c", "gpu"],
    ["include/xen/xen.h", "xen"],
    ["include/linux/hyperv.h", "hyperv"],
    ["include/linux/kvm_host.h", "kvm"],
    ["include/linux/foo.h", "include"],
    ["net/ipv4/tcp.c", "net"],
    ["block/blk-mq.c", "block"],
    ["virt/kvm/kvm_main.c", "kvm"],
    ["Documentation/admin-guide/README.rst", "docs"],
    ["tools/testing/selftests/kvm/x86/foo.c", "selftests"],
    ["certs/Makefile", "certs"],
  ])("%s → %s", (path, name) => {
    expect(primary(path)).toBe(name);
  });

  it("lists parents after the most specific, in the SubsystemMatch shape", () => {
    const got = subsystemsByConvention("arch/x86/xen/enlighten.c");
    expect(got.map((m) => [m.name, m.pattern, m.specificity, m.exact])).toEqual([
      ["x86/xen", "arch/x86/xen/", 3, true],
      ["x86", "arch/x86/", 2, false],
    ]);
    expect(got[0]).toMatchObject({ source: "convention", patternKind: "convention", directories: ["arch/x86/xen/"] });
    expect(subsystemsByConvention("kernel/sched/fair.c").map((m) => m.name)).toEqual(["sched", "kernel"]);
    expect(subsystemsByConvention("fs/ext4/inode.c").map((m) => m.name)).toEqual(["ext4", "fs"]);
  });

  it("gives a file rule no directory of its own", () => {
    expect(subsystemByConvention("include/linux/hyperv.h")!.directories).toEqual([]);
  });

  it("gives top-level files nothing", () => {
    expect(subsystemsByConvention("Makefile")).toEqual([]);
    expect(subsystemByConvention("MAINTAINERS")).toBeNull();
  });
});

describe("subjectPrefix", () => {
  it.each([
    ["x86/xen", "x86/xen"],
    ["x86/kvm", "KVM: x86"],
    ["arm64/kvm", "KVM: arm64"],
    ["x86/hyperv", "x86/hyperv"],
    ["hyperv", "Drivers: hv"],
    ["mm", "mm"],
    ["sched", "sched"],
    ["xen", "xen"],
    ["kvm", "KVM"],
    ["XEN HYPERVISOR X86", "x86/xen"],
    ["KERNEL VIRTUAL MACHINE FOR X86 (KVM/x86)", "KVM: x86"],
    ["MEMORY MANAGEMENT - CORE", "mm"],
  ])("%s → %s", (name, prefix) => {
    expect(subjectPrefix(name)).toBe(prefix);
  });

  it("has none for names without a common prefix", () => {
    expect(subjectPrefix("include")).toBeNull();
    expect(subjectPrefix("constructor")).toBeNull();
  });

  it("falls back to the matched pattern's directory for an unknown title", () => {
    const m = buildMatcher(parseMaintainers("HYPER-V CORE\nF:\tarch/x86/hyperv/\nF:\tdrivers/hv/\n", "t"));
    expect(subjectPrefix(m.subsystemsFor("arch/x86/hyperv/hv_init.c")[0]!)).toBe("x86/hyperv");
    expect(subjectPrefix(m.subsystemsFor("drivers/hv/vmbus_drv.c")[0]!)).toBe("Drivers: hv");
    expect(subjectPrefix(subsystemByConvention("arch/x86/kvm/x86.c")!)).toBe("KVM: x86");
  });
});
