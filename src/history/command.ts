import path from "node:path";
import type { CliIo } from "../cli/main.js";
import { UsageError } from "../patch/errors.js";
import { checkedDate, parseCommandArgs, positiveInt, progress, treePaths } from "./args.js";
import { htmlPage, renderSvg } from "../chart/index.js";
import { formatSprawlCsv, formatSprawlJson, formatSprawlText } from "./format.js";
import { formatSprawlSeriesCsv, formatSprawlSeriesJson, formatSprawlSeriesText, sprawlChart, sprawlTables } from "./format-periods.js";
import { repoName } from "./dirs.js";
import { gitOutput } from "./git-run.js";
import { readLog } from "./git-log.js";
import type { LogCommit } from "./log-parse.js";
import { readReleaseTags, releaseMap, type PeriodKind, type ReleaseMap } from "./periods.js";
import { sprawlTally } from "./sprawl.js";
import { sprawlSeriesTally } from "./sprawl-periods.js";

export const SPRAWL_USAGE = `usage: patchwarden sprawl [--repo DIR] [--since DATE] [--until DATE]
                          [--by year|quarter|release]
                          [--format text|json|csv|svg|html] [--layout columns|rows]
                          [--treewide N] [--treewide-dirs M] [--depth D] [--top K] PATH...

For each PATH (from the top of the tree, e.g. arch/x86/kvm arch/x86/xen):
how many commits touch it, how many files those commits touch outside it,
that share of all files they touch, and the top K outside directories
(D path components). Commits touching more than N files (default 100) or
more than M top-level directories (default 8) are treewide: counted apart
and left out of the other figures. DATE: 2024-01-31 (optionally with a
time), "6 months ago", or @UNIX-SECONDS; anything else is an error. The
text puts the paths side by side up to four of them, one row each beyond
(--layout forces either); csv has one row per path. A PATH that no commit
touches and that is not in the tree at HEAD is an error.

--by gives the same figures per period: calendar year or quarter (committer
date, UTC), or release (the tree's release tags, v2024.04 or v6.8; release
candidates like v6.8-rc1 and stable point releases are not releases; a
commit counts in the first release that contains it, commits after the
last one as "after TAG").
The text is a table per period and a sparkline of each path's share; csv
has one row per period and path; svg and html (which need --by) draw the
share per path as a line chart, the treewide commits below it, each path
with its own dash pattern and point shape.`;

export async function sprawlCommand(argv: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommandArgs({
    args: argv,
    allowPositionals: true,
    strict: true,
    options: {
      repo: { type: "string" },
      since: { type: "string" },
      until: { type: "string" },
      layout: { type: "string" },
      by: { type: "string" },
      format: { type: "string", default: "text" },
      treewide: { type: "string" },
      "treewide-dirs": { type: "string" },
      depth: { type: "string" },
      top: { type: "string" },
      help: { type: "boolean", short: "h" },
    },
  });
  if (values.help) {
    io.stdout.write(`${SPRAWL_USAGE}\n`);
    return 0;
  }
  const format = values.format;
  if (format !== "text" && format !== "json" && format !== "csv" && format !== "svg" && format !== "html") throw new UsageError(`--format must be text, json, csv, svg or html for "sprawl", not "${format}"`);
  const by = values.by;
  if (by !== undefined && by !== "year" && by !== "quarter" && by !== "release") throw new UsageError(`--by must be year, quarter or release, not "${by}"`);
  if ((format === "svg" || format === "html") && by === undefined) throw new UsageError(`--format ${format} draws the figures per period: give --by year, quarter or release`);
  const layout = values.layout;
  if (layout !== undefined && layout !== "columns" && layout !== "rows") throw new UsageError(`--layout must be columns or rows, not "${layout}"`);
  if (positionals.length === 0) throw new UsageError("sprawl needs at least one PATH, e.g. arch/x86/kvm");
  const since = checkedDate("since", values.since);
  const until = checkedDate("until", values.until);
  const options = {
    paths: treePaths(positionals),
    treewideFiles: positiveInt("treewide", values.treewide, 100),
    treewideDirs: positiveInt("treewide-dirs", values["treewide-dirs"], 8),
    depth: positiveInt("depth", values.depth, 3),
    top: positiveInt("top", values.top, 5, 0),
  };
  const repo = path.resolve(io.cwd, values.repo ?? ".");
  if (by !== undefined) return sprawlByPeriod(repo, by, options, { since, until }, format, io);

  const tally = sprawlTally(options);
  const stop = progress(io, () => `sprawl: ${tally.commitsRead} commits read`);
  try {
    await readLog(repo, options.paths, since, (c) => tally.add(c), until);
  } finally {
    stop();
  }
  const report = tally.report();
  await assertPathsExist(repo, report.columns.filter((c) => c.commits === 0 && c.treewide.commits === 0).map((c) => c.path));
  const window = { since, until };
  io.stdout.write(
    format === "json" ? formatSprawlJson(report, window) : format === "csv" ? formatSprawlCsv(report) : formatSprawlText(report, window, layout ?? (report.columns.length > 4 ? "rows" : "columns")),
  );
  return 0;
}

async function sprawlByPeriod(repo: string, by: PeriodKind, options: Parameters<typeof sprawlTally>[0], window: { since: string | undefined; until: string | undefined }, format: "text" | "json" | "csv" | "svg" | "html", io: CliIo): Promise<number> {
  // The release map walks the commit graph while git log reads the paths' history: two processes side by side.
  const releases: Promise<ReleaseMap | undefined> = by === "release" ? Promise.all([readReleaseTags(repo), walkFrom(repo, window.since)]).then(([tags, from]) => releaseMap(repo, tags, "HEAD", from)) : Promise.resolve(undefined);
  const commits: LogCommit[] = [];
  const stop = progress(io, () => `sprawl: ${commits.length} commits read`);
  let map: ReleaseMap | undefined;
  try {
    // A commit's release is known once the map is built: keep the (few) commits until then.
    await Promise.all([readLog(repo, options.paths, window.since, (c) => commits.push(c), window.until, true), releases]);
    map = await releases;
  } finally {
    stop();
  }
  if (map && map.releases.length === 0) throw new UsageError(`--by release: no release tags (v2024.04, v6.8) in the history of HEAD in ${repo}; give --by year or quarter`);
  const tally = sprawlSeriesTally(options, by, map);
  for (const c of commits) tally.add(c);
  const series = tally.report();
  await assertPathsExist(repo, series.total.columns.filter((c) => c.commits === 0 && c.treewide.commits === 0).map((c) => c.path));
  const rule = { files: options.treewideFiles, dirs: options.treewideDirs };
  if (format === "json") io.stdout.write(formatSprawlSeriesJson(series, window));
  else if (format === "csv") io.stdout.write(formatSprawlSeriesCsv(series));
  else if (format === "text") io.stdout.write(formatSprawlSeriesText(series, window, rule));
  else {
    const chart = sprawlChart(series, repoName(repo), window, rule);
    // vega is loaded here, on the first chart: text, json and csv never read it.
    const svg = await renderSvg(chart);
    io.stdout.write(format === "svg" ? `${svg}\n` : htmlPage(chart.title, svg, sprawlTables(series)));
  }
  return 0;
}

/**
 * With --since, the release map need not walk the history before it: a
 * year's margin below the date git reads it as (`git rev-parse --since`
 * answers --max-age=SECONDS) keeps a commit whose committer clock was off
 * from cutting the walk short.
 */
async function walkFrom(repo: string, since: string | undefined): Promise<number | undefined> {
  if (since === undefined) return undefined;
  const { stdout } = await gitOutput(repo, ["rev-parse", `--since=${since}`]);
  const m = /--max-age=(\d+)/.exec(stdout.toString("utf8"));
  return m ? Number(m[1]) - 365 * 86400 : undefined;
}

/** A path no commit touched may simply be quiet; one that is not in the tree either is a mistake, not a zero. */
async function assertPathsExist(repo: string, quiet: string[]): Promise<void> {
  const missing: string[] = [];
  for (const p of quiet) {
    const { code } = await gitOutput(repo, ["cat-file", "-e", `HEAD:${p}`], [0, 1, 128]);
    if (code !== 0) missing.push(p);
  }
  if (missing.length > 0) {
    throw new UsageError(`${missing.map((p) => `"${p}"`).join(", ")}: no commit touches ${missing.length === 1 ? "it" : "them"}, and ${missing.length === 1 ? "it is" : "they are"} not in the tree at HEAD (give paths from the top of the tree, e.g. arch/x86/kvm)`);
  }
}
