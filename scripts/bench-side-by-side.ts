// The table of issue 13: patchwarden beside its references on the same work,
// in one run (medians of several runs; peak RSS where /usr/bin/time is at
// hand). The references: checkpatch.pl (CHECKPATCH=/path/to/checkpatch.pl),
// git itself on a real history (UBOOT=/path/to/a/u-boot/clone, or any tree
// with UBOOT_RANGE), and Node's own start. Figures only; nothing is asserted.
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

export interface Row {
  work: string;
  ours: Measured;
  reference: Measured & { what: string };
  /** How the ratio reads: "faster" (reference / ours), or "of git" (ours / reference). */
  ratio: "faster" | "of reference";
  goal: string;
}

export interface Measured {
  ms: number | null;
  /** Peak RSS of the process and the children it waited for (git), from /usr/bin/time. */
  peakMB?: number | null;
  /** Peak RSS of patchwarden's own node process (scripts/self-peak-rss.ts). */
  selfMB?: number | null;
  error?: string;
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

const TIME = existsSync("/usr/bin/time") ? "/usr/bin/time" : null;

interface Command {
  cmd: string;
  args: string[];
  cwd: string;
  /** Exit statuses that are results, not failures. */
  ok?: number[];
  env?: NodeJS.ProcessEnv;
  /**
   * A node process of ours that runs git: its own peak RSS is read too. Not
   * for the short rows: loading the probe costs each start a few ms.
   */
  selfRss?: boolean;
}

type Sample = { ms: number; peakMB: number | null; selfMB: number | null } | { error: string };

const probe = pathToFileURL(path.join(path.dirname(fileURLToPath(import.meta.url)), "self-peak-rss.js")).href;

function runOnce(c: Command): Sample {
  const wrapped = TIME ? ([TIME, ["-f", "\n%M", c.cmd, ...c.args]] as const) : ([c.cmd, c.args] as const);
  const dir = c.selfRss ? mkdtempSync(path.join(os.tmpdir(), "patchwarden-rss-")) : null;
  const selfFile = dir ? path.join(dir, "rss") : null;
  const env = { ...process.env, ...c.env };
  if (selfFile) Object.assign(env, { PATCHWARDEN_SELF_RSS: selfFile, NODE_OPTIONS: `${env.NODE_OPTIONS ?? ""} --import=${probe}`.trim() });
  try {
    const start = performance.now();
    const r = spawnSync(wrapped[0], wrapped[1], { cwd: c.cwd, env, encoding: "utf8", maxBuffer: 1 << 30, stdio: ["ignore", "ignore", "pipe"] });
    const ms = performance.now() - start;
    if (r.error) return { error: r.error.message };
    if (r.status === null || !(c.ok ?? [0]).includes(r.status)) return { error: `exit ${r.status ?? r.signal}: ${r.stderr.trim().split("\n").at(-2) ?? ""}` };
    const kb = TIME ? Number(r.stderr.trim().split("\n").at(-1)) : NaN;
    const selfKb = selfFile && existsSync(selfFile) ? Number(readFileSync(selfFile, "utf8")) : NaN;
    return { ms, peakMB: Number.isFinite(kb) ? (kb * 1024) / 1e6 : null, selfMB: Number.isFinite(selfKb) ? (selfKb * 1024) / 1e6 : null };
  } finally {
    if (dir) rmSync(dir, { recursive: true, force: true });
  }
}

/** The median wall time, and the peak RSS of the run closest to it. */
function summary(samples: Sample[]): Measured {
  const failed = samples.find((x): x is { error: string } => "error" in x);
  if (failed) return { ms: null, error: failed.error };
  const ok = samples as { ms: number; peakMB: number | null; selfMB: number | null }[];
  const m = median(ok.map((x) => x.ms));
  const closest = ok.reduce((a, b) => (Math.abs(b.ms - m) < Math.abs(a.ms - m) ? b : a));
  return { ms: m, peakMB: closest.peakMB, selfMB: closest.selfMB };
}

/**
 * Ours and the reference, `runs` times each, taking turns (which goes first
 * alternates too): a load that changes during the bench then weighs on both
 * alike. Run back to back, 5 of one then 5 of the other, the same build of
 * `rules` read anywhere from 1.05x to 1.60x Node's start at load 2.
 */
function sideBySideRuns(runs: number, ours: Command, reference: Command | null): [Measured, Measured] {
  const a: Sample[] = [];
  const b: Sample[] = [];
  for (let i = 0; i < runs; i++) {
    const pair = i % 2 === 0 ? [ours, reference] : [reference, ours];
    for (const c of pair) if (c) (c === ours ? a : b).push(runOnce(c));
    if ([...a, ...b].some((x) => "error" in x)) break;
  }
  return [summary(a), reference ? summary(b) : { ms: null }];
}

export interface SideBySideOptions {
  runs: number;
  projectRoot: string;
  /** Patch files: the corpus and the bundled examples. */
  corpusFiles: string[];
  /** ../shared/merged, one commit per file. */
  mergedDir: string | null;
  checkpatch: string | null;
  uboot: string | null;
  ubootRange: string;
  work: string;
}

export function sideBySide(o: SideBySideOptions): Row[] {
  const bin = path.join(o.projectRoot, "bin/patchwarden.js");
  const node = process.execPath;
  // Ours runs as installed: the executable, whose shebang starts the node
  // first on PATH; that is this bench's node.
  const onPath = { PATH: `${path.dirname(node)}${path.delimiter}${process.env.PATH ?? ""}` };
  const ours = (args: string[], cwd: string, more: Pick<Command, "ok" | "selfRss"> = {}): Command => ({ cmd: bin, args, cwd, env: onPath, ...more });
  const rows: Row[] = [];
  const checkpatch = (files: string[]): Command | null =>
    o.checkpatch ? { cmd: "perl", args: [o.checkpatch, "--no-tree", "--no-signoff", "--quiet", "--terse", ...files], cwd: o.work, ok: [0, 1] } : null;
  const cpWhat = o.checkpatch ? "checkpatch.pl --no-tree -q" : "checkpatch.pl (set CHECKPATCH)";
  const check = (args: string[], cwd = o.work, selfRss = false): Command => ours(["check", "--format", "json", ...args], cwd, { ok: [0, 1], selfRss });
  const row = (work: string, runs: number, ours: Command, what: string, reference: Command | null, ratio: Row["ratio"], goal: string) => {
    const [a, b] = sideBySideRuns(runs, ours, reference);
    rows.push({ work, ours: a, reference: { what, ...b }, ratio, goal });
  };

  if (o.corpusFiles.length > 0) {
    // checkpatch takes seconds a run: 3 turns each.
    row(`the ${o.corpusFiles.length} corpus and example patches, one process, --format json`, Math.min(o.runs, 3), check(o.corpusFiles), cpWhat, checkpatch(o.corpusFiles), "faster", ">= 20x faster");
  }
  if (o.mergedDir) {
    // 300 accepted commits: one mbox for patchwarden (a series), the same files for checkpatch (it reads one patch per file).
    const files = readdirSync(o.mergedDir).filter((f) => f.endsWith(".patch")).sort().slice(0, 300).map((f) => path.join(o.mergedDir!, f));
    const mbox = path.join(o.work, "merged-300.mbox");
    writeFileSync(mbox, files.map((f) => readFileSync(f, "utf8")).join("\n"));
    row(`${files.length} accepted commits in one mbox`, Math.min(o.runs, 3), check([mbox]), cpWhat, checkpatch(files), "faster", ">= 40x faster");
    const all = readdirSync(o.mergedDir).filter((f) => f.endsWith(".patch")).sort().map((f) => path.join(o.mergedDir!, f));
    const allMbox = path.join(o.work, "merged-all.mbox");
    writeFileSync(allMbox, all.map((f) => readFileSync(f, "utf8")).join("\n"));
    row(`stats over the ${all.length} accepted commits (each its own series)`, o.runs, ours(["stats", ...all], o.work), "check over the same as one series", check([allMbox]), "of reference", "<= 1.5x");
  }
  if (o.uboot) {
    const heavy = Math.min(o.runs, 3);
    const gitLog: Command = { cmd: "git", args: ["log", "-p", o.ubootRange], cwd: o.uboot };
    row(`U-Boot check --git ${o.ubootRange}`, heavy, check(["--git", o.ubootRange], o.uboot, true), "git log -p over the range", gitLog, "of reference", "<= 2x git, < 200 MB");
    row(`U-Boot stats --git ${o.ubootRange}`, heavy, ours(["stats", "--git", o.ubootRange], o.uboot, { selfRss: true }), "git log -p over the range", gitLog, "of reference", "constant memory per commit");
    const paths = ["drivers/xen", "arch/x86", "arch/arm/mach-imx"];
    row(
      `U-Boot sprawl ${paths.join(" ")} (whole history)`,
      heavy,
      ours(["sprawl", ...paths], o.uboot, { selfRss: true }),
      "git log --name-only",
      { cmd: "git", args: ["log", "--name-only", "--format=%H"], cwd: o.uboot },
      "of reference",
      "<= 1x git",
    );
  }
  // A start-up figure: many short runs, so that one slow start does not decide it.
  row("patchwarden rules", Math.max(o.runs, 21), ours(["rules"], o.work), "node -e 0", { cmd: node, args: ["-e", "0"], cwd: o.work }, "of reference", "<= 1.3x");
  return rows;
}

const fmt = (m: Measured): string => {
  if (m.error) return `failed: ${m.error.slice(0, 60)}`;
  if (m.ms === null) return "-";
  const t = m.ms < 1000 ? `${m.ms.toFixed(0)} ms` : `${(m.ms / 1000).toFixed(2)} s`;
  // git's RSS counts the pack pages it reads; node's own is the figure ours is measured by.
  if (m.selfMB) return `${t}, ${m.selfMB.toFixed(0)} MB${m.peakMB && m.peakMB - m.selfMB >= 1 ? ` (${m.peakMB.toFixed(0)} MB with git's)` : ""}`;
  return m.peakMB ? `${t}, ${m.peakMB.toFixed(0)} MB` : t;
};

export function formatSideBySide(rows: Row[]): string {
  const lines = ["| work | patchwarden | reference | ratio | goal |", "|---|---|---|---|---|"];
  for (const r of rows) {
    let ratio = "-";
    if (r.ours.ms && r.reference.ms) ratio = r.ratio === "faster" ? `${(r.reference.ms / r.ours.ms).toFixed(1)}x faster` : `${(r.ours.ms / r.reference.ms).toFixed(2)}x`;
    lines.push(`| ${r.work} | ${fmt(r.ours)} | ${r.reference.what}: ${fmt(r.reference)} | ${ratio} | ${r.goal} |`);
  }
  return lines.join("\n");
}
