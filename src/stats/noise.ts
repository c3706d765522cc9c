import { readdirSync } from "node:fs";
import path from "node:path";
import { ruleRegistry } from "../../rules/index.js";
import type { PatchwardenConfig } from "../config/types.js";
import { selectRules } from "../engine/run.js";
import type { Finding } from "../findings/types.js";
import type { InputError } from "../patch/errors.js";
import { fileInputs } from "./inputs.js";
import { checkEach } from "./run.js";
import { perThousand, StatsTally } from "./tally.js";

// The noise on maintainer-accepted history, as the eval reports it and CI
// holds it: commits per 1,000 that got a warning or an error. Info stays
// out: it is the level for judgement calls that never fail a check.

/** The changelog rules together: the figure issue 9 sets its target on (at most 30 per 1,000). */
export const CHANGELOG_GROUP = ["changelog-why", "changelog-subsystem", "commit-reference"] as const;
export const CHANGELOG_GROUP_KEY = CHANGELOG_GROUP.join("+");
/** An error on an accepted commit is always wrong: every one of them is signed off. */
export const REFERENCE_ERRORS_KEY = "commit-reference:error";

export interface NoiseReport {
  dir: string;
  commits: number;
  unreadable: InputError[];
  /** Commits per 1,000 with a warning or error: per rule id, the changelog group, and the reference errors. */
  figures: Record<string, number>;
  /** The same as counts of commits. */
  counts: Record<string, number>;
  /** Every warning and error, by input: what the rules' owners read before calling it noise. */
  noisy: { input: string; finding: Finding }[];
}

/** Checks every `*.patch` of `dir` as its own series. */
export async function measureNoise(dir: string, config: PatchwardenConfig): Promise<NoiseReport> {
  const files = readdirSync(dir)
    .filter((f) => f.endsWith(".patch"))
    .sort()
    .map((f) => path.join(dir, f));
  const rules = selectRules(ruleRegistry, config, {}).map((r) => r.meta.id);
  const tally = new StatsTally(rules);
  const unreadable: InputError[] = [];
  const noisy: NoiseReport["noisy"] = [];
  await checkEach(fileInputs(files, dir, config.limits.maxInputBytes), config, (o) => {
    if ("error" in o) return void unreadable.push(o.error);
    tally.add(o.checked.series, o.checked.findings);
    for (const finding of o.checked.findings) if (finding.severity !== "info") noisy.push({ input: path.basename(o.input.name), finding });
  });
  const counts: Record<string, number> = {};
  for (const rule of rules) counts[rule] = tally.commitsWith([rule], ["error", "warning"]);
  counts[CHANGELOG_GROUP_KEY] = tally.commitsWith(CHANGELOG_GROUP, ["error", "warning"]);
  counts[REFERENCE_ERRORS_KEY] = tally.commitsWith(["commit-reference"], ["error"]);
  const figures = Object.fromEntries(Object.entries(counts).map(([k, n]) => [k, perThousand(n, tally.commits)]));
  return { dir, commits: tally.commits, unreadable, figures, counts, noisy };
}

/**
 * What rose above its ceiling. A figure with no ceiling may only be zero:
 * a new rule starts noisy only with a ceiling someone chose.
 */
export function overCeilings(figures: Record<string, number>, ceilings: Record<string, number>): string[] {
  const out: string[] = [];
  for (const [key, value] of Object.entries(figures)) {
    const ceiling = ceilings[key];
    if (ceiling === undefined) {
      if (value > 0) out.push(`${key} ${value.toFixed(1)} per 1,000 has no ceiling in eval-floors.json (noise.${key})`);
    } else if (value > ceiling + 1e-9) {
      out.push(`${key} ${value.toFixed(1)} per 1,000 is above its ceiling ${ceiling}`);
    }
  }
  return out;
}

/** Ceilings the figures have come down from: worth lowering so they cannot creep back. */
export function belowCeilings(figures: Record<string, number>, ceilings: Record<string, number>): string[] {
  return Object.entries(ceilings)
    .filter(([key, ceiling]) => (figures[key] ?? 0) + 1e-9 < ceiling)
    .map(([key, ceiling]) => `${key} ${(figures[key] ?? 0).toFixed(1)} per 1,000 (ceiling ${ceiling})`);
}
