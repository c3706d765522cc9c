import type { PatchwardenConfig } from "../src/config/types.js";
import type { Finding, RuleMeta } from "../src/findings/types.js";
import type { Commit, Series } from "../src/patch/types.js";
import type { RuleContext } from "../src/tree/types.js";

/**
 * A rule: metadata plus a pure check. `check` reads the series and the
 * config and returns findings; it does no I/O and keeps no state between
 * calls. Fingerprints are finished by the engine (see src/engine/run.ts).
 * `context` carries facts about the base tree when one is at hand (read
 * before the rules run, src/tree/gather.ts); without it a rule judges from
 * the series alone.
 */
export interface Rule {
  meta: RuleMeta;
  check(series: Series, config: PatchwardenConfig, context?: RuleContext): Finding[];
  /**
   * The rule reads `context.tree`. The others run while the tree is still
   * being read (src/engine/run.ts runRulesBesideTree), so a rule that reads
   * it must say so here; a test holds every other rule to that.
   */
  readsTree?: true;
  /**
   * For a rule that reads the tree: the part of `check` that does not, run
   * while the tree is read, its results kept for `check` (pure memoization
   * on the series; `check` gives the same findings without it).
   */
  prepare?(series: Series, config: PatchwardenConfig): void;
  /**
   * The work on one commit that `check` will do again for the series (its
   * files' source views, its changelog's reading), done as the commit
   * arrives while a git range is still being read (src/engine/run.ts
   * commitWarmer). Pure memoization: the findings are the same without it.
   */
  warm?(commit: Commit, config: PatchwardenConfig): void;
}
