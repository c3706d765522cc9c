// One entry point for "which subsystem is this path in": the MAINTAINERS file
// when we have its text, else kernel path conventions. Callers get the same
// answer shapes either way.
import { memoByPath } from "../util/path-memo.js";
import { subsystemsByConvention } from "./conventions.js";
import { buildMatcher, normalizePath } from "./match.js";
import { parseMaintainers } from "./parse.js";
import type { MaintainersFile, SubsystemMatch, Topic } from "./types.js";

export interface SubsystemMap {
  /** Which source answers. */
  readonly source: "maintainers" | "convention";
  /** The parsed file (with its warnings), when source is "maintainers". */
  readonly file: MaintainersFile | null;
  /** Every subsystem `path` belongs to, most specific first (one array shared by every caller). */
  subsystemsFor(path: string): readonly SubsystemMatch[];
  /** The most specific one, or null when none covers the path. */
  primarySubsystem(path: string): SubsystemMatch | null;
  /**
   * The subsystem most of `paths` belong to (counting every subsystem each path
   * is in, not just its primary one), ties going to the more specific, then to
   * the one met first. Catch-alls (negative specificity, e.g. THE REST's
   * `F: *`) do not count. Null when no path has a subsystem.
   */
  topicOf(paths: readonly string[]): Topic | null;
}

/** Pick the topic from per-path answers; exported for callers with their own lookups. */
export function topicFrom(paths: readonly string[], lookup: (path: string) => readonly SubsystemMatch[]): Topic | null {
  const unique = [...new Set(paths.map(normalizePath).filter((p) => p !== ""))];
  interface Tally {
    best: SubsystemMatch;
    files: string[];
    order: number;
  }
  const tallies = new Map<string, Tally>();
  for (const path of unique) {
    for (const m of lookup(path)) {
      if (m.specificity < 0) continue;
      const t = tallies.get(m.name);
      if (!t) tallies.set(m.name, { best: m, files: [path], order: tallies.size });
      else {
        if (t.files[t.files.length - 1] !== path) t.files.push(path);
        if (m.specificity > t.best.specificity) t.best = m;
      }
    }
  }
  let win: Tally | null = null;
  for (const t of tallies.values()) {
    if (
      !win ||
      t.files.length > win.files.length ||
      (t.files.length === win.files.length && t.best.specificity > win.best.specificity)
    ) {
      win = t;
    }
  }
  return win ? { name: win.best.name, subsystem: win.best, files: win.files, total: unique.length } : null;
}

function fromLookup(
  source: SubsystemMap["source"],
  file: MaintainersFile | null,
  match: (path: string) => SubsystemMatch[],
): SubsystemMap {
  // The rules ask about every file of a series, most of them several times
  // (a long range touches a file in many commits): matching a path against
  // every MAINTAINERS pattern once is enough.
  const lookup = memoByPath(match);
  return {
    source,
    file,
    subsystemsFor: lookup,
    primarySubsystem: (path) => lookup(path)[0] ?? null,
    topicOf: (paths) => topicFrom(paths, lookup),
  };
}

/**
 * The subsystem map for MAINTAINERS `text` (named `source` in warnings), or,
 * with no text, for path conventions. Parsing and indexing happen once, here.
 */
export function loadSubsystemMap(text?: string, source = "MAINTAINERS"): SubsystemMap {
  if (text === undefined) return fromLookup("convention", null, subsystemsByConvention);
  const file = parseMaintainers(text, source);
  const matcher = buildMatcher(file);
  return fromLookup("maintainers", file, matcher.subsystemsFor);
}

export { parseMaintainers } from "./parse.js";
export { buildMatcher, directoriesOf, normalizePath, type MaintainersMatcher } from "./match.js";
export { subjectPrefix, subsystemByConvention, subsystemsByConvention } from "./conventions.js";
export type { MaintainersFile, MaintainersSection, MaintainersWarning, SubsystemMatch, Topic } from "./types.js";
