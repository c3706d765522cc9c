// Times `patchwarden sprawl` and `patchwarden census` on a synthetic
// kernel-shaped repository and extrapolates to Linux's size (about 1,000,000
// commits and 80,000 files). The repository is written with one
// `git fast-import` fed from this process, so 100,000 commits take seconds,
// not the hours `git commit` would. Reports figures only; asserts nothing.
//
//   npx tsc -p tsconfig.build.json && node dist/scripts/bench-history.js
//     [--commits N] [--files N] [--repo DIR (reuse one made with --keep)] [--keep]
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, openSync, closeSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { Writable } from "node:stream";
import type { CliIo } from "../src/cli/main.js";
import { rng } from "./random.js";

const thisFile = fileURLToPath(import.meta.url);
const LINUX = { commits: 1_000_000, files: 80_000 };

// ---------------------------------------------------------------- the tree

interface Area {
  name: string;
  files: string[];
}

/** Directories shaped like Linux's, scaled to `total` files; drivers take the rest. */
function makeTree(total: number): Map<string, Area> {
  const scale = total / 20_000;
  const areas = new Map<string, Area>();
  const add = (name: string, dirs: string[], n: number, ext = ["c", "c", "h"]) => {
    const files: string[] = [];
    const count = Math.max(dirs.length, Math.round(n * scale));
    for (let k = 0; k < count; k++) files.push(`${dirs[k % dirs.length]}/f${k}.${ext[k % ext.length]}`);
    for (const d of dirs) files.push(`${d}/Makefile`);
    areas.set(name, { name, files });
  };
  add("kvm", ["arch/x86/kvm", "arch/x86/kvm/mmu", "arch/x86/kvm/vmx", "arch/x86/kvm/svm"], 160);
  add("xen", ["arch/x86/xen"], 60);
  add("x86", ["arch/x86/kernel", "arch/x86/kernel/cpu", "arch/x86/kernel/apic", "arch/x86/mm", "arch/x86/pci", "arch/x86/boot"], 700);
  add("x86-include", ["arch/x86/include/asm", "arch/x86/include/uapi/asm"], 500, ["h"]);
  add("x86-entry", ["arch/x86/entry"], 40, ["S"]);
  const arches = ["arm64", "powerpc", "s390", "riscv", "mips", "loongarch", "arm", "sparc"];
  add("arch", arches.flatMap((a) => [`arch/${a}/kernel`, `arch/${a}/mm`, `arch/${a}/include/asm`, `arch/${a}/kvm`]), 2400);
  add("virt-kvm", ["virt/kvm"], 30);
  add("include-linux", ["include/linux", "include/linux/mfd", "include/linux/usb"], 1500, ["h"]);
  add("include-other", ["include/xen", "include/uapi/linux", "include/net", "include/trace/events"], 700, ["h"]);
  add("mm", ["mm"], 250);
  add("kernel", ["kernel", "kernel/sched", "kernel/time", "kernel/irq", "kernel/bpf"], 600);
  add("fs", ["ext4", "btrfs", "xfs", "nfs", "f2fs", "proc", "ocfs2", "smb/client"].map((d) => `fs/${d}`), 1800);
  add("net", ["core", "ipv4", "ipv6", "netfilter", "mac80211", "bluetooth", "sched"].map((d) => `net/${d}`), 1500);
  add("drivers-xen", ["drivers/xen", "drivers/xen/xenbus"], 80);
  add("tools-kvm", ["tools/testing/selftests/kvm", "tools/testing/selftests/kvm/x86"], 120);
  add("docs-kvm", ["Documentation/virt/kvm"], 60, ["rst"]);
  add("misc", ["sound/core", "sound/pci", "security/selinux", "block", "lib", "crypto", "init", "ipc", "scripts", "tools/perf", "Documentation/admin-guide"], 2000);
  const used = [...areas.values()].reduce((n, a) => n + a.files.length, 0);
  const subsystems = ["net", "gpu/drm", "usb", "scsi", "media", "staging", "infiniband", "pci", "acpi", "firmware/efi", "hv", "block", "md", "input", "iio", "clk", "tty", "mmc", "spi", "i2c"];
  const dirs = subsystems.flatMap((s) => [`drivers/${s}`, `drivers/${s}/core`, `drivers/${s}/vendor-a`, `drivers/${s}/vendor-b`]);
  add("drivers", dirs, Math.max(0, total - used) / scale);
  return areas;
}

// Realistic file sizes only at the tip: history blobs are one line each, so
// fast-import does not spend minutes deflating texts nobody reads (`git log
// --name-only` compares trees, never blobs). The tip is ~12 KB a file.
const BODY = Array.from({ length: 24 }, (_, k) => `static int helper_${k}(struct device *dev, int x)\n{\n\t/* keeps the lexer busy: "strings", 'c' */\n\treturn x * ${k} + dev_id(dev);\n}\n\n`).join("");

function tipContent(file: string, r: () => number): string {
  if (file.endsWith("Makefile")) return r() < 0.1 ? "obj-y += a.o\nobj-$(CONFIG_XEN) += xen.o\nifdef CONFIG_XEN\nccflags-y += -DXEN\nendif\n" : "obj-y += a.o b.o\n";
  const hv: string[] = [];
  // Shared code names a hypervisor rarely; Xen far more often than KVM.
  if (r() < 0.04) hv.push("#ifdef CONFIG_XEN\n#include <xen/xen.h>\n#endif\n");
  if (r() < 0.03) hv.push("void hv_case(void)\n{\n\tif (xen_pv_domain())\n\t\treturn;\n}\n");
  if (r() < 0.005) hv.push("#ifdef CONFIG_KVM_CLOCK\nstatic int kvmclock;\n#endif\n");
  if (r() < 0.01) hv.push("int g(void) { return boot_cpu_has(X86_FEATURE_HYPERVISOR); }\n");
  if (r() < 0.02) hv.push("/* not a test: xen_pv_domain() in a comment */\n");
  return `// SPDX-License-Identifier: GPL-2.0\n/* ${file} */\n${hv.join("")}${BODY}`;
}

/** Which files a commit touches: mostly one area, some KVM and Xen work reaching outside, a few treewide. */
function commitFiles(areas: Map<string, Area>, all: string[], r: () => number): string[] {
  const pick = (name: string, n: number) => {
    const a = areas.get(name)!.files;
    return Array.from({ length: n }, () => a[Math.floor(r() * a.length)]!);
  };
  const x = r();
  let files: string[];
  if (x < 0.001) files = Array.from({ length: 150 + Math.floor(r() * 1500) }, () => all[Math.floor(r() * all.length)]!);
  else if (x < 0.041) {
    files = pick("kvm", 1 + Math.floor(r() * 4));
    if (r() < 0.5) for (const a of ["x86-include", "include-linux", "virt-kvm", "tools-kvm", "docs-kvm", "x86"]) if (r() < 0.3) files.push(...pick(a, 1));
  } else if (x < 0.056) {
    files = pick("xen", 1 + Math.floor(r() * 3));
    if (r() < 0.6) for (const a of ["include-other", "drivers-xen", "x86-include", "x86", "mm"]) if (r() < 0.3) files.push(...pick(a, 1));
  } else {
    const names = [...areas.keys()];
    files = pick(names[Math.floor(r() * names.length)]!, 1 + Math.floor(r() * 5));
    if (r() < 0.2) files.push(all[Math.floor(r() * all.length)]!);
  }
  return [...new Set(files)];
}

/** Writes the repository with one fast-import; returns the number of commits. */
async function synthesize(dir: string, commits: number, fileCount: number): Promise<{ commits: number; files: number }> {
  spawnSync("git", ["init", "-q", "-b", "main", dir], { stdio: "inherit" });
  const areas = makeTree(fileCount);
  const all = [...areas.values()].flatMap((a) => a.files);
  const r = rng(1);
  // glibc's malloc gives memory back after every blob and takes it again for
  // the next (brk thrash): 30 s instead of 1 s for 10,000 commits here.
  const env = { ...process.env, GLIBC_TUNABLES: "glibc.malloc.top_pad=67108864:glibc.malloc.trim_threshold=268435456" };
  const fi = spawn("git", ["-C", dir, "fast-import", "--quiet", "--done"], { stdio: ["pipe", "inherit", "inherit"], env });
  const done = new Promise<number>((res) => fi.once("close", (c) => res(c ?? 1)));
  const write = async (s: string) => {
    if (!fi.stdin.write(s)) await new Promise((res) => fi.stdin.once("drain", res));
  };
  const data = (s: string) => `data ${Buffer.byteLength(s)}\n${s}\n`;
  let time = 1_100_000_000;
  const commit = async (n: number, message: string, body: string) => {
    time += 600;
    // No `from`: the branch's last commit is the parent, and naming it
    // would make fast-import reload the tree for every commit.
    await write(`commit refs/heads/main\nmark :${n}\ncommitter Bench <bench@example.org> ${time} +0000\n${data(message)}${body}`);
  };
  await commit(1, "initial tree", all.map((f) => `M 100644 inline ${f}\n${data(`${f} 0\n`)}`).join(""));
  for (let n = 2; n < commits; n++) {
    const files = commitFiles(areas, all, r);
    await commit(n, `change ${n}`, files.map((f) => `M 100644 inline ${f}\n${data(`${f} ${n}\n`)}`).join(""));
  }
  // The tip: every file at a realistic size, in chunks to keep memory flat.
  await commit(commits, "grow every file to its size at the tip", "");
  for (let k = 0; k < all.length; k += 500) {
    // fast-import takes the file commands of the last commit until a blank line; chunking the write is fine.
    await write(all.slice(k, k + 500).map((f) => `M 100644 inline ${f}\n${data(tipContent(f, r))}`).join(""));
  }
  await write("\ndone\n");
  fi.stdin.end();
  if ((await done) !== 0) throw new Error("git fast-import failed");
  return { commits, files: all.length };
}

// ---------------------------------------------------------------- measuring

interface ChildResult {
  ms: number;
  peakMB: number;
  output: string;
}

/** In a child process, runs one command in-process and prints its time, peak RSS and output. */
async function child(command: string, args: string[]): Promise<void> {
  let output = "";
  const sink = new Writable({
    write(chunk: Buffer, _e, cb) {
      output += chunk.toString();
      cb();
    },
  });
  const io: CliIo = { stdin: process.stdin, stdout: sink, stderr: new Writable({ write: (_c, _e, cb) => cb() }), cwd: process.cwd(), env: process.env };
  const run = command === "sprawl" ? (await import("../src/history/command.js")).sprawlCommand : (await import("../src/census/command.js")).censusCommand;
  const start = performance.now();
  await run(args, io);
  const ms = performance.now() - start;
  const result: ChildResult = { ms, peakMB: (process.resourceUsage().maxRSS * 1024) / 1e6, output };
  process.stdout.write(JSON.stringify(result));
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[xs.length >> 1]!;

/**
 * The median of `runs` runs, each in a fresh node process so one's peak RSS
 * does not carry into the next. A shared 2-CPU machine varies by ±30%.
 */
function measure(command: string, args: string[], runs: number): ChildResult {
  const results: ChildResult[] = [];
  for (let i = 0; i < runs; i++) {
    const r = spawnSync(process.execPath, [thisFile, "--child", command, ...args], { encoding: "utf8", maxBuffer: 1 << 28 });
    if (r.status !== 0) throw new Error(`${command} failed: ${r.stderr}`);
    results.push(JSON.parse(r.stdout) as ChildResult);
  }
  const ms = median(results.map((r) => r.ms));
  return { ms, peakMB: Math.max(...results.map((r) => r.peakMB)), output: results[0]!.output };
}

/** Median wall time of a bare git command, output thrown away: the floor under each command. */
function timeGit(dir: string, args: string[], runs: number): number {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const devnull = openSync("/dev/null", "w");
    const start = performance.now();
    spawnSync("git", ["-C", dir, ...args], { stdio: ["ignore", devnull, "inherit"] });
    times.push(performance.now() - start);
    closeSync(devnull);
  }
  return median(times);
}

const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
const n = (x: number) => Math.round(x).toLocaleString("en-US");

/** Times both commands on the repository at `dir` and prints the figures. */
function benchmark(dir: string, runs: number): void {
  const commits = Number(spawnSync("git", ["-C", dir, "rev-list", "--count", "HEAD"], { encoding: "utf8" }).stdout);
  const files = spawnSync("git", ["-C", dir, "ls-tree", "-r", "--name-only", "HEAD"], { encoding: "utf8", maxBuffer: 1 << 28 }).stdout.split("\n").length - 1;
  console.log(`repository: ${n(commits)} commits, ${n(files)} files at HEAD; times are the median of ${runs} runs`);

  const paths = ["arch/x86/kvm", "arch/x86/xen"];
  const gitLog = timeGit(dir, ["log", "--no-merges", "--no-renames", "--name-only", "--full-diff", "--format=%H %s", "--", ...paths], runs);
  const sprawl = measure("sprawl", ["--repo", dir, "--format", "json", ...paths], runs);
  const report = JSON.parse(sprawl.output) as { commitsRead: number; columns: { path: string; commits: number; filesOutside: number; share: number }[]; treewide: unknown[] };
  const rate = commits / (sprawl.ms / 1000);
  console.log(`\nsprawl ${paths.join(" ")}`);
  console.log(`  git log alone          ${s(gitLog)}`);
  console.log(`  sprawl                 ${s(sprawl.ms)}   ${n(rate)} commits of history/s   peak RSS ${sprawl.peakMB.toFixed(0)} MB (node; git runs beside it)`);
  console.log(`  read ${n(report.commitsRead)} matching commits; ${report.columns.map((c) => `${c.path}: ${n(c.commits)} commits, ${n(c.filesOutside)} outside (${(c.share * 100).toFixed(1)}%)`).join("; ")}; ${report.treewide.length} treewide`);
  console.log(`  at Linux's ${n(LINUX.commits)} commits: ~${s((LINUX.commits / rate) * 1000)} (linear in history walked; Linux's larger trees make git's tree diffs dearer)`);

  const gitGrep = timeGit(dir, ["grep", "-l", "-z", "-I", "-F", "-e", "CONFIG_XEN", "-e", "xen_pv_domain", "HEAD"], runs);
  const census = measure("census", ["--repo", dir, "--format", "json"], runs);
  const c = JSON.parse(census.output) as { filesConsidered: number; filesRead: number; locations: unknown[]; hypervisors: { id: string; count: number }[] };
  const frate = files / (census.ms / 1000);
  console.log(`\ncensus HEAD`);
  console.log(`  git grep alone         ${s(gitGrep)}`);
  console.log(`  census                 ${s(census.ms)}   ${n(frate)} files in tree/s   peak RSS ${census.peakMB.toFixed(0)} MB (node)`);
  console.log(`  ${n(c.filesConsidered)} files in scope, ${n(c.filesRead)} read and lexed, ${n(c.locations.length)} conditionals (${c.hypervisors.filter((h) => h.count).map((h) => `${h.id} ${h.count}`).join(", ")})`);
  console.log(`  at Linux's ${n(LINUX.files)} files: ~${s((LINUX.files / frate) * 1000)} (linear in files; Linux's files average ~16 KB, these ~12 KB)`);
}

async function main(): Promise<void> {
  if (process.argv[2] === "--child") return child(process.argv[3]!, process.argv.slice(4));
  const { values } = parseArgs({
    options: {
      commits: { type: "string", default: "120000" },
      files: { type: "string", default: "20000" },
      runs: { type: "string", default: "3" },
      repo: { type: "string" },
      keep: { type: "boolean", default: false },
    },
  });
  console.log(`node ${process.version}, ${os.cpus().length} CPUs, ${spawnSync("git", ["--version"], { encoding: "utf8" }).stdout.trim()}`);
  if (values.repo !== undefined) {
    if (!existsSync(values.repo)) throw new Error(`no repository at ${values.repo}`);
    return benchmark(values.repo, Number(values.runs));
  }
  const dir = mkdtempSync(path.join(os.tmpdir(), "patchwarden-bench-history-"));
  try {
    const start = performance.now();
    await synthesize(dir, Number(values.commits), Number(values.files));
    // A maintained clone has a commit-graph; without one every commit is parsed from the pack.
    spawnSync("git", ["-C", dir, "commit-graph", "write", "--reachable"], { stdio: "ignore" });
    console.log(`synthesized ${dir} in ${s(performance.now() - start)} (fast-import and commit-graph)`);
    benchmark(dir, Number(values.runs));
  } finally {
    if (values.keep) console.log(`\nkept ${dir} (reuse with --repo ${dir})`);
    else rmSync(dir, { recursive: true, force: true });
  }
}

await main();
