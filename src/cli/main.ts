import { readFile } from "node:fs/promises";
import path from "node:path";
import { parseArgs } from "node:util";
import { ruleRegistry } from "../../rules/index.js";
import { ConfigError } from "../config/errors.js";
import { loadConfigFile } from "../config/file.js";
import type { PatchwardenConfig } from "../config/types.js";
import { runRules } from "../engine/run.js";
import { InputError, UsageError } from "../patch/errors.js";
import { readGitRange } from "../patch/git.js";
import { parseSeries, type PatchInput } from "../patch/series.js";
import { analysisWarnings } from "../patch/source-view.js";
import { formatJson } from "./format-json.js";
import { formatSarif } from "./format-sarif.js";
import { formatText } from "./format-text.js";

export interface CliIo {
  stdin: NodeJS.ReadableStream;
  stdout: NodeJS.WritableStream & { isTTY?: boolean };
  stderr: NodeJS.WritableStream;
  cwd: string;
  env: NodeJS.ProcessEnv;
}

export const VERSION = "0.1.0";

const USAGE = `usage: patchwarden check [--format text|json|sarif] [--rule ID]... [--ignore ID]...
                         [--config FILE] [--maintainers FILE] [--topic NAME] [--verbose]
                         (FILE... | - | --git RANGE [--repo DIR])
       patchwarden stats [--format text|json] [--config FILE]
                         (FILE... | --git RANGE [--repo DIR])
       patchwarden sprawl [--repo DIR] [--since DATE] [--format text|json] PATH...
       patchwarden census [--repo DIR] [--rev REV] [--all] [--format text|json] [PATH...]
       patchwarden rules [--format text|json]
       patchwarden --version

Checks a patch series the way a top-level maintainer reads it: hypervisor
special cases in arch and core code, one-hypervisor interfaces, paravirt ops
growth, architecture conditionals in core code.

stats: per rule, how many commits of a history (files, or a git range, each
commit checked on its own) would have got a finding. sprawl: how far the
commits touching each PATH reach outside it, over git history (treewide
commits counted apart). census: the hypervisor conditionals standing in a
tree today, per hypervisor and directory. Each has --help.

Exit status: 0 no error-level findings, 1 some, 2 usage or input error.
Rules and their documentation: patchwarden rules`;

/** Runs the command line; returns the exit status. Never throws for user errors. */
export async function main(argv: string[], io: CliIo): Promise<number> {
  try {
    const [command, ...rest] = argv;
    if (command === undefined || command === "help" || command === "--help" || command === "-h") {
      io.stdout.write(`${USAGE}\n`);
      return command === undefined ? 2 : 0;
    }
    if (command === "--version" || command === "-V") {
      io.stdout.write(`patchwarden ${VERSION}\n`);
      return 0;
    }
    if (command === "rules") return listRules(rest, io);
    if (command === "check") return await check(rest, io);
    // Loaded on demand: `check` should not pay for the history and tree readers.
    if (command === "stats") return await (await import("../stats/command.js")).statsCommand(rest, io);
    if (command === "sprawl") return await (await import("../history/command.js")).sprawlCommand(rest, io);
    if (command === "census") return await (await import("../census/command.js")).censusCommand(rest, io);
    throw new UsageError(`unknown command "${command}"`);
  } catch (err) {
    return reportError(err, io);
  }
}

function reportError(err: unknown, io: CliIo): number {
  if (err instanceof UsageError) {
    io.stderr.write(`patchwarden: ${err.message}\n\n${USAGE}\n`);
    return 2;
  }
  if (err instanceof InputError) {
    io.stderr.write(`patchwarden: ${err.describe()}\n`);
    return 2;
  }
  if (err instanceof ConfigError) {
    io.stderr.write(`patchwarden: ${err.source}: invalid configuration: ${err.message}\n`);
    return 2;
  }
  if (err instanceof Error && "code" in err && typeof err.code === "string" && err.code.startsWith("ERR_PARSE_ARGS")) {
    io.stderr.write(`patchwarden: ${err.message}\n\n${USAGE}\n`);
    return 2;
  }
  throw err;
}

function listRules(argv: string[], io: CliIo): number {
  const { values } = parseArgs({ args: argv, options: { format: { type: "string", default: "text" } }, strict: true });
  const metas = ruleRegistry.map((r) => r.meta);
  if (values.format === "json") {
    io.stdout.write(`${JSON.stringify({ rules: metas }, null, 2)}\n`);
    return 0;
  }
  if (values.format !== "text") throw new UsageError(`--format must be text or json for "rules", not "${values.format}"`);
  const width = Math.max(...metas.map((m) => m.id.length));
  for (const m of metas) io.stdout.write(`${m.id.padEnd(width)}  ${m.defaultSeverity.padEnd(7)}  ${m.description}\n`);
  io.stdout.write(`\nEach rule's page: ${metas[0] ? `rules/<id>.md, e.g. ${metas[0].docPath}` : "rules/<id>.md"}\n`);
  return 0;
}

async function check(argv: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    strict: true,
    options: {
      format: { type: "string", default: "text" },
      rule: { type: "string", multiple: true },
      ignore: { type: "string", multiple: true },
      config: { type: "string" },
      git: { type: "string" },
      repo: { type: "string" },
      maintainers: { type: "string" },
      topic: { type: "string" },
      color: { type: "boolean" },
      "no-color": { type: "boolean" },
      verbose: { type: "boolean", short: "v" },
    },
  });
  const format = values.format!;
  if (!["text", "json", "sarif"].includes(format)) throw new UsageError(`--format must be text, json or sarif, not "${format}"`);
  const known = new Set(ruleRegistry.map((r) => r.meta.id));
  for (const id of [...(values.rule ?? []), ...(values.ignore ?? [])]) {
    if (!known.has(id)) throw new UsageError(`unknown rule "${id}" (see: patchwarden rules)`);
  }
  if (values.git !== undefined && positionals.length > 0) throw new UsageError("give either files or --git RANGE, not both");
  if (values.git === undefined && values.repo !== undefined) throw new UsageError("--repo only goes with --git RANGE");
  if (values.git === undefined && positionals.length === 0) throw new UsageError("nothing to check: give patch files, - for standard input, or --git RANGE");

  const config = { ...(await loadConfigFile(values.config, io.cwd)) };
  if (values.topic !== undefined) config.topic = values.topic;
  const maintainersText = await readMaintainers(values.maintainers, values.git !== undefined ? (values.repo ?? ".") : undefined, io.cwd);
  if (maintainersText) {
    const { loadSubsystemMap } = await import("../maintainers/index.js");
    config.subsystemMap = loadSubsystemMap(maintainersText.text, maintainersText.name);
  }
  const inputs = await readInputs(values.git, values.repo, positionals, io, config);
  const series = parseSeries(inputs, config.limits);
  for (const w of series.warnings) io.stderr.write(`patchwarden: ${w.source}:${w.line}: warning: ${w.message}\n`);
  const findings = runRules(series, config, { only: values.rule ?? [], ignore: values.ignore ?? [] });
  // Over a budget (a line too long to parse, nesting too deep): said, never silent.
  for (const w of analysisWarnings(series)) io.stderr.write(`patchwarden: ${w.source}:${w.line}: warning: ${w.message} (not analysed)\n`);
  const metas = ruleRegistry.map((r) => r.meta);
  if (format === "json") io.stdout.write(formatJson(findings));
  else if (format === "sarif") io.stdout.write(formatSarif(findings, { rules: metas, toolVersion: VERSION }));
  else {
    const color = values["no-color"] ? false : (values.color ?? (Boolean(io.stdout.isTTY) && !io.env.NO_COLOR && io.env.TERM !== "dumb"));
    io.stdout.write(formatText(findings, { color, rules: metas, inputs: series.commits.length }));
    if (values.verbose) io.stdout.write(await (await import("./explain.js")).explanations(findings.map((f) => f.rule)));
  }
  return findings.some((f) => f.severity === "error") ? 1 : 0;
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

async function readInputs(range: string | undefined, repo: string | undefined, files: string[], io: CliIo, config: PatchwardenConfig): Promise<PatchInput[]> {
  if (range !== undefined) return [await readGitRange(range, path.resolve(io.cwd, repo ?? "."), config.limits.maxInputBytes)];
  const inputs: PatchInput[] = [];
  for (const file of files) {
    if (file === "-") {
      inputs.push({ name: "<stdin>", bytes: await readStream(io.stdin, config.limits.maxInputBytes) });
      continue;
    }
    try {
      inputs.push({ name: file, bytes: await readFile(path.resolve(io.cwd, file)) });
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      const why = code === "ENOENT" ? "no such file" : code === "EISDIR" ? "is a directory" : code === "EACCES" ? "permission denied" : (err as Error).message;
      throw new InputError(file, null, why);
    }
  }
  return inputs;
}

async function readStream(stream: NodeJS.ReadableStream, maxBytes: number): Promise<Uint8Array> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stream) {
    const buf = typeof chunk === "string" ? Buffer.from(chunk) : (chunk as Buffer);
    size += buf.length;
    if (size > maxBytes) throw new InputError("<stdin>", null, `input is over the limit of ${maxBytes} bytes`);
    chunks.push(buf);
  }
  return Buffer.concat(chunks);
}
