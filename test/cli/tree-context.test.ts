// check with a base tree (issue 11): the users of a symbol the series makes
// global are counted in the whole tree after the series, the census of the
// touched areas is shown, and without a base the output says so.
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { writeFileSync } from "node:fs";
import path from "node:path";
import { main } from "../../src/cli/main.js";
import { captureIo, TestRepo } from "../history/test-repo.js";

const signed = "\n\nSigned-off-by: Test Runner <runner@example.org>";
const why = "Xen PV's CPU bring-up cannot see the package count, which it needs before SMP starts.";

let repo: TestRepo;
let base: string;
let head: string;

beforeAll(() => {
  repo = new TestRepo("patchwarden-tree-");
  base = repo.commit(`x86/smpboot: Count packages${signed}`, "2024-01-01T00:00:00Z", {
    "arch/x86/kernel/smpboot.c": "static void calc_packages(void)\n{\n}\n\nvoid native_smp(void)\n{\n\tcalc_packages();\n}\n",
    // A user already in the tree: Xen's, in Xen's own code.
    "arch/x86/xen/smp.c": "void xen_smp(void)\n{\n\tif (xen_pv_domain())\n\t\tcalc_packages();\n}\n",
    "arch/x86/kernel/setup.c": "void setup(void)\n{\n\tif (xen_pv_domain())\n\t\treturn;\n#ifdef CONFIG_XEN\n\tfoo();\n#endif\n}\n",
  });
  head = repo.commit(`x86/smpboot: Make calc_packages() global\n\n${why}${signed}`, "2024-01-02T00:00:00Z", {
    "arch/x86/kernel/smpboot.c": "void calc_packages(void)\n{\n}\n\nvoid native_smp(void)\n{\n\tcalc_packages();\n}\n",
    "arch/x86/kernel/setup.c": "void setup(void)\n{\n#ifdef CONFIG_XEN\n\tfoo();\n#endif\n}\n",
  });
});
afterAll(() => repo.remove());

async function check(args: string[]) {
  const io = captureIo(repo.root);
  const code = await main(["check", ...args], io);
  return { code, out: io.out(), err: io.err() };
}

describe("check with the base tree", () => {
  it("--git: a user already in the tree makes the new global Xen-only, and the census shows the area", async () => {
    const r = await check(["--git", `${base}..${head}`, "--repo", repo.dir, "--rule", "hv-only-interface"]);
    expect(r.out).toContain("calc_packages() a global function in arch/x86/kernel/smpboot.c");
    expect(r.out).toContain("in the tree after the series are Xen's own code (arch/x86/xen/smp.c:4)");
    // Two Xen conditionals in arch/x86 outside Xen's code at the base; the series removes one.
    expect(r.out).toContain("arch/x86: 2 Xen conditionals at the base, 1 after this series (-1) — fewer special cases in shared code");
    expect(r.err).not.toContain("without the base tree");
  });

  it("a patch file with --repo: the base is HEAD~1 when its base-commit: line says so", async () => {
    const patch = repo.git(["format-patch", "--stdout", `--base=${base}`, `${base}..${head}`]);
    const file = path.join(repo.root, "one.patch");
    writeFileSync(file, `${patch}\n`);
    const r = await check([file, "--repo", repo.dir, "--rule", "hv-only-interface"]);
    expect(r.out).toContain("arch/x86/xen/smp.c:4");
  });

  it("a patch file whose base is not in the repository: no tree, and the output says why", async () => {
    const patch = repo.git(["format-patch", "--stdout", `${base}..${head}`]).replace(/^index [0-9a-f]+\.\./gm, "index 1234567..");
    const file = path.join(repo.root, "foreign.patch");
    writeFileSync(file, `${patch}\n`);
    const r = await check([file, "--repo", repo.dir, "--rule", "hv-only-interface"]);
    expect(r.out).not.toContain("arch/x86/xen/smp.c:4");
    expect(r.err).toContain("no base tree: it names no base-commit:, and its index lines do not match HEAD");
  });

  it("a patch file without --repo is checked on its own, and says which check lacked the tree", async () => {
    const patch = repo.git(["format-patch", "--stdout", `${base}..${head}`]);
    const file = path.join(repo.root, "alone.patch");
    writeFileSync(file, `${patch}\n`);
    const r = await check([file, "--rule", "hv-only-interface"]);
    expect(r.out).not.toContain("arch/x86/xen/smp.c:4");
    expect(r.err).toContain("checked without the base tree: hv-only-interface saw only the series' own users");
  });
});
