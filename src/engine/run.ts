import { ruleRegistry } from "../../rules/index.js";
import type { Rule } from "../../rules/types.js";
import type { PatchwardenConfig } from "../config/types.js";
import { disambiguateFingerprints } from "../findings/fingerprint.js";
import { sortFindings } from "../findings/order.js";
import type { Finding } from "../findings/types.js";
import type { Commit, Series } from "../patch/types.js";
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
  return finish(findings, config, options);
}

/**
 * The same findings as runRules with the tree `tree` resolves to, but the
 * rules that never read the tree run while it is being read: git's lookups
 * (child processes) and those rules (this thread) overlap. The event loop
 * gets a turn between rules, so a lookup's next git step starts without
 * waiting for all of them. Rules with `readsTree` run once the tree is known
 * (null: there is none), and find the files' views the others built.
 */
export async function runRulesBesideTree(series: Series, config: PatchwardenConfig, tree: Promise<TreeFacts | null>, options: Omit<RunOptions, "tree"> = {}): Promise<{ findings: Finding[]; tree: TreeFacts | null }> {
  const rules = selectRules(options.rules ?? ruleRegistry, config, options);
  // In the rules' own order afterwards, as runRules has them (fingerprints are numbered in that order).
  const byRule: Finding[][] = rules.map(() => []);
  // Settled here so a failed lookup is not an unhandled rejection while the rules run.
  const settled = tree.then((facts) => ({ facts }), (error: unknown) => ({ error }));
  for (const [k, rule] of rules.entries()) {
    if (rule.readsTree) rule.prepare?.(series, config);
    else byRule[k] = rule.check(series, config, {});
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
  const read = await settled;
  if ("error" in read) throw read.error;
  const context = read.facts ? { tree: read.facts } : {};
  for (const [k, rule] of rules.entries()) if (rule.readsTree) byRule[k] = rule.check(series, config, context);
  return { findings: finish(byRule.flat(), config, options), tree: read.facts };
}

/**
 * What the selected rules will work out again for each commit given (those
 * read so far), done now: while git still writes a range, this thread
 * would otherwise wait for it. The same findings follow.
 */
export function commitWarmer(config: PatchwardenConfig, options: Omit<RunOptions, "tree"> = {}): (commits: readonly Commit[]) => void {
  const warming = selectRules(options.rules ?? ruleRegistry, config, options).filter((r) => r.warm);
  return (commits) => {
    for (const rule of warming) for (const commit of commits) rule.warm!(commit, config);
  };
}

function finish(findings: Finding[], config: PatchwardenConfig, options: RunOptions): Finding[] {
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
