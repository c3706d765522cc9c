import type { PatchwardenConfig } from "../config/types.js";
import type { Finding } from "../findings/types.js";
import { loadSubsystemMap, type SubsystemMap } from "../maintainers/index.js";
import { InputError } from "../patch/errors.js";
import { parseSeries } from "../patch/series.js";
import { analysisWarnings } from "../patch/source-view.js";
import type { Series } from "../patch/types.js";
import { runRules } from "./run.js";

// The CPU-bound part of one review, as one function of plain data: the app
// runs it on a worker thread (where it can be stopped), so everything in and
// out must survive structured cloning. Objects built from the config that
// cannot be cloned (the MAINTAINERS matcher) are built here, on this side.

export interface AnalysisInput {
  /** The patch text as GitHub served it (or as rebuilt from its listings). */
  sources: { name: string; text: string }[];
  /** The merged repository config; `subsystemMap` is rebuilt from `maintainers`. */
  config: Omit<PatchwardenConfig, "subsystemMap">;
  /** The base tree's MAINTAINERS file, when it has one. */
  maintainers: { sha: string; text: string } | null;
}

export type AnalysisResult =
  /** `notes`: what was read but not analysed (a line over the budget, nesting too deep), `path:line: why`. */
  | { kind: "reviewed"; series: Series; findings: Finding[]; notes: string[] }
  /** The patch could not be read: `file:line: message`. */
  | { kind: "unreadable"; error: string };

export function analyzeSeries(input: AnalysisInput): AnalysisResult {
  const config: PatchwardenConfig = { ...input.config };
  if (input.maintainers) config.subsystemMap = subsystemMapFor(input.maintainers);
  let series: Series;
  try {
    series = parseSeries(
      input.sources.map((s) => ({ name: s.name, bytes: Buffer.from(s.text, "utf8") })),
      config.limits,
    );
  } catch (err) {
    // An Error subclass loses its class crossing a thread: say it in words here.
    if (err instanceof InputError) return { kind: "unreadable", error: err.describe() };
    throw err;
  }
  const findings = runRules(series, config);
  // The views that hold the notes live on this thread: say them in words before the result crosses back.
  return { kind: "reviewed", series, findings, notes: analysisWarnings(series).map((w) => w.message) };
}

// Building the matcher for a kernel-size MAINTAINERS costs 75-185 ms: keep
// the built map per blob (per worker thread), so each review does not redo it.
const maps = new Map<string, SubsystemMap>();
const MAX_MAPS = 8;

function subsystemMapFor(maintainers: { sha: string; text: string }): SubsystemMap {
  let map = maps.get(maintainers.sha);
  if (!map) {
    map = loadSubsystemMap(maintainers.text, "MAINTAINERS");
    if (maps.size >= MAX_MAPS) maps.delete(maps.keys().next().value!);
    maps.set(maintainers.sha, map);
  }
  return map;
}
