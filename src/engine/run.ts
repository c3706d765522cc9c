import { ruleRegistry } from "../../rules/index.js";
import type { Rule } from "../../rules/types.js";
import type { PatchwardenConfig } from "../config/types.js";
import { disambiguateFingerprints } from "../findings/fingerprint.js";
import { sortFindings } from "../findings/order.js";
import type { Finding } from "../findings/types.js";
import type { Series } from "../patch/types.js";
import type { TreeFacts } from "../tree/types.js";

export interface RunOptions {
  /** Only these rule ids, or finer `rule/check` ids (empty: all enabled rules). */
  only?: string[];
  /** Skip these rule ids or `rule/check` ids. */
  ignore?: string[];
  rules?: Rule[];
  /** Facts about the base tree, when one is at hand. */
  tree?: TreeFacts;
}

/** Runs the selected rules over a series: the one core both the CLI and the app call. */
export function runRules(series: Series, config: PatchwardenConfig, options: RunOptions = {}): Finding[] {
  const rules = selectRules(options.rules ?? ruleRegistry, config, options);
  const findings: Finding[] = [];
  const context = options.tree ? { tree: options.tree } : {};
  for (const rule of rules) findings.push(...rule.check(series, config, context));
  return sortFindings(disambiguateFingerprints(findings.filter(checkFilter(config, options))));
}

/**
 * Finer ids (`commit-reference/subject-length`) are chosen after the rule
 * ran: a rule computes all its checks at once, and the ids only name them.
 */
function checkFilter(config: PatchwardenConfig, options: RunOptions): (f: Finding) => boolean {
  const ignore = new Set((options.ignore ?? []).filter((id) => id.includes("/")));
  const only = options.only ?? [];
  // --rule commit-reference/subject-length keeps that check; --rule commit-reference keeps all of them.
  const onlyChecks = new Set(only.filter((id) => id.includes("/")));
  const wholeRules = new Set(only.filter((id) => !id.includes("/")));
  return (f) => {
    if (f.check === undefined) return true;
    if (ignore.has(f.check)) return false;
    if (onlyChecks.size > 0 && !wholeRules.has(f.rule)) return onlyChecks.has(f.check);
    return only.length > 0 || config.rules[f.check]?.enabled !== false;
  };
}

export function selectRules(all: Rule[], config: PatchwardenConfig, options: RunOptions): Rule[] {
  // A finer id selects (or, ignored, only thins) the rule it belongs to.
  const only = new Set((options.only ?? []).map((id) => id.split("/")[0]!));
  const ignore = new Set((options.ignore ?? []).filter((id) => !id.includes("/")));
  return all.filter((r) => {
    if (ignore.has(r.meta.id)) return false;
    if (only.size > 0) return only.has(r.meta.id);
    return config.rules[r.meta.id]?.enabled !== false;
  });
}
