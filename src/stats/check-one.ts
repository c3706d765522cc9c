import type { PatchwardenConfig } from "../config/types.js";
import { runRules } from "../engine/run.js";
import type { Finding } from "../findings/types.js";
import { parseSeries, type PatchInput } from "../patch/series.js";
import { analysisWarnings } from "../patch/source-view.js";
import type { InputWarning, Series } from "../patch/types.js";

export interface Checked {
  series: Series;
  findings: Finding[];
  /** What the reader could not check (binary files, undecodable bytes, over-long lines). */
  inputWarnings: InputWarning[];
  /** What the rules' views skipped (code too long or too deep to parse): never silent either. */
  analysisWarnings: InputWarning[];
}

/**
 * One input read and checked as a series of its own, exactly as `check`
 * would: what a maintainer would have been told about that commit alone.
 * Throws InputError for input it cannot read.
 */
export function checkOne(input: PatchInput, config: PatchwardenConfig): Checked {
  const series = parseSeries([input], config.limits);
  const findings = runRules(series, config);
  // The views the rules built know what they skipped only once the rules ran.
  return { series, findings, inputWarnings: series.warnings, analysisWarnings: analysisWarnings(series) };
}
