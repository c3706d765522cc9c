import type { PatchwardenConfig } from "../src/config/types.js";
import type { Finding, RuleMeta } from "../src/findings/types.js";
import type { Series } from "../src/patch/types.js";
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
}
