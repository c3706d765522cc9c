import path from "node:path";
import type { CliIo } from "../cli/main.js";
import { UsageError } from "../patch/errors.js";
import { checkedDate, parseCommandArgs, positiveInt, progress, treePaths } from "./args.js";
import { formatSprawlCsv, formatSprawlJson, formatSprawlText } from "./format.js";
import { gitOutput } from "./git-run.js";
import { readLog } from "./git-log.js";
import { sprawlTally } from "./sprawl.js";

export const SPRAWL_USAGE = `usage: patchwarden sprawl [--repo DIR] [--since DATE] [--until DATE]
                          [--format text|json|csv] [--layout columns|rows]
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
touches and that is not in the tree at HEAD is an error.`;

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
  if (format !== "text" && format !== "json" && format !== "csv") throw new UsageError(`--format must be text, json or csv for "sprawl", not "${format}"`);
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
