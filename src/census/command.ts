import path from "node:path";
import type { CliIo } from "../cli/main.js";
import { loadConfigFile } from "../config/file.js";
import { UsageError } from "../patch/errors.js";
import { parseCommandArgs, positiveInt, progress, treePaths } from "../history/args.js";
import { censusFileFilter, censusTally, prefilterStrings } from "./census.js";
import { formatCensusJson, formatCensusText } from "./format.js";
import { grepFiles, listTree, readBlobs, resolveCommit } from "./git-tree.js";

export const CENSUS_USAGE = `usage: patchwarden census [--repo DIR] [--rev REV] [--all] [--config FILE]
                          [--format text|json] [--depth D] [--top K] [PATH...]

Counts the hypervisor conditionals standing in a tree (REV, default HEAD),
per hypervisor and per directory (D path components, default 3; the text
lists the top K directories, default 20), with the detector the
hv-special-case rule uses: in arch, core and driver-core code, outside each
hypervisor's own directories (--all: own directories too). Reads the
objects of REV only, never the work tree. --config FILE as for "check".`;

export async function censusCommand(argv: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommandArgs({
    args: argv,
    allowPositionals: true,
    strict: true,
    options: {
      repo: { type: "string" },
      rev: { type: "string", default: "HEAD" },
      all: { type: "boolean", default: false },
      config: { type: "string" },
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
  if (format !== "text" && format !== "json") throw new UsageError(`--format must be text or json for "census", not "${format}"`);
  const rev = values.rev ?? "HEAD";
  if (rev.trim() === "") throw new UsageError("--rev needs a revision, e.g. --rev v6.8");
  const paths = treePaths(positionals);
  const options = { all: values.all ?? false, depth: positiveInt("depth", values.depth, 3) };
  const topDirs = positiveInt("top", values.top, 20, 0);
  const repo = path.resolve(io.cwd, values.repo ?? ".");
  const config = await loadConfigFile(values.config, io.cwd);

  const commit = await resolveCommit(repo, rev);
  // git grep skips most of the tree far faster than reading it into node;
  // it runs while the listing is read and filtered.
  const strings = prefilterStrings(config);
  const grep = strings === null ? Promise.resolve(null) : grepFiles(repo, commit, strings, paths);
  const tree = await listTree(repo, commit);
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
  io.stdout.write(format === "json" ? formatCensusJson(report, header) : formatCensusText(report, header, topDirs));
  return 0;
}

/** As `check --config`: the census must count what the rules would flag. */
