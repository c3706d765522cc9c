// Scores the rules against the labelled kernel patches in ../shared/corpus
// (or --corpus DIR): precision and recall per label and per rule, and the
// patches each label got wrong. With --check, exits 1 when a score falls
// below its floor in eval-floors.json, so quality can only ratchet up.
import { existsSync, readFileSync, readdirSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { LINUX_DEFAULTS } from "../src/config/defaults.js";
import { runRules } from "../src/engine/run.js";
import type { Finding } from "../src/findings/types.js";
import { parseSeries } from "../src/patch/series.js";
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

function main(argv: string[]): number {
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
  if (asJson) {
    console.log(JSON.stringify({ summary, perRule, wrong: Object.fromEntries(Object.entries(scores).map(([k, s]) => [k, s.wrong])) }, null, 2));
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
  }
  if (checkFloors) return checkAgainstFloors(summary);
  return 0;
}

function checkAgainstFloors(summary: Record<string, { precision: number; recall: number; agreement: number }>): number {
  const floorsPath = path.join(projectRoot, "eval-floors.json");
  const floors = JSON.parse(readFileSync(floorsPath, "utf8")) as Record<string, Record<string, number>>;
  let failed = false;
  for (const [label, metrics] of Object.entries(floors)) {
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

process.exitCode = main(process.argv.slice(2));
