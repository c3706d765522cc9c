import type { PatchwardenConfig } from "../src/config/types.js";
import type { Finding, RuleMeta } from "../src/findings/types.js";
import type { Series } from "../src/patch/types.js";

/**
 * A rule: metadata plus a pure check. `check` reads the series and the
 * config and returns findings; it does no I/O and keeps no state between
 * calls. Fingerprints are finished by the engine (see src/engine/run.ts).
 */
export interface Rule {
  meta: RuleMeta;
  check(series: Series, config: PatchwardenConfig): Finding[];
}
