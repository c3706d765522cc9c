// extends: u-boot, on patches shaped like U-Boot's own Xen conditionals
// (board/congatec/cgtqmx8/cgtqmx8.c, board/advantech/..., common/board_r.c,
// include/linux/compat.h) and Xen's own files there.
import { describe, expect, it } from "@jest/globals";
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { mergeConfig, parseConfigText } from "../../src/config/load.js";
import { runRules } from "../../src/engine/run.js";
import { parseSeries } from "../../src/patch/series.js";

const uboot = mergeConfig(parseConfigText("extends: u-boot\n", "u-boot.yml"), undefined, "u-boot.yml");

/** One signed-off commit adding `added` (after one context line) to `file`. */
function patch(file: string, added: string[], subject = "board: congatec: handle the Xen case"): string {
  return [
    "From 2222222222222222222222222222222222222222 Mon Sep 17 00:00:00 2001",
    "From: A Dev <a@example.org>",
    "Date: Mon, 1 Dec 2026 10:00:00 +0000",
    `Subject: [PATCH] ${subject}`,
    "",
    "Under Xen the SCU is owned by dom0, so the board must not touch it;",
    "otherwise the guest hangs at boot.",
    "",
    "Signed-off-by: A Dev <a@example.org>",
    "---",
    `diff --git a/${file} b/${file}`,
    `--- a/${file}`,
    `+++ b/${file}`,
    `@@ -10,2 +10,${2 + added.length} @@ int board_init(void)`,
    " {",
    ...added.map((l) => `+${l}`),
    " }",
    "",
  ].join("\n");
}

function findings(text: string, config = uboot) {
  return runRules(parseSeries([{ name: "t.patch", bytes: Buffer.from(text) }], config.limits), config, { only: ["hv-special-case", "arch-conditional-in-core"] });
}

describe("extends: u-boot", () => {
  it.each([
    ["board/congatec/cgtqmx8/cgtqmx8.c", ["\tif (IS_ENABLED(CONFIG_XEN))", "\t\treturn 0;"]],
    ["board/advantech/imx8qm_dmsse20_a1/imx8qm_dmsse20_a1.c", ["\tif (IS_ENABLED(CONFIG_XEN)) {", "\t\tsc_pm_set_resource_power_mode(-1, 0, 0);", "\t}"]],
    ["common/board_r.c", ["#if CONFIG_IS_ENABLED(XEN)", "\tINITCALL(xen_init);", "#endif"]],
    ["common/board_f.c", ["\tif (CONFIG_IS_ENABLED(XEN))", "\t\treturn 0;"]],
    ["include/linux/compat.h", ["#ifdef CONFIG_XEN", "#include <asm/xen/hypercall.h>", "#endif"]],
    ["drivers/core/root.c", ["#if defined(CONFIG_XEN)", "\tdm_scan_xen();", "#endif"]],
  ])("a Xen conditional in %s is an error", (file, added) => {
    const f = findings(patch(file, added));
    expect(f.map((x) => [x.rule, x.severity, x.file])).toEqual([["hv-special-case", "error", file]]);
    // An ARM board is not told to use arch/x86 hooks.
    expect(f[0]!.message).not.toMatch(/x86/);
    expect(f[0]!.message).toContain("drivers/xen/");
  });

  it("the Linux defaults miss the board and common ones", () => {
    const linux = mergeConfig({});
    expect(findings(patch("board/congatec/cgtqmx8/cgtqmx8.c", ["\tif (IS_ENABLED(CONFIG_XEN))", "\t\treturn 0;"]), linux)).toEqual([]);
  });

  it.each(["board/xen/xenguest_arm64/xenguest_arm64.c", "drivers/xen/hypervisor.c", "cmd/pvblock.c", "arch/arm/cpu/armv8/xen/lowlevel_init.S", "drivers/serial/serial_xen.c"])(
    "Xen's own file %s is Xen's territory",
    (file) => {
      expect(findings(patch(file, ["#if CONFIG_IS_ENABLED(XEN)", "\txen_init();", "#endif"]))).toEqual([]);
    },
  );

  it("a comment naming the test is not one", () => {
    expect(findings(patch("board/congatec/cgtqmx8/cgtqmx8.c", ["\t/* if (IS_ENABLED(CONFIG_XEN)) */"]))).toEqual([]);
  });

  it("an architecture conditional in U-Boot's core is a warning", () => {
    const f = findings(patch("boot/bootm_os.c", ["#if defined(CONFIG_RISCV)", "\tbmi->argc = gd->arch.boot_hart;", "#endif"], "bootm: pass the hart id"));
    expect(f.map((x) => [x.rule, x.severity])).toEqual([["arch-conditional-in-core", "warning"]]);
  });

  it("knows only the hypervisors U-Boot has guest code for", () => {
    expect(uboot.hypervisors.map((h) => h.id)).toEqual(["xen", "generic"]);
  });

  it("a tree's .github/patchwarden.yml with extends: u-boot drives the CLI", () => {
    const tree = mkdtempSync(path.join(os.tmpdir(), "patchwarden-uboot-"));
    try {
      spawnSync("git", ["init", "-q", tree]);
      spawnSync("mkdir", ["-p", path.join(tree, ".github")]);
      writeFileSync(path.join(tree, ".github/patchwarden.yml"), "extends: u-boot\nspecialCaseExclude: {add: [board/congatec/**]}\n");
      writeFileSync(path.join(tree, "a.patch"), patch("board/advantech/imx8qm_dmsse20_a1/imx8qm_dmsse20_a1.c", ["\tif (IS_ENABLED(CONFIG_XEN))", "\t\treturn 0;"]));
      writeFileSync(path.join(tree, "b.patch"), patch("board/congatec/cgtqmx8/cgtqmx8.c", ["\tif (IS_ENABLED(CONFIG_XEN))", "\t\treturn 0;"]));
      const bin = path.resolve(import.meta.dirname ?? path.dirname(new URL(import.meta.url).pathname), "../../bin/patchwarden.js");
      const run = (file: string) => spawnSync(process.execPath, [bin, "check", "--rule", "hv-special-case", file], { cwd: tree, encoding: "utf8" });
      expect(run("a.patch").status).toBe(1);
      expect(run("b.patch").status).toBe(0);
    } finally {
      rmSync(tree, { recursive: true, force: true });
    }
  });
});
