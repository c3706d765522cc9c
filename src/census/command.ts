import path from "node:path";
import type { CliIo } from "../cli/main.js";
import { loadCliConfig } from "../config/file.js";
import { UsageError } from "../patch/errors.js";
import { parseCommandArgs, positiveInt, progress, treePaths } from "../history/args.js";
import { censusFileFilter, censusTally, prefilterStrings } from "./census.js";
import { formatCensusJson, formatCensusText } from "./format.js";
import { grepFiles, listTree, readBlobs, resolveCommit } from "./git-tree.js";

export const CENSUS_USAGE = `usage: patchwarden census [--repo DIR] [--rev REV] [--all] [--list]
                          [--config FILE | --no-config] [--format text|json]
                          [--depth D] [--top K] [PATH...]

Counts the hypervisor conditionals standing in a tree (REV, default HEAD),
per hypervisor and per directory (D path components, default 3; the text
lists the top K directories, default 20), with the detector the
hv-special-case rule uses: in arch, core and driver-core code, outside each
hypervisor's own directories (--all: own directories too). Reads the
objects of REV only, never the work tree. --list adds every location as
path:line (json always has them). A PATH with no file under it in REV is
an error. --config FILE and --no-config as for "check" (without either,
the tree's .github/patchwarden.yml).`;

export async function censusCommand(argv: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommandArgs({
    args: argv,
    allowPositionals: true,
    strict: true,
    options: {
      repo: { type: "string" },
      rev: { type: "string", default: "HEAD" },
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
  if (format !== "text" && format !== "json") throw new UsageError(`--format must be text or json for "census", not "${format}"`);
  const rev = values.rev ?? "HEAD";
  if (rev.trim() === "") throw new UsageError("--rev needs a revision, e.g. --rev v6.8");
  const paths = treePaths(positionals);
  const options = { all: values.all ?? false, depth: positiveInt("depth", values.depth, 3) };
  const topDirs = positiveInt("top", values.top, 20, 0);
  const repo = path.resolve(io.cwd, values.repo ?? ".");
  if (values.config !== undefined && values["no-config"]) throw new UsageError("give --config FILE or --no-config, not both");
  const config = (await loadCliConfig({ file: values.config, noConfig: values["no-config"], treeDir: values.repo ?? ".", cwd: io.cwd })).config;

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

/** As `check --config`: the census must count what the rules would flag. */
