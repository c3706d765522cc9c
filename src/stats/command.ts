import { readFile } from "node:fs/promises";
import path from "node:path";
import { ruleRegistry } from "../../rules/index.js";
import type { CliIo } from "../cli/main.js";
import { codeLinesOf } from "../cli/format-json.js";
import { loadCliConfig } from "../config/file.js";
import type { PatchwardenConfig } from "../config/types.js";
import { selectRules } from "../engine/run.js";
import { parseCommandArgs, progress } from "../history/args.js";
import { UsageError } from "../patch/errors.js";
import { formatStatsJson, formatStatsText, type SeriesEntry } from "./format.js";
import { fileInputs, gitInputs, type StatsInput } from "./inputs.js";
import { checkEach } from "./run.js";
import { StatsTally } from "./tally.js";

export const STATS_USAGE = `usage: patchwarden stats [--format text|json] [--config FILE | --no-config]
                         (FILE... | --git RANGE [--repo DIR])

Checks each FILE, or each commit of RANGE (merges left out), as its own
one-commit series, as "check" would, and counts per rule how many commits
got a finding, per 1,000 commits, by severity: the noise a maintainer would
have seen on that history. An unreadable input is reported on stderr and
left out of the count. --config FILE and --no-config as for "check"
(without either, the tree's .github/patchwarden.yml); with --git, the
MAINTAINERS file at the top of --repo is read as "check" reads it.
Exit status: 0 whatever was found, 2 for a usage error or when no input
could be read.`;

export async function statsCommand(argv: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommandArgs({
    args: argv,
    allowPositionals: true,
    strict: true,
    options: {
      format: { type: "string", default: "text" },
      config: { type: "string" },
      "no-config": { type: "boolean" },
      git: { type: "string" },
      repo: { type: "string" },
      help: { type: "boolean", short: "h" },
    },
  });
  if (values.help) {
    io.stdout.write(`${STATS_USAGE}\n`);
    return 0;
  }
  const format = values.format;
  if (format !== "text" && format !== "json") throw new UsageError(`--format must be text or json for "stats", not "${format}"`);
  if (values.git !== undefined && positionals.length > 0) throw new UsageError("give either files or --git RANGE, not both");
  if (values.git === undefined && values.repo !== undefined) throw new UsageError("--repo only goes with --git RANGE");
  if (values.git === undefined && positionals.length === 0) throw new UsageError("nothing to count: give patch files or --git RANGE");
  if (values.git !== undefined && values.git.trim() === "") throw new UsageError("--git needs a range, e.g. --git v6.9..v6.10");

  if (values.config !== undefined && values["no-config"]) throw new UsageError("give --config FILE or --no-config, not both");
  // As check: the tree's own .github/patchwarden.yml unless told otherwise.
  const treeDir = values.git !== undefined ? (values.repo ?? ".") : ".";
  const config = { ...(await loadCliConfig({ file: values.config, noConfig: values["no-config"], treeDir, cwd: io.cwd })).config };
  let inputs: StatsInput[] | AsyncIterable<StatsInput>;
  let total: number;
  if (values.git !== undefined) {
    const repo = path.resolve(io.cwd, values.repo ?? ".");
    await useMaintainers(config, repo);
    ({ inputs, count: total } = await gitInputs(values.git, repo, config.limits.maxInputBytes));
  } else {
    inputs = fileInputs(positionals, io.cwd, config.limits.maxInputBytes);
    total = inputs.length;
  }

  const tally = new StatsTally(selectRules(ruleRegistry, config, {}).map((r) => r.meta.id));
  const series: SeriesEntry[] = [];
  let done = 0;
  let unreadable = 0;
  const stop = progress(io, () => `stats: ${done} of ${total} checked`);
  try {
    await checkEach(inputs, config, (outcome) => {
      done++;
      if ("error" in outcome) {
        unreadable++;
        io.stderr.write(`patchwarden: ${outcome.error.describe()}\n`);
        return;
      }
      const { series: s, findings } = outcome.checked;
      // Worded as check words them.
      for (const w of outcome.checked.inputWarnings) io.stderr.write(`patchwarden: ${w.source}:${w.line}: warning: ${w.message}\n`);
      for (const w of outcome.checked.analysisWarnings) io.stderr.write(`patchwarden: ${w.source}:${w.line}: warning: ${w.message} (not analysed)\n`);
      tally.add(s, findings);
      // Only json lists them; a text run over a long history need not hold every finding.
      if (format === "json") {
        const code = codeLinesOf(s);
        series.push({ input: outcome.input.name, findings, codes: findings.map(code) });
      }
    });
  } finally {
    stop();
  }
  if (unreadable === done) {
    io.stderr.write(`patchwarden: none of the ${done} input${done === 1 ? "" : "s"} could be read\n`);
    return 2;
  }
  io.stdout.write(format === "json" ? formatStatsJson(series, tally) : formatStatsText(tally, { inputs: done, unreadable }));
  return 0;
}

/** As `check --git` does: the tree's own MAINTAINERS when there is one, path conventions otherwise. */
async function useMaintainers(config: PatchwardenConfig, repo: string): Promise<void> {
  const file = path.join(repo, "MAINTAINERS");
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch {
    return;
  }
  const { loadSubsystemMap } = await import("../maintainers/index.js");
  config.subsystemMap = loadSubsystemMap(text, file);
}
