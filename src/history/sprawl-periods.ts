import type { LogCommit } from "./log-parse.js";
import { calendarLabel, calendarPeriods, releasePeriods, type Period, type PeriodKind, type ReleaseMap } from "./periods.js";
import { sprawlTally, type SprawlColumn, type SprawlOptions, type SprawlReport, type SprawlTally } from "./sprawl.js";

// The sprawl figures per period: one tally per period fed from the same
// single `git log` pass, and one for the whole, so the per-period figures
// and the total always agree.

export interface PeriodSprawl {
  period: Period;
  /** Commits of the period touching any of the paths. */
  commitsRead: number;
  /** Per path, as `sprawl` reports them (the outside directories included). */
  columns: SprawlColumn[];
}

export interface SprawlSeries {
  by: PeriodKind;
  paths: string[];
  /** Oldest first, from the first period with a commit; quiet periods after it stay, as zeros. */
  periods: PeriodSprawl[];
  /** The whole window at once: what `sprawl` without --by prints. */
  total: SprawlReport;
}

export interface SprawlSeriesTally {
  add(commit: LogCommit): void;
  readonly commitsRead: number;
  report(): SprawlSeries;
}

/** Calendar periods read the commit's date; releases read `releases` (src/history/periods.ts). */
export function sprawlSeriesTally(options: SprawlOptions, by: PeriodKind, releases?: ReleaseMap): SprawlSeriesTally {
  if (by === "release" && !releases) throw new Error("sprawl by release needs the release map");
  const total = sprawlTally(options);
  const tallies = new Map<string | number, { tally: SprawlTally; latest: number }>();
  let first = Infinity;
  let last = -Infinity;
  const keyOf = (c: LogCommit): string | number => (by === "release" ? releases!.releaseOf(c.hash) : calendarLabel(by, c.time ?? 0));
  return {
    get commitsRead() {
      return total.commitsRead;
    },
    add(commit) {
      total.add(commit);
      const time = commit.time ?? 0;
      const key = keyOf(commit);
      let entry = tallies.get(key);
      if (!entry) tallies.set(key, (entry = { tally: sprawlTally(options), latest: time }));
      entry.tally.add(commit);
      entry.latest = Math.max(entry.latest, time);
      first = Math.min(first, time);
      last = Math.max(last, time);
    },
    report() {
      let periods: { period: Period; key: string | number }[];
      if (by === "release") {
        const map = releases!;
        const after = tallies.get(map.releases.length);
        periods = releasePeriods(map, after ? after.latest : null).map((period, i) => ({ period, key: i }));
      } else {
        periods = tallies.size === 0 ? [] : calendarPeriods(by, first, last).map((period) => ({ period, key: period.label }));
      }
      // Releases before the paths existed say nothing: start at the first period with a commit.
      const start = periods.findIndex((p) => tallies.has(p.key));
      const empty = sprawlTally(options).report();
      return {
        by,
        paths: options.paths,
        periods: (start === -1 ? [] : periods.slice(start)).map(({ period, key }) => {
          const r = tallies.get(key)?.tally.report() ?? empty;
          return { period, commitsRead: r.commitsRead, columns: r.columns };
        }),
        total: total.report(),
      };
    },
  };
}

/** The share outside per period for one column, null where the path's commits touched no file (a gap, not a zero). */
export function shareSeries(series: SprawlSeries, column: number): (number | null)[] {
  return series.periods.map((p) => {
    const c = p.columns[column]!;
    return c.filesInside + c.filesOutside === 0 ? null : c.share;
  });
}

/**
 * The share outside over the last `window` periods together (their files
 * outside over their files touched), per period: one busy release weighs
 * more than a quiet one, and a trend shows through single releases' noise.
 * Null until a period of the window has a file.
 */
export function rollingShare(series: SprawlSeries, column: number, window: number): (number | null)[] {
  return series.periods.map((_, i) => {
    let inside = 0;
    let outside = 0;
    for (let k = Math.max(0, i - window + 1); k <= i; k++) {
      const c = series.periods[k]!.columns[column]!;
      inside += c.filesInside;
      outside += c.filesOutside;
    }
    return inside + outside === 0 ? null : Math.round((outside / (inside + outside)) * 10000) / 10000;
  });
}

/** Periods the chart's lines sum over: a year is read alone; releases and quarters four at a time (about a year). */
export function rollingWindow(by: SprawlSeries["by"]): number {
  return by === "year" ? 1 : 4;
}
