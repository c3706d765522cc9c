import { loadCliConfig } from "../config/file.js";
import { parseCommandArgs } from "../history/args.js";
import { UsageError } from "../patch/errors.js";
import { CommandUsageError, inCommand, reportError } from "./report-error.js";
import { RULES_USAGE, rulesCommand } from "./rules-command.js";

export interface CliIo {
  stdin: NodeJS.ReadableStream;
  stdout: NodeJS.WritableStream & { isTTY?: boolean };
  stderr: NodeJS.WritableStream;
  cwd: string;
  env: NodeJS.ProcessEnv;
}

export const VERSION = "0.1.0";

const USAGE = `usage: patchwarden check [options] (FILE... | - | --git RANGE) [--repo DIR]
       patchwarden b4-check [--config FILE | --no-config] < MAIL
       patchwarden reply [options] (FILE... | - | --git RANGE) [--repo DIR]
       patchwarden watch --inbox DIR [options]
       patchwarden stats [options] (FILE... | --git RANGE [--repo DIR])
       patchwarden sprawl [options] PATH...
       patchwarden census [options] [PATH...]
       patchwarden rules [ID] [--format text|json]
       patchwarden config [--print] [--config FILE | --no-config] [--repo DIR]
       patchwarden help [COMMAND] | help --man | completion bash|zsh | --version

Checks a patch series the way a top-level maintainer reads it: hypervisor
special cases in arch and core code, one-hypervisor interfaces, paravirt ops
growth, architecture conditionals in core code.

check: the findings on a series (patch files, an mbox, a git range).
stats: per rule, how many commits of a history (files, or a git range, each
commit checked on its own) would have got a finding. sprawl: how far the
commits touching each PATH reach outside it, over git history (treewide
commits counted apart). census: the hypervisor conditionals standing in a
tree today, per hypervisor and directory. rules: the rules, or one rule's
page. config: the configuration a run would use, and where it came from.
b4-check: a check command for b4 review (one mail on standard input, b4's
JSON results out). reply: the findings as reply mails to the list, one per
commit, threaded under each patch. watch: follows a public-inbox archive
and reviews each series once it is complete, replies into an outbox.

Each command has --help (or: patchwarden help COMMAND).
Exit status: 0 no finding at or above --fail-on (default: error), 1 some,
2 usage, input or configuration error.`;

export const CHECK_USAGE = `usage: patchwarden check [options] (FILE... | - | --git RANGE) [--repo DIR]

Checks a patch series: git format-patch files (read together as one
series), an mbox, - for standard input, a unified diff, or --git RANGE of a
local repository (A..B, or one revision for that commit; merges are named
and skipped, never replaced by another commit).

With --git, or --repo DIR for patch files, the series is also read against
its base tree (objects only: nothing is checked out or run): the start of
the range, or the base-commit: line of the files, or HEAD when their index
lines match it. Then hv-only-interface counts users in the whole tree after the
series, and the output ends with the census of the touched areas. Without
a base tree the output says which check did without it.

options:
  --format text|json|sarif  output format (default text)
  --rule ID[,ID...]         only these rules, or finer ids such as
                            commit-reference/subject-length (repeatable)
  --ignore ID[,ID...]       leave out these rules or finer ids (repeatable)
  --fail-on LEVEL           exit 1 when a finding of LEVEL or worse remains:
                            error (default), warning, info, or never
  --config FILE             the configuration to use
  --no-config               use the defaults, not the tree's own
                            .github/patchwarden.yml
  --maintainers FILE        the tree's MAINTAINERS (default: MAINTAINERS at
                            the top of --repo)
  --topic NAME              the subsystem the series is about
  --terse                   one line per finding, nothing else
  --write-baseline FILE     record today's findings (by fingerprint) in FILE
  --baseline FILE           report only findings not in FILE: how a tree
                            adopts the checker without fixing its history
  --color[=WHEN]            always, never or auto (default auto: on a
                            terminal, unless NO_COLOR is set); --no-color
  -v, --verbose             add each fired rule's reasoning from its page
  -h, --help                this text

Without --config, the tree's .github/patchwarden.yml is read, as the GitHub
App reads it: at the top of --repo, else of the repository the command
runs in. Rules and their pages: patchwarden rules [ID].
Exit status: 0 nothing at or above --fail-on, 1 something, 2 usage, input
or configuration error.`;

const CONFIG_USAGE = `usage: patchwarden config [--print] [--format yaml|json] [--config FILE | --no-config] [--repo DIR]

Shows the configuration "check" would use in this tree: which file (the
tree's .github/patchwarden.yml, or --config FILE) over which preset, then,
with --print, every effective value, each top-level key marked with where it
came from (a preset, or the file).`;

async function helpFor(command: string | undefined): Promise<string | null> {
  switch (command) {
    case undefined:
      return USAGE;
    case "check":
      return CHECK_USAGE;
    case "rules":
      return RULES_USAGE;
    case "config":
      return CONFIG_USAGE;
    case "stats":
      return (await import("../stats/command.js")).STATS_USAGE;
    case "sprawl":
      return (await import("../history/command.js")).SPRAWL_USAGE;
    case "census":
      return (await import("../census/command.js")).CENSUS_USAGE;
    case "b4-check":
      return (await import("../mail/b4-command.js")).B4_CHECK_USAGE;
    case "reply":
      return (await import("../mail/reply-command.js")).REPLY_USAGE;
    case "watch":
      return (await import("../watch/command.js")).WATCH_USAGE;
    default:
      return null;
  }
}

const COMMANDS = ["check", "b4-check", "reply", "watch", "stats", "sprawl", "census", "rules", "config"] as const;

/** `help --man` (the man page) and `completion bash|zsh`, from the same usage texts as --help. */
async function generated(command: string, rest: string[], io: CliIo): Promise<number> {
  const out = await import("./docs-out.js");
  const commands = await Promise.all(COMMANDS.map(async (name) => ({ name, usage: (await helpFor(name))! })));
  if (command === "help") {
    io.stdout.write(out.manPage(USAGE, commands, VERSION, "2026-12-01"));
    return 0;
  }
  const shell = rest[0];
  if (shell === "bash") io.stdout.write(out.bashCompletion(commands));
  else if (shell === "zsh") io.stdout.write(out.zshCompletion(commands));
  else throw new CommandUsageError(`completion takes bash or zsh, not ${shell === undefined ? "nothing" : `"${shell}"`}`, null);
  return 0;
}

/** Runs the command line; returns the exit status. Never throws for user errors. */
export async function main(argv: string[], io: CliIo): Promise<number> {
  const [command, ...rest] = argv;
  try {
    if (command === undefined || command === "--help" || command === "-h") {
      io.stdout.write(`${USAGE}\n`);
      return command === undefined ? 2 : 0;
    }
    if (command === "completion" || (command === "help" && rest[0] === "--man")) return await generated(command, rest, io);
    if (command === "help") {
      const text = await helpFor(rest[0]);
      if (text === null) throw new CommandUsageError(`no command "${rest[0]}"`, null);
      io.stdout.write(`${text}\n`);
      return 0;
    }
    if (command === "--version" || command === "-V") {
      io.stdout.write(`patchwarden ${VERSION}\n`);
      return 0;
    }
    try {
      if (command === "rules") return await rulesCommand(rest, io);
      // Loaded on demand like the others: `rules`, `config` and `help` pay for none of the check path.
      if (command === "check") return await (await import("./check-command.js")).checkCommand(rest, io);
      if (command === "config") return await configCommand(rest, io);
      // Loaded on demand: `check` should not pay for the history and tree readers.
      if (command === "stats") return await (await import("../stats/command.js")).statsCommand(rest, io);
      if (command === "sprawl") return await (await import("../history/command.js")).sprawlCommand(rest, io);
      if (command === "census") return await (await import("../census/command.js")).censusCommand(rest, io);
      if (command === "b4-check") return await (await import("../mail/b4-command.js")).b4CheckCommand(rest, io);
      if (command === "reply") return await (await import("../mail/reply-command.js")).replyCommand(rest, io);
      if (command === "watch") return await (await import("../watch/command.js")).watchCommand(rest, io);
    } catch (err) {
      throw inCommand(err, command);
    }
    throw new CommandUsageError(`unknown command "${command}"`, null);
  } catch (err) {
    return reportError(err, io);
  }
}

async function configCommand(argv: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommandArgs({
    args: argv,
    allowPositionals: false,
    strict: true,
    options: {
      print: { type: "boolean" },
      format: { type: "string", default: "yaml" },
      config: { type: "string" },
      "no-config": { type: "boolean" },
      repo: { type: "string" },
      help: { type: "boolean", short: "h" },
    },
  });
  void positionals;
  if (values.help) {
    io.stdout.write(`${CONFIG_USAGE}\n`);
    return 0;
  }
  if (values.format !== "yaml" && values.format !== "json") throw new UsageError(`--format must be yaml or json for "config", not "${values.format}"`);
  if (values.config !== undefined && values["no-config"]) throw new UsageError("give --config FILE or --no-config, not both");
  const loaded = await loadCliConfig({ file: values.config, noConfig: values["no-config"], treeDir: values.repo ?? ".", cwd: io.cwd });
  const { describeConfig } = await import("../config/describe.js");
  io.stdout.write(await describeConfig(loaded, { print: values.print ?? false, format: values.format }));
  return 0;
}

