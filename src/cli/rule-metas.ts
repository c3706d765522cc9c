import { readFileSync } from "node:fs";
import type { RuleMeta } from "../findings/types.js";

/**
 * The rules' metadata, for `patchwarden rules`. The bundle carries it as
 * rule-metas.json beside its chunks (written from the registry when the
 * bundle is built, scripts/bundle-cli.ts), so listing the rules loads none
 * of their code; without the bundle it comes from the registry itself.
 * Read synchronously: one small file, and nothing else to do meanwhile.
 */
export async function ruleMetas(): Promise<RuleMeta[]> {
  try {
    return JSON.parse(readFileSync(new URL("./rule-metas.json", import.meta.url), "utf8")) as RuleMeta[];
  } catch {
    return (await import("../../rules/index.js")).ruleRegistry.map((r) => r.meta);
  }
}
