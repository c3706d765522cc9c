import path from "node:path";
import type { CliIo } from "../cli/main.js";
import { UsageError } from "../patch/errors.js";
import { parseCommandArgs, positiveInt, progress, treePaths } from "./args.js";
import { formatSprawlJson, formatSprawlText } from "./format.js";
import { readLog } from "./git-log.js";
import { sprawlTally } from "./sprawl.js";

export const SPRAWL_USAGE = `usage: patchwarden sprawl [--repo DIR] [--since DATE] [--format text|json]
                          [--treewide N] [--treewide-dirs M] [--depth D] [--top K] PATH...

For each PATH (from the top of the tree, e.g. arch/x86/kvm arch/x86/xen):
how many commits touch it, how many files those commits touch outside it,
that share of all files they touch, and the top K outside directories
(D path components). Commits touching more than N files (default 100) or
more than M top-level directories (default 8) are treewide: counted apart
and left out of the other figures.`;

export async function sprawlCommand(argv: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommandArgs({
    args: argv,
    allowPositionals: true,
    strict: true,
    options: {
      repo: { type: "string" },
      since: { type: "string" },
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
  if (format !== "text" && format !== "json") throw new UsageError(`--format must be text or json for "sprawl", not "${format}"`);
  if (positionals.length === 0) throw new UsageError("sprawl needs at least one PATH, e.g. arch/x86/kvm");
  const since = values.since;
  if (since !== undefined && since.trim() === "") throw new UsageError("--since needs a date, e.g. --since 2020-01-01");
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
    await readLog(repo, options.paths, since, (c) => tally.add(c));
  } finally {
    stop();
  }
  const report = tally.report();
  io.stdout.write(format === "json" ? formatSprawlJson(report, since) : formatSprawlText(report, since));
  return 0;
}
