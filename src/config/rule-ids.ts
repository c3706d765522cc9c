import type { RuleMeta } from "../findings/types.js";

/**
 * Every id `--rule`, `--ignore` and `rules:` accept: rule ids and their
 * finer `rule/check` ids. The metadata is passed in: this module loads no
 * rule (the `rules` command reads the metadata without the rules' code).
 */
export function knownRuleIds(metas: readonly RuleMeta[]): string[] {
  return metas.flatMap((m) => [m.id, ...(m.checks ?? []).map((c) => `${m.id}/${c}`)]);
}
