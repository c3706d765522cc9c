import type { PatchwardenConfig } from "../config/types.js";
import type { Finding } from "../findings/types.js";
import { loadSubsystemMap, type SubsystemMap } from "../maintainers/index.js";
import { InputError } from "../patch/errors.js";
import { parseSeries } from "../patch/series.js";
import { analysisWarnings } from "../patch/source-view.js";
import type { Series } from "../patch/types.js";
import type { TreeBase } from "../tree/gather.js";
import type { TreeFacts } from "../tree/types.js";
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
  /**
   * The base tree to read (the app's mirror at the pull request's base:
   * git grep / log / cat-file there, nothing checked out), or why there is
   * none. Without it the rules see the series alone.
   */
  tree?: { at: TreeBase } | { absent: string };
}

/** What the review says about the base tree: the census of the touched areas, and what had no tree or hit a cap. */
export interface TreeReport {
  /** The commit read, or null when no tree was read. */
  base: string | null;
  /** How the base was found ("the pull request's base"). */
  from: string | null;
  /** "arch/x86: 41 Xen conditionals at the base, 43 after this series (+2)". */
  census: string[];
  /** "Xen's sprawl over the last 8 quarters ...: ▃▅▂··▁▂▃ — 41% ...; this series: 75% (3 of its 4 files)", when the series has a topic. */
  sprawl?: string;
  /** Why there was no tree, or what the lookups could not do within their caps. */
  notes: string[];
}

export type AnalysisResult =
  /** `notes`: what was read but not analysed (a line over the budget, nesting too deep), `path:line: why`. */
  | { kind: "reviewed"; series: Series; findings: Finding[]; notes: string[]; tree?: TreeReport }
  /** The patch could not be read: `file:line: message`. */
  | { kind: "unreadable"; error: string };

export async function analyzeSeries(input: AnalysisInput): Promise<AnalysisResult> {
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
  const { facts, report } = await readTree(series, config, input.tree);
  const findings = runRules(series, config, facts ? { tree: facts } : {});
  // The views that hold the notes live on this thread: say them in words before the result crosses back.
  return { kind: "reviewed", series, findings, notes: analysisWarnings(series).map((w) => w.message), ...(report ? { tree: report } : {}) };
}

/**
 * The tree lookups run here, beside the rules: they need the parsed series
 * (which symbols it adds, which areas it touches), and their time counts
 * against the review's own limit. They are bounded themselves (5 s, result
 * caps: src/tree/gather.ts) and never fail a review.
 */
async function readTree(series: Series, config: PatchwardenConfig, tree: AnalysisInput["tree"]): Promise<{ facts: TreeFacts | null; report: TreeReport | undefined }> {
  if (!tree) return { facts: null, report: undefined };
  const without = (why: string): TreeReport => ({ base: null, from: null, census: [], notes: [`reviewed without the base tree: ${why}; hv-only-interface saw only the series' own users, and no census of the touched areas is shown`] });
  if ("absent" in tree) return { facts: null, report: without(tree.absent) };
  // Loaded only when a tree is read: a review without one starts no git.
  const [{ gatherTreeFacts }, { censusDelta, describeDelta }, { sprawlTrend, describeSprawlTrend, DEFAULT_TREND }] = await Promise.all([
    import("../tree/gather.js"),
    import("../tree/summary.js"),
    import("../tree/sprawl-trend.js"),
  ]);
  try {
    // The subsystem's sprawl over the last quarters is read beside the other lookups, within its own time bound (3 s); it never fails the review.
    const trendRead = sprawlTrend(series, tree.at, config, { quarters: DEFAULT_TREND.quarters, deadline: Date.now() + DEFAULT_TREND.timeMs, maxLines: DEFAULT_TREND.maxLines }).catch((err: Error) => ({
      trend: null,
      note: `the subsystem's sprawl over the last quarters could not be read (${err.message})`,
    }));
    const [facts, trend] = await Promise.all([gatherTreeFacts(series, tree.at, config), trendRead]);
    return {
      facts,
      report: {
        base: facts.base,
        from: facts.baseFrom,
        census: censusDelta(series, facts, config).map(describeDelta),
        ...(trend.trend ? { sprawl: describeSprawlTrend(trend.trend) } : {}),
        notes: trend.note ? [...facts.notes, trend.note] : facts.notes,
      },
    };
  } catch (err) {
    return { facts: null, report: without(`its lookups failed (${(err as Error).message})`) };
  }
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
