// The table of issue 13: patchwarden beside its references on the same work,
// in one run (medians of several runs; peak RSS where /usr/bin/time is at
// hand). The references: checkpatch.pl (CHECKPATCH=/path/to/checkpatch.pl),
// git itself on a real history (UBOOT=/path/to/a/u-boot/clone, or any tree
// with UBOOT_RANGE), and Node's own start. Figures only; nothing is asserted.
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";

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
  peakMB?: number | null;
  error?: string;
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

const TIME = existsSync("/usr/bin/time") ? "/usr/bin/time" : null;

/** Median wall time (and the peak RSS of the median run) of `runs` runs; exit statuses in `ok` are results, not failures. */
function timed(runs: number, cmd: string, args: string[], cwd: string, ok: number[] = [0]): Measured {
  const samples: { ms: number; peakMB: number | null }[] = [];
  for (let i = 0; i < runs; i++) {
    const wrapped = TIME ? [TIME, ["-f", "\n%M", cmd, ...args]] as const : [cmd, args] as const;
    const start = performance.now();
    const r = spawnSync(wrapped[0], wrapped[1], { cwd, encoding: "utf8", maxBuffer: 1 << 30, stdio: ["ignore", "ignore", "pipe"] });
    const ms = performance.now() - start;
    if (r.error) return { ms: null, error: r.error.message };
    if (r.status === null || !ok.includes(r.status)) return { ms: null, error: `exit ${r.status ?? r.signal}: ${r.stderr.trim().split("\n").at(-2) ?? ""}` };
    const kb = TIME ? Number(r.stderr.trim().split("\n").at(-1)) : NaN;
    samples.push({ ms, peakMB: Number.isFinite(kb) ? (kb * 1024) / 1e6 : null });
  }
  const m = median(samples.map((s) => s.ms));
  const closest = samples.reduce((a, b) => (Math.abs(b.ms - m) < Math.abs(a.ms - m) ? b : a));
  return { ms: m, peakMB: closest.peakMB };
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
  const rows: Row[] = [];
  const cp = (files: string[]): Measured & { what: string } =>
    o.checkpatch
      ? { what: "checkpatch.pl --no-tree -q", ...timed(Math.min(o.runs, 3), "perl", [o.checkpatch, "--no-tree", "--no-signoff", "--quiet", "--terse", ...files], o.work, [0, 1]) }
      : { what: "checkpatch.pl (set CHECKPATCH)", ms: null };

  if (o.corpusFiles.length > 0) {
    rows.push({
      work: `the ${o.corpusFiles.length} corpus and example patches, one process, --format json`,
      ours: timed(o.runs, node, [bin, "check", "--format", "json", ...o.corpusFiles], o.work, [0, 1]),
      reference: cp(o.corpusFiles),
      ratio: "faster",
      goal: ">= 20x faster",
    });
  }
  if (o.mergedDir) {
    // 300 accepted commits: one mbox for patchwarden (a series), the same files for checkpatch (it reads one patch per file).
    const files = readdirSync(o.mergedDir).filter((f) => f.endsWith(".patch")).sort().slice(0, 300).map((f) => path.join(o.mergedDir!, f));
    const mbox = path.join(o.work, "merged-300.mbox");
    writeFileSync(mbox, files.map((f) => readFileSync(f, "utf8")).join("\n"));
    rows.push({
      work: `${files.length} accepted commits in one mbox`,
      ours: timed(o.runs, node, [bin, "check", "--format", "json", mbox], o.work, [0, 1]),
      reference: cp(files),
      ratio: "faster",
      goal: ">= 40x faster",
    });
    const all = readdirSync(o.mergedDir).filter((f) => f.endsWith(".patch")).sort().map((f) => path.join(o.mergedDir!, f));
    const allMbox = path.join(o.work, "merged-all.mbox");
    writeFileSync(allMbox, all.map((f) => readFileSync(f, "utf8")).join("\n"));
    rows.push({
      work: `stats over the ${all.length} accepted commits (each its own series)`,
      ours: timed(o.runs, node, [bin, "stats", ...all], o.work),
      reference: { what: "check over the same as one series", ...timed(o.runs, node, [bin, "check", "--format", "json", allMbox], o.work, [0, 1]) },
      ratio: "of reference",
      goal: "<= 1.5x",
    });
  }
  if (o.uboot) {
    const heavy = Math.min(o.runs, 3);
    rows.push({
      work: `U-Boot check --git ${o.ubootRange}`,
      ours: timed(heavy, node, [bin, "check", "--format", "json", "--git", o.ubootRange], o.uboot, [0, 1]),
      reference: { what: "git log -p over the range", ...timed(heavy, "git", ["log", "-p", o.ubootRange], o.uboot) },
      ratio: "of reference",
      goal: "<= 2x git, < 200 MB",
    });
    rows.push({
      work: `U-Boot stats --git ${o.ubootRange}`,
      ours: timed(heavy, node, [bin, "stats", "--git", o.ubootRange], o.uboot),
      reference: { what: "git log -p over the range", ...timed(heavy, "git", ["log", "-p", o.ubootRange], o.uboot) },
      ratio: "of reference",
      goal: "constant memory per commit",
    });
    const paths = ["drivers/xen", "arch/x86", "arch/arm/mach-imx"];
    rows.push({
      work: `U-Boot sprawl ${paths.join(" ")} (whole history)`,
      ours: timed(heavy, node, [bin, "sprawl", ...paths], o.uboot),
      reference: { what: "git log --name-only", ...timed(heavy, "git", ["log", "--name-only", "--format=%H"], o.uboot) },
      ratio: "of reference",
      goal: "<= 1x git",
    });
  }
  rows.push({
    work: "patchwarden rules",
    ours: timed(o.runs, node, [bin, "rules"], o.work),
    reference: { what: "node -e 0", ...timed(o.runs, node, ["-e", "0"], o.work) },
    ratio: "of reference",
    goal: "<= 1.3x",
  });
  return rows;
}

const fmt = (m: Measured): string => {
  if (m.error) return `failed: ${m.error.slice(0, 60)}`;
  if (m.ms === null) return "-";
  const t = m.ms < 1000 ? `${m.ms.toFixed(0)} ms` : `${(m.ms / 1000).toFixed(2)} s`;
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
