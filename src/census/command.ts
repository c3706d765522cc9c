import path from "node:path";
import type { CliIo } from "../cli/main.js";
import { loadCliConfig } from "../config/file.js";
import { UsageError } from "../patch/errors.js";
import { parseCommandArgs, positiveInt, progress, treePaths } from "../history/args.js";
import { censusFileFilter, censusTally, prefilterStrings } from "./census.js";
import { formatCensusJson, formatCensusText } from "./format.js";
import { grepFiles, listTree, readBlobs, resolveCommit } from "./git-tree.js";
import { htmlPage, renderSvg } from "../chart/index.js";
import type { PatchwardenConfig } from "../config/types.js";
import { repoName } from "../history/dirs.js";
import { gitOutput } from "../history/git-run.js";
import { readReleaseTags } from "../history/periods.js";
import { censusChart, censusTables, formatCensusSeriesCsv, formatCensusSeriesJson, formatCensusSeriesText } from "./format-periods.js";
import { censusSeries, type CensusRevision, type CensusSeries } from "./periods.js";

export const CENSUS_USAGE = `usage: patchwarden census [--repo DIR] [--rev REV] [--all] [--list]
                          [--at REV]... [--by release]
                          [--config FILE | --no-config] [--format text|json|csv|svg|html]
                          [--depth D] [--top K] [PATH...]

Counts the hypervisor conditionals standing in a tree (REV, default HEAD),
per hypervisor and per directory (D path components, default 3; the text
lists the top K directories, default 20), with the detector the
hv-special-case rule uses: in arch, core and driver-core code, outside each
hypervisor's own directories (--all: own directories too). Reads the
objects of REV only, never the work tree. --list adds every location as
path:line (json always has them). A PATH with no file under it in REV is
an error. --config FILE and --no-config as for "check" (without either,
the tree's .github/patchwarden.yml).

--at REV (repeated) counts at each REV, in the order given; --by release at
every release tag (v2024.04, v6.8; not release candidates like v6.8-rc1,
nor stable point releases), oldest first. Then the text is a table of the conditionals per hypervisor
(per PATH and hypervisor when PATHs are given) at each revision, with a
sparkline per column; csv has one row per revision, path and hypervisor;
svg and html (which need --at or --by) draw them as a line chart, each with
its own dash pattern and point shape.`;

export async function censusCommand(argv: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommandArgs({
    args: argv,
    allowPositionals: true,
    strict: true,
    options: {
      repo: { type: "string" },
      rev: { type: "string" },
      at: { type: "string", multiple: true },
      by: { type: "string" },
      all: { type: "boolean", default: false },
      list: { type: "boolean", default: false },
      config: { type: "string" },
      "no-config": { type: "boolean" },
      format: { type: "string", default: "text" },
      depth: { type: "string" },
      top: { type: "string" },
      help: { type: "boolean", short: "h" },
    },
  });
  if (values.help) {
    io.stdout.write(`${CENSUS_USAGE}\n`);
    return 0;
  }
  const format = values.format;
  if (format !== "text" && format !== "json" && format !== "csv" && format !== "svg" && format !== "html") throw new UsageError(`--format must be text, json, csv, svg or html for "census", not "${format}"`);
  if (values.by !== undefined && values.by !== "release") throw new UsageError(`--by must be release for "census", not "${values.by}" (a census counts a tree, and a tree is a revision)`);
  const at = values.at ?? [];
  const series = at.length > 0 || values.by !== undefined;
  if (at.length > 0 && values.by !== undefined) throw new UsageError("give --at REV... or --by release, not both");
  if (series && values.rev !== undefined) throw new UsageError(`--rev counts one revision; with ${at.length > 0 ? "--at" : "--by"} give the revisions there`);
  if (series && values.list) throw new UsageError(`--list lists the locations of one revision: give --rev, not ${at.length > 0 ? "--at" : "--by"}`);
  if (!series && format !== "text" && format !== "json") throw new UsageError(`--format ${format} shows counts per revision: give --at REV... or --by release`);
  for (const r of at) if (r.trim() === "") throw new UsageError("--at needs a revision, e.g. --at v6.8");
  const rev = values.rev ?? "HEAD";
  if (rev.trim() === "") throw new UsageError("--rev needs a revision, e.g. --rev v6.8");
  const paths = treePaths(positionals);
  const options = { all: values.all ?? false, depth: positiveInt("depth", values.depth, 3) };
  const topDirs = positiveInt("top", values.top, 20, 0);
  const repo = path.resolve(io.cwd, values.repo ?? ".");
  if (values.config !== undefined && values["no-config"]) throw new UsageError("give --config FILE or --no-config, not both");
  const config = (await loadCliConfig({ file: values.config, noConfig: values["no-config"], treeDir: values.repo ?? ".", cwd: io.cwd })).config;
  if (series) return censusOverRevisions(repo, at.length > 0 ? [...new Set(at)] : null, paths, { all: options.all }, config, format, io);

  const commit = await resolveCommit(repo, rev);
  // git grep skips most of the tree far faster than reading it into node;
  // it runs while the listing is read and filtered.
  const strings = prefilterStrings(config);
  const grep = strings === null ? Promise.resolve(null) : grepFiles(repo, commit, strings, paths);
  const tree = await listTree(repo, commit);
  const missing = paths.filter((p) => !tree.some((e) => e.path === p || e.path.startsWith(`${p}/`)));
  if (missing.length > 0) throw new UsageError(`no file under ${missing.map((p) => `"${p}"`).join(", ")} in ${rev} (give paths from the top of the tree, e.g. arch/x86)`);
  const wanted = censusFileFilter(config, options, paths);
  const considered = tree.filter((e) => wanted(e.path));
  const hits = await grep;
  const files = hits === null ? considered : considered.filter((e) => hits.has(e.path));

  const tally = censusTally(config, options);
  const stop = progress(io, () => `census: ${tally.filesRead} of ${files.length} files read`);
  try {
    await readBlobs(
      repo,
      files.map((f) => f.oid),
      (i, body) => tally.add(files[i]!.path, body.toString("utf8")),
    );
  } finally {
    stop();
  }
  const report = tally.report();
  const header = { rev, commit, paths, filesInTree: tree.length, filesConsidered: considered.length };
  io.stdout.write(format === "json" ? formatCensusJson(report, header) : formatCensusText(report, header, topDirs, values.list ?? false));
  return 0;
}

async function censusOverRevisions(repo: string, at: string[] | null, paths: string[], options: { all: boolean }, config: PatchwardenConfig, format: "text" | "json" | "csv" | "svg" | "html", io: CliIo): Promise<number> {
  let revisions: CensusRevision[];
  if (at) revisions = at.map((r) => ({ label: r, rev: r }));
  else {
    const tags = await readReleaseTags(repo);
    if (tags.length === 0) throw new UsageError(`--by release: no release tags (v2024.04, v6.8) in ${repo}; give the revisions with --at`);
    revisions = tags.map((t) => ({ label: t.tag, rev: t.commit }));
  }
  let done = 0;
  const stop = progress(io, () => `census: ${done} of ${revisions.length} revisions counted`);
  let result: CensusSeries;
  try {
    result = await censusSeries(repo, revisions, config, { ...options, paths, onRevision: (n) => (done = n) });
  } finally {
    stop();
  }
  await assertPathsInSomeRevision(repo, result, paths);
  if (format === "json") io.stdout.write(formatCensusSeriesJson(result));
  else if (format === "csv") io.stdout.write(formatCensusSeriesCsv(result));
  else if (format === "text") io.stdout.write(formatCensusSeriesText(result));
  else {
    const chart = censusChart(result, repoName(repo), at === null);
    // vega is loaded here, on the first chart: text, json and csv never read it.
    const svg = await renderSvg(chart);
    io.stdout.write(format === "svg" ? `${svg}\n` : htmlPage(chart.title, svg, censusTables(result)));
  }
  return 0;
}

/** A PATH no revision has a file under is a mistake, as for one census; one that appears later is not. */
async function assertPathsInSomeRevision(repo: string, result: CensusSeries, paths: string[]): Promise<void> {
  const missing: string[] = [];
  for (const p of paths) {
    let found = false;
    // Newest first: a path that exists today is found with one question.
    for (const r of [...result.revisions].reverse()) {
      const { code } = await gitOutput(repo, ["cat-file", "-e", `${r.commit}:${p}`], [0, 1, 128]);
      if (code === 0) {
        found = true;
        break;
      }
    }
    if (!found) missing.push(p);
  }
  if (missing.length > 0) throw new UsageError(`no file under ${missing.map((p) => `"${p}"`).join(", ")} at any of the revisions (give paths from the top of the tree, e.g. arch/x86)`);
}

/** As `check --config`: the census must count what the rules would flag. */
