import { ruleRegistry } from "../../rules/index.js";
import type { RuleMeta } from "../findings/types.js";

/** Every id `--rule`, `--ignore` and `rules:` accept: rule ids and their finer `rule/check` ids. */
export function knownRuleIds(metas: readonly RuleMeta[] = ruleRegistry.map((r) => r.meta)): string[] {
  return metas.flatMap((m) => [m.id, ...(m.checks ?? []).map((c) => `${m.id}/${c}`)]);
}
