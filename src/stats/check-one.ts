import type { PatchwardenConfig } from "../config/types.js";
import { runRules } from "../engine/run.js";
import type { Finding } from "../findings/types.js";
import { parseSeries, type PatchInput } from "../patch/series.js";
import type { Series } from "../patch/types.js";

export interface Checked {
  series: Series;
  findings: Finding[];
}

/**
 * One input read and checked as a series of its own, exactly as `check`
 * would: what a maintainer would have been told about that commit alone.
 * Throws InputError for input it cannot read.
 */
export function checkOne(input: PatchInput, config: PatchwardenConfig): Checked {
  const series = parseSeries([input], config.limits);
  return { series, findings: runRules(series, config) };
}
