import type { PatchwardenConfig } from "../config/types.js";
import { loadSubsystemMap, type SubsystemMap } from "../maintainers/index.js";
import { displayPath, type Series } from "../patch/types.js";

export interface SeriesTopic {
  /** The subsystem's name (a MAINTAINERS title, a convention name, or what the user said). */
  name: string;
  /** True when the user (or the app, from a branch or label) named it. */
  explicit: boolean;
  /** Whether a path lies inside the topic's subsystem. */
  covers(path: string): boolean;
}

let conventionMap: SubsystemMap | null = null;

/** The subsystem map the caller supplied (from MAINTAINERS), else path conventions. */
export function subsystemMapOf(config: PatchwardenConfig): SubsystemMap {
  return config.subsystemMap ?? (conventionMap ??= loadSubsystemMap());
}

const cache = new WeakMap<Series, WeakMap<PatchwardenConfig, SeriesTopic | null>>();

/**
 * The series' topic: the explicit one, else the subsystem most of its
 * commits belong to, each commit voting for the most specific subsystem that
 * covers most of its files. Voting by commit, not by file, keeps one treewide
 * commit from deciding; voting for the most specific subsystem keeps a Xen
 * queue from being called "x86" because all of arch/x86 is x86.
 */
export function seriesTopic(series: Series, config: PatchwardenConfig): SeriesTopic | null {
  let byConfig = cache.get(series);
  if (!byConfig) cache.set(series, (byConfig = new WeakMap()));
  if (byConfig.has(config)) return byConfig.get(config)!;
  const topic = computeTopic(series, config);
  byConfig.set(config, topic);
  return topic;
}

function computeTopic(series: Series, config: PatchwardenConfig): SeriesTopic | null {
  const map = subsystemMapOf(config);
  if (config.topic) {
    const wanted = config.topic.toLowerCase();
    return {
      name: config.topic,
      explicit: true,
      covers: (path) => map.subsystemsFor(path).some((m) => m.name.toLowerCase() === wanted || m.name.toLowerCase().split(/[\s/:()-]+/).includes(wanted)),
    };
  }
  const votes = new Map<string, { count: number; specificity: number; order: number }>();
  for (const commit of series.commits) {
    const paths = commit.files.map(displayPath);
    if (paths.length === 0) continue;
    const perFile = new Map<string, { files: number; specificity: number }>();
    for (const p of paths) {
      const primary = map.primarySubsystem(p);
      if (!primary || primary.specificity < 0) continue;
      const e = perFile.get(primary.name) ?? { files: 0, specificity: primary.specificity };
      e.files++;
      perFile.set(primary.name, e);
    }
    const best = [...perFile].sort((a, b) => b[1].files - a[1].files || b[1].specificity - a[1].specificity)[0];
    if (!best) continue;
    const v = votes.get(best[0]) ?? { count: 0, specificity: best[1].specificity, order: votes.size };
    v.count++;
    votes.set(best[0], v);
  }
  const winner = [...votes].sort((a, b) => b[1].count - a[1].count || b[1].specificity - a[1].specificity || a[1].order - b[1].order)[0];
  if (!winner) return null;
  const name = winner[0];
  return { name, explicit: false, covers: (path) => map.subsystemsFor(path).some((m) => m.name === name) };
}
