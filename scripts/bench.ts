// Prints how fast patchwarden is and how much memory it takes, on the labelled
// corpus (../shared/corpus/patches, or --corpus DIR) and on one large synthetic
// series; with CHECKPATCH=/path/to/checkpatch.pl, beside checkpatch.pl on the
// same inputs. Reports figures only: it asserts nothing and exits 0 unless it
// cannot run at all.
//
//   [CHECKPATCH=...] [UBOOT=/path/to/u-boot] npm run bench [-- --corpus DIR] [--runs N] [--json]
//   (N >= 2: the first run is reported apart from the warm ones)
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { LINUX_DEFAULTS } from "../src/config/defaults.js";
import { runRules } from "../src/engine/run.js";
import { parseSeries, type PatchInput } from "../src/patch/series.js";
import { formatSideBySide, sideBySide } from "./bench-side-by-side.js";
import { SYNTHETIC_DEFAULTS, syntheticSeries } from "./synthetic-series.js";

const thisFile = fileURLToPath(import.meta.url);
const projectRoot = path.resolve(path.dirname(thisFile), "../..");
const GOAL_MS = 1000;
const GOAL_MB = 200;

interface InProcess {
  commits: number;
  files: number;
  changedLines: number;
  findings: number;
  runs: number;
  /** First parse + rules in a fresh process: what one CLI invocation pays. */
  firstMs: number;
  /** Median of the later runs, once the JIT and tree-sitter are warm. */
  warmMs: number;
  /** Peak RSS after the first run, in MB (10^6 bytes). */
  peakMB: number;
}

interface Timed {
  ms: number;
  error?: string;
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

/** Parse + all rules, `runs` times over the same inputs. */
function measure(inputs: PatchInput[], runs: number): InProcess {
  const start = performance.now();
  const series = parseSeries(inputs, LINUX_DEFAULTS.limits);
  const findings = runRules(series, LINUX_DEFAULTS);
  const firstMs = performance.now() - start;
  // Read now: later runs only add garbage, not anything a single check needs.
  const peakMB = (process.resourceUsage().maxRSS * 1024) / 1e6;
  const warm: number[] = [];
  for (let i = 1; i < runs; i++) {
    const t = performance.now();
    runRules(parseSeries(inputs, LINUX_DEFAULTS.limits), LINUX_DEFAULTS);
    warm.push(performance.now() - t);
  }
  let changedLines = 0;
  for (const f of series.files) for (const h of f.hunks) for (const l of h.lines) if (l.kind !== "context") changedLines++;
  return {
    commits: series.commits.length,
    files: series.files.length,
    changedLines,
    findings: findings.length,
    runs,
    firstMs,
    warmMs: warm.length > 0 ? median(warm) : firstMs,
    peakMB,
  };
}

/**
 * Runs `measure` in a fresh Node process, so the peak RSS of one workload is
 * not inflated by the one measured before it (maxRSS only ever grows).
 */
function measureInChild(files: string[], runs: number): InProcess | { error: string } {
  const r = spawnSync(process.execPath, [thisFile, "--measure", "--runs", String(runs), ...files], { encoding: "utf8", maxBuffer: 1 << 26 });
  if (r.status !== 0) return { error: (r.stderr || r.error?.message || `exit ${r.status}`).trim().split("\n")[0]! };
  return JSON.parse(r.stdout) as InProcess;
}

/** Wall time of one child process; exit statuses in `ok` are findings, not failures. */
function timeProcess(cmd: string, args: string[], cwd: string, ok: number[] = [0]): Timed & { stdout: string } {
  const start = performance.now();
  const r = spawnSync(cmd, args, { cwd, encoding: "utf8", maxBuffer: 1 << 28 });
  const ms = performance.now() - start;
  if (r.error) return { ms, stdout: "", error: r.error.message };
  if (r.status === null || !ok.includes(r.status)) return { ms, stdout: r.stdout, error: `exit ${r.status ?? r.signal}: ${r.stderr.trim().split("\n")[0] ?? ""}` };
  return { ms, stdout: r.stdout };
}

function medianProcess(runs: number, cmd: string, args: string[], cwd: string, ok?: number[]): Timed {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = timeProcess(cmd, args, cwd, ok);
    if (t.error) return t;
    times.push(t.ms);
  }
  return { ms: median(times) };
}

/** checkpatch.pl over `files` in one perl process, as patchwarden checks them in one node process. */
function checkpatch(script: string, files: string[], cwd: string): Timed & { reports?: number } {
  // Exit 1 means it found something. Warnings about a missing spelling.txt or
  // const_structs.checkpatch go to stderr and are not a failure.
  const t = timeProcess("perl", [script, "--no-tree", "--no-signoff", "--quiet", "--terse", ...files], cwd, [0, 1]);
  if (t.error) return { ms: t.ms, error: t.error };
  return { ms: t.ms, reports: t.stdout.split("\n").filter((l) => /: (ERROR|WARNING|CHECK):/.test(l)).length };
}

interface Section {
  title: string;
  runs: number;
  inProcess: InProcess | { error: string };
  cli: Timed;
  checkpatch: (Timed & { reports?: number }) | null;
}

function runSection(title: string, files: string[], runs: number, cp: string | null, cwd: string): Section {
  const inProcess = measureInChild(files, runs);
  // Exit 1 is "error-level findings", a normal outcome here.
  const cli = medianProcess(runs, process.execPath, [path.join(projectRoot, "bin/patchwarden.js"), "check", ...files, "--format", "json"], cwd, [0, 1]);
  return { title, runs, inProcess, cli, checkpatch: cp ? checkpatch(cp, files, cwd) : null };
}

const fmtMs = (ms: number): string => (ms < 1000 ? `${ms.toFixed(0)} ms` : `${(ms / 1000).toFixed(2)} s`);
const fmtRate = (lines: number, ms: number): string => `${Math.round(lines / (ms / 1000)).toLocaleString("en-US")}/s`;

function printSection(s: Section, bareNode: Timed, goals: boolean): void {
  console.log(`\n${s.title}`);
  const row = (label: string, wall: string, rate = "", extra = ""): void => console.log(`  ${label.padEnd(30)}${wall.padStart(10)}${rate.padStart(14)}  ${extra}`);
  row("", "wall", "lines/s", "");
  const p = s.inProcess;
  if ("error" in p) row("in-process parse + rules", "failed", "", p.error);
  else {
    row("in-process, first run", fmtMs(p.firstMs), fmtRate(p.changedLines, p.firstMs), `peak RSS ${p.peakMB.toFixed(0)} MB, ${p.findings} findings`);
    row(`in-process, warm (median of ${p.runs - 1})`, fmtMs(p.warmMs), fmtRate(p.changedLines, p.warmMs));
  }
  if (s.cli.error) row("CLI check --format json", "failed", "", s.cli.error);
  else row(`CLI check (median of ${s.runs})`, fmtMs(s.cli.ms), "error" in p ? "" : fmtRate(p.changedLines, s.cli.ms), bareNode.error ? "" : `${fmtMs(s.cli.ms - bareNode.ms)} over bare node start`);
  if (s.checkpatch?.error) row("checkpatch.pl", "failed", "", s.checkpatch.error);
  else if (s.checkpatch) {
    const ratio = s.cli.error ? "" : `, ${(s.checkpatch.ms / s.cli.ms).toFixed(1)}× the CLI`;
    row("checkpatch.pl (1 run)", fmtMs(s.checkpatch.ms), "error" in p ? "" : fmtRate(p.changedLines, s.checkpatch.ms), `${s.checkpatch.reports} reports${ratio}`);
  }
  if (goals && !("error" in p)) {
    const met = (ok: boolean): string => (ok ? "met" : "NOT met");
    console.log(`  goal: first run under ${GOAL_MS} ms: ${met(p.firstMs < GOAL_MS)}; peak RSS under ${GOAL_MB} MB: ${met(p.peakMB < GOAL_MB)}`);
  }
}

function main(argv: string[]): number {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      corpus: { type: "string" },
      runs: { type: "string", default: "5" },
      json: { type: "boolean", default: false },
      measure: { type: "boolean", default: false }, // internal: measure FILE... in this process, JSON on stdout
    },
  });
  const runs = Math.max(2, Number.parseInt(values.runs!, 10) || 5);
  if (values.measure) {
    const inputs = positionals.map((f) => ({ name: path.basename(f), bytes: readFileSync(f) }));
    process.stdout.write(JSON.stringify(measure(inputs, runs)));
    return 0;
  }

  // --corpus takes the corpus root (as `npm run eval` does) or its patches/ directory.
  let corpus = values.corpus ? path.resolve(values.corpus) : path.resolve(projectRoot, "../shared/corpus");
  if (existsSync(path.join(corpus, "patches"))) corpus = path.join(corpus, "patches");
  const cp = process.env.CHECKPATCH || null;
  if (cp && !existsSync(cp)) {
    console.error(`bench: CHECKPATCH=${cp} does not exist`);
    return 2;
  }
  const work = mkdtempSync(path.join(os.tmpdir(), "patchwarden-bench-"));
  try {
    // Node's own start-up, to see what the CLI adds on top of it.
    const bareNode = medianProcess(runs, process.execPath, ["-e", "0"], work);

    const corpusFiles = existsSync(corpus) ? readdirSync(corpus).filter((f) => f.endsWith(".patch")).sort().map((f) => path.join(corpus, f)) : [];
    // checkpatch runs in the scratch directory: from inside a git work tree it
    // would look commit ids up in that (unrelated) repository.
    const corpusSection = corpusFiles.length > 0 ? runSection(`corpus: ${corpusFiles.length} patches in ${path.relative(process.cwd(), corpus) || corpus}`, corpusFiles, runs, cp, work) : null;

    // One file per commit, as git format-patch writes them: checkpatch.pl reads
    // each file as a single patch, so an mbox would be one giant patch to it.
    const synthetic = syntheticSeries();
    const syntheticFiles = synthetic.patches.map((text, i) => {
      const file = path.join(work, `${String(i + 1).padStart(4, "0")}-synthetic.patch`);
      writeFileSync(file, text);
      return file;
    });
    const o = SYNTHETIC_DEFAULTS;
    const syntheticSection = runSection(`synthetic series: ${o.commits} commits, ${synthetic.files} files, ${synthetic.changedLines.toLocaleString("en-US")} changed lines (seed ${o.seed})`, syntheticFiles, runs, cp, work);

    if (values.json) {
      const goals = "error" in syntheticSection.inProcess ? null : { firstMsUnder: GOAL_MS, peakMBUnder: GOAL_MB, timeMet: syntheticSection.inProcess.firstMs < GOAL_MS, memoryMet: syntheticSection.inProcess.peakMB < GOAL_MB };
      const out = {
        node: process.version,
        platform: `${process.platform}-${process.arch}`,
        loadAverage: os.loadavg()[0],
        bareNodeStartMs: bareNode.ms,
        corpus: corpusSection ? { dir: corpus, patches: corpusFiles.length, ...corpusSection } : { dir: corpus, skipped: "no corpus" },
        synthetic: { seed: o.seed, ...syntheticSection, goals },
        checkpatch: cp,
      };
      console.log(JSON.stringify(out, null, 2));
      return 0;
    }

    // The load average says whether other work on the machine skewed the times.
    console.log(`patchwarden bench: node ${process.version}, ${process.platform}-${process.arch}, ${os.cpus().length} CPUs (${os.cpus()[0]?.model ?? "unknown"}), load ${os.loadavg()[0]!.toFixed(2)}`);
    console.log(`bare node start (node -e 0, median of ${runs}): ${bareNode.error ? `failed: ${bareNode.error}` : fmtMs(bareNode.ms)}`);
    if (corpusSection) printSection(corpusSection, bareNode, false);
    else console.log(`\ncorpus: none at ${corpus}, skipped (pass --corpus DIR)`);
    printSection(syntheticSection, bareNode, true);
    if (!cp) console.log("\ncheckpatch.pl comparison: off; set CHECKPATCH=/path/to/linux/scripts/checkpatch.pl to enable it");

    // Issue 13's table: the same work beside checkpatch.pl, git and Node's own start.
    const uboot = process.env.UBOOT && existsSync(process.env.UBOOT) ? process.env.UBOOT : null;
    const merged = path.resolve(projectRoot, "../shared/merged");
    const examples = path.join(projectRoot, "examples");
    const examplePatches = readdirSync(examples).filter((f) => /\.(patch|mbox)$/.test(f)).map((f) => path.join(examples, f));
    console.log(`\nside by side (medians of ${runs} runs, 3 for the long ones; load ${os.loadavg()[0]!.toFixed(2)} at the start)`);
    const rows = sideBySide({
      runs,
      projectRoot,
      corpusFiles: [...corpusFiles, ...examplePatches],
      mergedDir: existsSync(merged) ? merged : null,
      checkpatch: cp,
      uboot,
      ubootRange: process.env.UBOOT_RANGE ?? "v2025.04..v2025.07",
      work,
    });
    console.log(formatSideBySide(rows));
    console.log(`load ${os.loadavg()[0]!.toFixed(2)} at the end${uboot ? "" : "; U-Boot rows: set UBOOT=/path/to/a/u-boot/clone (UBOOT_RANGE to change the range)"}`);
    return 0;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

process.exitCode = main(process.argv.slice(2));
