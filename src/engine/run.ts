import { ruleRegistry } from "../../rules/index.js";
import type { Rule } from "../../rules/types.js";
import type { PatchwardenConfig } from "../config/types.js";
import { disambiguateFingerprints } from "../findings/fingerprint.js";
import { sortFindings } from "../findings/order.js";
import type { Finding } from "../findings/types.js";
import type { Series } from "../patch/types.js";

export interface RunOptions {
  /** Only these rule ids (empty: all enabled rules). */
  only?: string[];
  /** Skip these rule ids. */
  ignore?: string[];
  rules?: Rule[];
}

/** Runs the selected rules over a series: the one core both the CLI and the app call. */
export function runRules(series: Series, config: PatchwardenConfig, options: RunOptions = {}): Finding[] {
  const rules = selectRules(options.rules ?? ruleRegistry, config, options);
  const findings: Finding[] = [];
  for (const rule of rules) findings.push(...rule.check(series, config));
  return sortFindings(disambiguateFingerprints(findings));
}

export function selectRules(all: Rule[], config: PatchwardenConfig, options: RunOptions): Rule[] {
  const only = new Set(options.only ?? []);
  const ignore = new Set(options.ignore ?? []);
  return all.filter((r) => {
    if (ignore.has(r.meta.id)) return false;
    if (only.size > 0) return only.has(r.meta.id);
    return config.rules[r.meta.id]?.enabled !== false;
  });
}
