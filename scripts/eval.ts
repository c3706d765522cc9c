// Scores the rules against the labelled kernel patches in ../shared/corpus
// (or --corpus DIR): precision and recall per label and per rule, and the
// patches each label got wrong. Beside them, the noise on maintainer-accepted
// commits in ../shared/merged (or --merged DIR): commits per 1,000 with a
// warning or error, per rule. With --check, exits 1 when a score falls below
// its floor in eval-floors.json or a noise figure rises above its ceiling
// there ("noise"), so quality can only ratchet up and noise only down.
import { existsSync, readFileSync, readdirSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { LINUX_DEFAULTS } from "../src/config/defaults.js";
import { runRules } from "../src/engine/run.js";
import type { Finding } from "../src/findings/types.js";
import { parseSeries } from "../src/patch/series.js";
import { belowCeilings, measureNoise, overCeilings, type NoiseReport } from "../src/stats/noise.js";
import { ruleRegistry } from "../rules/index.js";

const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

/** Which rules, firing, count as finding each label (from the corpus README). */
const LABEL_RULES: Record<string, string[]> = {
  hv_special_case: ["hv-special-case", "hv-only-interface", "pv-ops-growth"],
  changelog_vague: ["changelog-why", "changelog-subsystem"],
};

interface Row {
  file: string;
  labels: Record<string, string>;
}

interface Score {
  tp: number;
  fp: number;
  fn: number;
  tn: number;
  wrong: string[];
}

function readLabels(corpus: string): Row[] {
  const [header, ...lines] = readFileSync(path.join(corpus, "labels.tsv"), "utf8").trimEnd().split("\n");
  const cols = header!.split("\t");
  return lines.map((line) => {
    const cells = line.split("\t");
    const labels: Record<string, string> = {};
    cols.forEach((c, i) => (labels[c] = cells[i] ?? ""));
    return { file: labels.file!, labels };
  });
}

function ratio(a: number, b: number): number {
  return b === 0 ? 1 : a / b;
}

async function main(argv: string[]): Promise<number> {
  const corpusArg = argv.indexOf("--corpus");
  const corpus = corpusArg >= 0 ? path.resolve(argv[corpusArg + 1]!) : path.resolve(projectRoot, "../shared/corpus");
  const checkFloors = argv.includes("--check");
  const asJson = argv.includes("--json");
  if (!existsSync(path.join(corpus, "labels.tsv"))) {
    console.error(`eval: no corpus at ${corpus} (labels.tsv missing); pass --corpus DIR`);
    return 2;
  }
  const rows = readLabels(corpus);
  const present = new Set(readdirSync(path.join(corpus, "patches")));
  const registered = new Set(ruleRegistry.map((r) => r.meta.id));
  const scores: Record<string, Score> = {};
  const perRule: Record<string, { fired: number; onPositive: number }> = {};
  const started = performance.now();
  for (const row of rows) {
    if (!present.has(row.file)) continue;
    const bytes = readFileSync(path.join(corpus, "patches", row.file));
    let findings: Finding[];
    try {
      findings = runRules(parseSeries([{ name: row.file, bytes }]), LINUX_DEFAULTS);
    } catch (err) {
      console.error(`eval: ${row.file}: ${(err as Error).message}`);
      findings = [];
    }
    const fired = new Set(findings.filter((f) => f.severity !== "info").map((f) => f.rule));
    for (const [label, rules] of Object.entries(LABEL_RULES)) {
      if (!rules.some((r) => registered.has(r))) continue;
      const s = (scores[label] ??= { tp: 0, fp: 0, fn: 0, tn: 0, wrong: [] });
      const truth = row.labels[label] === "yes";
      const said = rules.some((r) => fired.has(r));
      if (truth && said) s.tp++;
      else if (!truth && said) {
        s.fp++;
        s.wrong.push(`false positive: ${row.file} (${[...fired].filter((r) => rules.includes(r)).join(", ")})`);
      } else if (truth && !said) {
        s.fn++;
        s.wrong.push(`missed: ${row.file} — ${row.labels.reason ?? ""}`);
      } else s.tn++;
      for (const r of rules) {
        if (!fired.has(r)) continue;
        const pr = (perRule[r] ??= { fired: 0, onPositive: 0 });
        pr.fired++;
        if (truth) pr.onPositive++;
      }
    }
  }
  const elapsed = performance.now() - started;
  const summary: Record<string, { precision: number; recall: number; agreement: number; n: number }> = {};
  for (const [label, s] of Object.entries(scores)) {
    const n = s.tp + s.fp + s.fn + s.tn;
    summary[label] = { precision: ratio(s.tp, s.tp + s.fp), recall: ratio(s.tp, s.tp + s.fn), agreement: ratio(s.tp + s.tn, n), n };
  }
  const noise = await readNoise(argv);
  if (asJson) {
    const noiseJson = noise && {
      dir: noise.dir,
      commits: noise.commits,
      perThousand: noise.figures,
      commitsWith: noise.counts,
      noisy: noise.noisy.map(({ input, finding: f }) => ({ input, rule: f.rule, severity: f.severity, file: f.file, line: f.line, message: f.message })),
    };
    console.log(JSON.stringify({ summary, perRule, wrong: Object.fromEntries(Object.entries(scores).map(([k, s]) => [k, s.wrong])), noise: noiseJson }, null, 2));
  } else {
    console.log(`corpus: ${corpus} (${rows.length} labelled patches, checked in ${elapsed.toFixed(0)} ms)`);
    for (const [label, rules] of Object.entries(LABEL_RULES)) {
      const sm = summary[label];
      if (!sm) {
        console.log(`\n${label}: not scored — none of its rules (${rules.join(", ")}) exists yet`);
        continue;
      }
      const s = scores[label]!;
      console.log(`\n${label}: precision ${sm.precision.toFixed(3)}  recall ${sm.recall.toFixed(3)}  agreement ${sm.agreement.toFixed(3)}  (tp ${s.tp}, fp ${s.fp}, fn ${s.fn}, tn ${s.tn})`);
      for (const r of rules) {
        const pr = perRule[r];
        if (!registered.has(r)) console.log(`  ${r}: not implemented`);
        else console.log(`  ${r}: fired on ${pr?.fired ?? 0} patches, ${pr?.onPositive ?? 0} of them labelled yes`);
      }
      for (const w of s.wrong) console.log(`  ${w}`);
    }
    printNoise(noise);
  }
  // Both checks run, so one failing run lists everything that failed.
  if (checkFloors) return Math.max(checkAgainstFloors(summary), checkNoise(noise));
  return 0;
}

function checkAgainstFloors(summary: Record<string, { precision: number; recall: number; agreement: number }>): number {
  const floorsPath = path.join(projectRoot, "eval-floors.json");
  const floors = JSON.parse(readFileSync(floorsPath, "utf8")) as Record<string, Record<string, number>>;
  let failed = false;
  for (const [label, metrics] of Object.entries(floors)) {
    if (label === "noise") continue; // ceilings, not floors: checkNoise
    for (const [metric, floor] of Object.entries(metrics)) {
      const value = (summary[label] as Record<string, number> | undefined)?.[metric];
      if (value === undefined || value + 1e-9 < floor) {
        console.error(`eval: ${label} ${metric} ${value?.toFixed(3) ?? "missing"} is below its floor ${floor}`);
        failed = true;
      }
    }
  }
  if (!failed) console.log("\neval: every score is at or above its floor (eval-floors.json)");
  return failed ? 1 : 0;
}

// ---- Noise on maintainer-accepted history ----

/** The merged commits' noise, or null when there are none here (a user's clone has no ../shared). */
async function readNoise(argv: string[]): Promise<NoiseReport | null> {
  const arg = argv.indexOf("--merged");
  const dir = arg >= 0 ? path.resolve(argv[arg + 1]!) : path.resolve(projectRoot, "../shared/merged");
  if (!existsSync(dir)) return null;
  const report = await measureNoise(dir, LINUX_DEFAULTS);
  for (const e of report.unreadable) console.error(`eval: ${e.describe()}`);
  return report;
}

function printNoise(noise: NoiseReport | null): void {
  if (!noise) {
    console.log("\nnoise: no merged commits (../shared/merged or --merged DIR); not measured");
    return;
  }
  console.log(`\nnoise on merged commits: ${noise.dir} (${noise.commits} commits; commits per 1,000 with a warning or error)`);
  const width = Math.max(...Object.keys(noise.figures).map((k) => k.length));
  for (const [key, value] of Object.entries(noise.figures)) console.log(`  ${key.padEnd(width)}  ${value.toFixed(1).padStart(6)}  (${noise.counts[key]} commits)`);
  if (noise.noisy.length > 0) console.log("  every warning and error, to read before calling it noise:");
  for (const { input, finding: f } of noise.noisy) {
    const where = f.file === null ? "" : ` ${f.file}${f.line === null ? "" : `:${f.line}`}`;
    console.log(`  ${input}${where}: ${f.severity}: ${f.message.slice(0, 140)}${f.message.length > 140 ? "..." : ""} [${f.rule}]`);
  }
}

function checkNoise(noise: NoiseReport | null): number {
  if (!noise) {
    console.log("eval: noise ceilings not checked: no merged commits here");
    return 0;
  }
  const floors = JSON.parse(readFileSync(path.join(projectRoot, "eval-floors.json"), "utf8")) as { noise?: Record<string, number> };
  const ceilings = floors.noise ?? {};
  const over = overCeilings(noise.figures, ceilings);
  for (const o of over) console.error(`eval: noise: ${o}`);
  if (over.length > 0) return 1;
  const lower = belowCeilings(noise.figures, ceilings);
  console.log("eval: no noise figure is above its ceiling (eval-floors.json, noise)");
  if (lower.length > 0) console.log(`eval: noise came down; lower these ceilings so it stays down: ${lower.join("; ")}`);
  return 0;
}

process.exitCode = await main(process.argv.slice(2));
