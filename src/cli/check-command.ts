// `patchwarden check`: the findings on a series. Its own module, loaded when
// the command is check, so that `rules`, `config` and `help` load none of
// the parser, the rules or the formatters.
import { readFile } from "node:fs/promises";
import path from "node:path";
import { ruleRegistry } from "../../rules/index.js";
import { loadCliConfig } from "../config/file.js";
import { unknownIdMessage } from "../config/nearest.js";
import { knownRuleIds } from "../config/rule-ids.js";
import { commitWarmer, runRulesBesideTree } from "../engine/run.js";
import type { Finding, Severity } from "../findings/types.js";
import { InputError, UsageError } from "../patch/errors.js";
import { parseSeries } from "../patch/series.js";
import { analysisWarnings } from "../patch/source-view.js";
import type { Series } from "../patch/types.js";
import { docUrlFor } from "./doc-url.js";
import { codeLinesOf, formatJson } from "./format-json.js";
import { formatSarif } from "./format-sarif.js";
import { formatText } from "./format-text.js";
import { readGitSeries, readInputs } from "./inputs.js";
import { parseCommandArgs } from "../history/args.js";
import { CHECK_USAGE, VERSION, type CliIo } from "./main.js";
import { cliTree, type CliTree } from "./tree-context.js";

/** `--rule a,b --rule c` → [a, b, c], each id checked against the registry. */
function idList(raw: string[] | undefined, option: string): string[] {
  const ids = (raw ?? []).flatMap((v) => v.split(",")).map((v) => v.trim());
  const known = knownRuleIds(ruleRegistry.map((r) => r.meta));
  for (const id of ids) {
    if (id === "") throw new UsageError(`--${option} has an empty rule id`);
    if (!known.includes(id)) throw new UsageError(`${unknownIdMessage("rule", id, known)} in --${option} (see: patchwarden rules)`);
  }
  return ids;
}

/**
 * `--color` alone means always, and `--color always` (a separate word) is
 * read like `--color=always`, as grep and git accept both.
 */
function normalizeColorArgs(argv: string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === "--") {
      out.push(...argv.slice(i));
      break;
    }
    if (a === "--color") {
      const next = argv[i + 1];
      if (next === "always" || next === "never" || next === "auto") {
        out.push(`--color=${next}`);
        i++;
      } else out.push("--color=always");
      continue;
    }
    out.push(a);
  }
  return out;
}

function colorWanted(when: string | undefined, noColor: boolean | undefined, io: CliIo): boolean {
  if (noColor) return false;
  if (when === "always") return true;
  if (when === "never") return false;
  if (when !== undefined && when !== "auto") throw new UsageError(`--color must be always, never or auto, not "${when}"`);
  return Boolean(io.stdout.isTTY) && !io.env.NO_COLOR && io.env.TERM !== "dumb";
}

const SEVERITY_RANK: Record<Severity, number> = { info: 0, warning: 1, error: 2 };

function failThreshold(raw: string | undefined): number {
  if (raw === undefined || raw === "error") return SEVERITY_RANK.error;
  if (raw === "warning" || raw === "info") return SEVERITY_RANK[raw];
  if (raw === "never" || raw === "none") return Infinity;
  throw new UsageError(`--fail-on must be error, warning, info or never, not "${raw}"`);
}

export async function checkCommand(argv: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommandArgs({
    args: normalizeColorArgs(argv),
    allowPositionals: true,
    strict: true,
    options: {
      format: { type: "string", default: "text" },
      rule: { type: "string", multiple: true },
      ignore: { type: "string", multiple: true },
      config: { type: "string" },
      "no-config": { type: "boolean" },
      git: { type: "string" },
      repo: { type: "string" },
      maintainers: { type: "string" },
      topic: { type: "string" },
      color: { type: "string" },
      "no-color": { type: "boolean" },
      terse: { type: "boolean" },
      "fail-on": { type: "string" },
      baseline: { type: "string" },
      "write-baseline": { type: "string" },
      verbose: { type: "boolean", short: "v" },
      help: { type: "boolean", short: "h" },
    },
  });
  if (values.help) {
    io.stdout.write(`${CHECK_USAGE}\n`);
    return 0;
  }
  const format = values.format!;
  if (!["text", "json", "sarif"].includes(format)) throw new UsageError(`--format must be text, json or sarif, not "${format}"`);
  const only = idList(values.rule, "rule");
  const ignore = idList(values.ignore, "ignore");
  const threshold = failThreshold(values["fail-on"]);
  const color = colorWanted(values.color, values["no-color"], io);
  if (values.terse && format !== "text") throw new UsageError("--terse goes with --format text");
  if (values.config !== undefined && values["no-config"]) throw new UsageError("give --config FILE or --no-config, not both");
  if (values.git !== undefined && positionals.length > 0) throw new UsageError("give either files or --git RANGE, not both");
  if (values.git === undefined && positionals.length === 0) throw new UsageError("nothing to check: give patch files, - for standard input, or --git RANGE");

  // --repo with patch files names the tree they apply to (its config, its base commit).
  const treeDir = values.repo ?? ".";
  const loaded = await loadCliConfig({ file: values.config, noConfig: values["no-config"], treeDir, cwd: io.cwd });
  const config = { ...loaded.config };
  if (values.topic !== undefined) config.topic = values.topic;
  const maintainersText = await readMaintainers(values.maintainers, values.git !== undefined ? (values.repo ?? ".") : undefined, io.cwd);
  if (maintainersText) {
    const { loadSubsystemMap } = await import("../maintainers/index.js");
    config.subsystemMap = loadSubsystemMap(maintainersText.text, maintainersText.name);
  }
  const status = phases(io);
  let series: Series;
  let findings: Finding[];
  let tree: CliTree;
  try {
    // A range is parsed while git writes it; patch files are read whole first (their base is looked up in them).
    const inputs = values.git !== undefined ? [] : await readInputs(undefined, values.repo, positionals, io, config.limits, status);
    // The rules' work on each commit is done as git writes the range: this thread would otherwise wait for git.
    if (values.git !== undefined) series = await readGitSeries(values.git, values.repo, io, config.limits, status, commitWarmer(config, { only, ignore }));
    else {
      const size = inputs.reduce((n, i) => n + i.bytes.length, 0);
      status(`check: reading ${(size / 1048576).toFixed(1)} MB of patches`);
      series = parseSeries(inputs, config.limits);
    }
    // git reads the base tree while the rules that do not need it run; they
    // start once its lookups run (each next step of a lookup waits for a rule to end).
    let started = () => {};
    const headStart = new Promise<void>((resolve) => (started = resolve));
    const reading = cliTree(series, inputs, { git: values.git, repo: values.repo, cwd: io.cwd }, config, () => started());
    // Its failure is thrown where it is awaited, below; not "unhandled" while the head start is awaited.
    reading.catch(() => {});
    await headStart;
    status(`check: running the rules over ${series.commits.length} commits`);
    findings = (await runRulesBesideTree(series, config, reading.then((t) => t.facts), { only, ignore })).findings;
    tree = await reading;
  } finally {
    status(null);
  }
  if (values["write-baseline"] !== undefined) {
    const { writeBaseline } = await import("./baseline.js");
    await writeBaseline(path.resolve(io.cwd, values["write-baseline"]), findings);
    io.stderr.write(`patchwarden: ${values["write-baseline"]}: ${findings.length} ${findings.length === 1 ? "finding" : "findings"} recorded as the baseline\n`);
  }
  if (values.baseline !== undefined) {
    const { readBaseline } = await import("./baseline.js");
    const known = await readBaseline(values.baseline, io.cwd);
    const before = findings.length;
    findings = findings.filter((f) => !known.has(f.fingerprint));
    if (before > findings.length) io.stderr.write(`patchwarden: ${values.baseline}: ${before - findings.length} of ${before} findings are in the baseline, not shown\n`);
  }
  for (const note of tree.notes) io.stderr.write(`patchwarden: note: ${note}\n`);
  for (const w of series.warnings) io.stderr.write(`patchwarden: ${w.source}:${w.line}: warning: ${w.message}\n`);
  // Over a budget (a line too long to parse, nesting too deep): said, never silent.
  for (const w of analysisWarnings(series)) io.stderr.write(`patchwarden: ${w.source}:${w.line}: warning: ${w.message} (not analysed)\n`);
  const metas = ruleRegistry.map((r) => r.meta);
  const ctx = { codeLine: codeLinesOf(series), docUrl: (rule: string) => docUrlFor(rule, config.app.docBaseUrl) };
  if (format === "json") io.stdout.write(formatJson(findings, ctx));
  else if (format === "sarif") io.stdout.write(formatSarif(findings, { rules: metas, toolVersion: VERSION, docBaseUrl: config.app.docBaseUrl }));
  else {
    io.stdout.write(formatText(findings, { color, rules: metas, inputs: series.commits.length, terse: values.terse ?? false, ...ctx }));
    // The count behind "one lonely CONFIG_KVM_CLOCK against ten CONFIG_XEN*", where a tree was read.
    if (!values.terse && tree.census.length > 0) io.stdout.write(`\n${tree.census.join("\n")}\n`);
    if (values.verbose && !values.terse) io.stdout.write(await (await import("./explain.js")).explanations(findings.map((f) => f.rule)));
  }
  return findings.some((f) => SEVERITY_RANK[f.severity] >= threshold) ? 1 : 0;
}

/**
 * What a long run is doing, on a terminal only: the phases that block (the
 * parse, the rules) are announced before they start, since no timer could
 * fire during them. `null` clears the line.
 */
function phases(io: CliIo): (text: string | null) => void {
  const stderr = io.stderr as NodeJS.WritableStream & { isTTY?: boolean };
  if (!stderr.isTTY) return () => {};
  let shown = false;
  return (text) => {
    if (text === null) {
      if (shown) stderr.write("\r\x1b[K");
      shown = false;
      return;
    }
    stderr.write(`\r${text}\x1b[K`);
    shown = true;
  };
}

/**
 * MAINTAINERS from --maintainers, else from the top of --repo when reading a
 * git range; none otherwise (path conventions stand in).
 */
async function readMaintainers(file: string | undefined, repo: string | undefined, cwd: string): Promise<{ name: string; text: string } | null> {
  if (file !== undefined) {
    try {
      return { name: file, text: await readFile(path.resolve(cwd, file), "utf8") };
    } catch (err) {
      throw new InputError(file, null, `cannot read the MAINTAINERS file: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
    }
  }
  if (repo === undefined) return null;
  const name = path.join(repo, "MAINTAINERS");
  try {
    return { name, text: await readFile(path.resolve(cwd, name), "utf8") };
  } catch {
    return null;
  }
}

