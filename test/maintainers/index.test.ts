import { describe, expect, it } from "@jest/globals";
import { loadSubsystemMap } from "../../src/maintainers/index.js";
import { EXCERPT } from "./fixtures.js";

describe("loadSubsystemMap", () => {
  const fromFile = loadSubsystemMap(EXCERPT, "fixture/MAINTAINERS");
  const byConvention = loadSubsystemMap();

  it("answers from MAINTAINERS when given its text", () => {
    expect(fromFile.source).toBe("maintainers");
    expect(fromFile.file!.source).toBe("fixture/MAINTAINERS");
    expect(fromFile.primarySubsystem("arch/x86/xen/mmu_pv.c")!.name).toBe("XEN HYPERVISOR X86");
    expect(fromFile.subsystemsFor("arch/x86/xen/mmu_pv.c")).toHaveLength(3);
  });

  it("answers from conventions without it, in the same shape", () => {
    expect(byConvention.source).toBe("convention");
    expect(byConvention.file).toBeNull();
    expect(byConvention.primarySubsystem("arch/x86/xen/mmu_pv.c")).toMatchObject({
      name: "x86/xen",
      specificity: 3,
      directories: ["arch/x86/xen/"],
    });
    expect(byConvention.primarySubsystem("Makefile")).toBeNull();
  });

  it("treats an empty MAINTAINERS as a file with no sections", () => {
    const empty = loadSubsystemMap("");
    expect(empty.source).toBe("maintainers");
    expect(empty.primarySubsystem("mm/slub.c")).toBeNull();
    expect(empty.topicOf(["mm/slub.c"])).toBeNull();
  });
});

describe("topicOf", () => {
  const fromFile = loadSubsystemMap(EXCERPT);
  const byConvention = loadSubsystemMap();

  it("picks the subsystem most files belong to", () => {
    const topic = byConvention.topicOf(["mm/slub.c", "mm/slab.h", "kernel/fork.c"]);
    expect(topic).toMatchObject({ name: "mm", files: ["mm/slub.c", "mm/slab.h"], total: 3 });
  });

  it("breaks a tie by specificity", () => {
    // Both files are x86 and x86/xen: the tie goes to the deeper x86/xen.
    const topic = byConvention.topicOf(["arch/x86/xen/enlighten.c", "arch/x86/xen/mmu.c"]);
    expect(topic!.name).toBe("x86/xen");
    expect(fromFile.topicOf(["arch/x86/xen/enlighten.c", "arch/x86/xen/mmu.c"])!.name).toBe("XEN HYPERVISOR X86");
  });

  it("counts every subsystem a file is in, so a series across x86 is about x86", () => {
    const paths = ["arch/x86/xen/enlighten.c", "arch/x86/xen/mmu.c", "arch/x86/kernel/setup.c"];
    expect(byConvention.topicOf(paths)!.name).toBe("x86");
    const t = fromFile.topicOf(paths)!;
    expect(t.name).toBe("X86 ARCHITECTURE (32-BIT AND 64-BIT)");
    expect(t.files).toEqual(paths);
    expect(t.subsystem.specificity).toBe(2);
  });

  it("ignores catch-alls and duplicate paths", () => {
    const t = fromFile.topicOf(["Makefile", "Kconfig", "mm/slub.c", "./mm/slub.c"]);
    expect(t).toMatchObject({ name: "MEMORY MANAGEMENT", files: ["mm/slub.c"], total: 3 });
    expect(fromFile.topicOf(["Makefile"])).toBeNull();
    expect(fromFile.topicOf([])).toBeNull();
  });

  it("goes to the first met when count and specificity tie", () => {
    expect(byConvention.topicOf(["mm/slub.c", "block/blk-mq.c"])!.name).toBe("mm");
    expect(byConvention.topicOf(["block/blk-mq.c", "mm/slub.c"])!.name).toBe("block");
  });
});
