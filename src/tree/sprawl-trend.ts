import { seriesTopic } from "../analysis/topic.js";
import { sparkline } from "../chart/index.js";
import type { PatchwardenConfig } from "../config/types.js";
import { LOG_FORMAT_TIMED, logParser } from "../history/log-parse.js";
import { calendarPeriods } from "../history/periods.js";
import { sprawlSeriesTally } from "../history/sprawl-periods.js";
import { displayPath, type Series } from "../patch/types.js";
import type { TreeBase } from "./gather.js";
import { gitBounded } from "./git-bounded.js";

// The subsystem's own sprawl over the last quarters before the base, shown
// beside the series' figure: is this series reaching out more than the
// subsystem's commits usually do? Read in the base tree's history (git log
// at the base commit over the subsystem's directories), as `sprawl --by
// quarter` reads it.
//
// Periods are calendar quarters by committer date, not releases: the app's
// mirror fetches commits by id and no tags (a tag is a name anyone with push
// access can move, and a kernel has thousands), and most kernel-style trees
// release about once a quarter (U-Boot exactly so, Linux every nine or ten
// weeks), so a quarter reads like a release without asking the tree which.

export interface SprawlTrendOptions {
  /** Quarters shown, the base's own included. */
  quarters: number;
  deadline: number;
  /** Lines of git log read at most (one per commit and file). */
  maxLines: number;
}

export const DEFAULT_TREND = { quarters: 8, timeMs: 3000, maxLines: 200_000 };

export interface SprawlTrend {
  topic: string;
  /** Oldest first, the base's quarter last; share null where no commit touched the subsystem. */
  periods: { label: string; commits: number; share: number | null }[];
  /** All the quarters together. */
  commits: number;
  share: number;
  /** The series' own files: how many lie outside the topic, of how many (Documentation/ left out, as the sprawl rule does). */
  series: { outside: number; files: number };
}

/** Null with a note when it cannot be said within the bounds; null without one when the series has no topic to trend. */
export async function sprawlTrend(series: Series, base: TreeBase, config: PatchwardenConfig, options: SprawlTrendOptions): Promise<{ trend: SprawlTrend | null; note: string | null }> {
  const topic = seriesTopic(series, config);
  if (!topic) return { trend: null, note: null };
  const paths = [...new Set(series.files.map(displayPath))].filter((p) => !p.startsWith("Documentation/"));
  const inside = paths.filter((p) => topic.covers(p));
  const dirs = topicDirectories(inside, topic.covers);
  if (dirs.length === 0) return { trend: null, note: null };
  const when = await gitBounded(base.repo, ["log", "-1", "--format=%ct", base.commit], { deadline: options.deadline, maxLines: 2 });
  const baseTime = Number(when.lines[0]);
  if (!Number.isFinite(baseTime) || baseTime <= 0) return { trend: null, note: `the sprawl of ${topic.name} over the last quarters was not read: the base commit's date is unknown` };
  const quarters = calendarPeriods("quarter", baseTime - (options.quarters - 1) * 92 * 86400, baseTime).slice(-options.quarters);
  const since = quarters[0]!.time;
  const args = ["log", "--no-merges", "--no-renames", "--name-only", "--full-diff", "--no-color", "--no-notes", "--encoding=UTF-8", LOG_FORMAT_TIMED, `--since=@${since}`, base.commit, "--", ...dirs];
  const result = await gitBounded(base.repo, args, { deadline: options.deadline, maxLines: options.maxLines });
  if (result.failed) return { trend: null, note: `the sprawl of ${topic.name} over the last quarters could not be read: ${result.failed}` };
  if (result.stopped) return { trend: null, note: `the sprawl of ${topic.name} over the last quarters was not read: its history is over the ${result.stopped === "deadline" ? "time limit" : `${options.maxLines.toLocaleString("en-US")}-line limit`}` };
  const tally = sprawlSeriesTally({ paths: [topic.name], inside: [topic.covers], treewideFiles: 100, treewideDirs: 8, depth: 2, top: 0 }, "quarter");
  const parser = logParser((c) => tally.add(c), true);
  for (const line of result.lines) parser.line(line);
  parser.end();
  const report = tally.report();
  const byLabel = new Map(report.periods.map((p) => [p.period.label, p.columns[0]!]));
  const total = report.total.columns[0]!;
  return {
    trend: {
      topic: topic.name,
      periods: quarters.map((q) => {
        const c = byLabel.get(q.label);
        return { label: q.label, commits: c?.commits ?? 0, share: c && c.filesInside + c.filesOutside > 0 ? c.share : null };
      }),
      commits: total.commits,
      share: total.share,
      series: { outside: paths.length - inside.length, files: paths.length },
    },
    note: null,
  };
}

/**
 * The directories the history is read under: for each of the series' files
 * inside the topic, the highest directory above it whose files the topic
 * still covers (drivers/xen for drivers/xen/events/fifo.c), so that the
 * subsystem's other files count too. A file in no such directory stands
 * for itself.
 */
export function topicDirectories(files: string[], covers: (path: string) => boolean): string[] {
  const out = new Set<string>();
  for (const f of files) {
    let best = f;
    for (let d = f.slice(0, Math.max(0, f.lastIndexOf("/"))); d !== ""; d = d.slice(0, Math.max(0, d.lastIndexOf("/")))) {
      // A made-up file directly in the directory: covered when the topic owns the directory, not only some files in it.
      if (!covers(`${d}/patchwarden-probe.c`)) break;
      best = d;
    }
    out.add(best);
  }
  // A directory inside another one listed is read with it.
  const all = [...out].sort();
  return all.filter((d) => !all.some((o) => o !== d && d.startsWith(`${o}/`)));
}

const pct = (x: number) => `${Math.round(x * 100)}%`;

/** "Xen's sprawl over the last 8 quarters: `▃▅▂··▁▂▃` 41% ... ; this series: 75% (3 of its 4 files)". */
export function describeSprawlTrend(t: SprawlTrend): string {
  const first = t.periods[0]!.label;
  const last = t.periods.at(-1)!.label;
  const spark = sparkline(t.periods.map((p) => p.share), { min: 0, max: 1 });
  const own = t.series.files === 0 ? "" : `; this series: ${pct(t.series.outside / t.series.files)} (${t.series.outside} of its ${t.series.files} file${t.series.files === 1 ? "" : "s"})`;
  if (t.commits === 0) return `${t.topic}'s sprawl over the last ${t.periods.length} quarters (${first} to ${last}): no commit touched its directories${own}`;
  return `${t.topic}'s sprawl over the last ${t.periods.length} quarters (${first} to ${last}, · no commits): ${spark} — ${pct(t.share)} of the files its ${t.commits} commits touched lie outside it (treewide commits left out)${own}`;
}
