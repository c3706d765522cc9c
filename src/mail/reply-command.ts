import { writeFile } from "node:fs/promises";
import path from "node:path";
import { parseArgs } from "node:util";
import { docUrlFor } from "../cli/format-json.js";
import type { CliIo } from "../cli/main.js";
import { VERSION } from "../cli/main.js";
import { cliTree } from "../cli/tree-context.js";
import { loadCliConfig } from "../config/file.js";
import { runRules } from "../engine/run.js";
import { UsageError } from "../patch/errors.js";
import { parseSeries } from "../patch/series.js";
import { readInputs } from "../cli/inputs.js";
import { sendmail, writeMaildir } from "./outbox.js";
import { buildReplies, toMbox, worthReplying } from "./reply.js";

export const REPLY_USAGE = `usage: patchwarden reply [--from ADDRESS] [--output FILE | --maildir DIR]
                         [--sendmail CMD] [--all] [--config FILE | --no-config]
                         (FILE... | - | --git RANGE) [--repo DIR]

Writes one reply mail per commit of the series that has a warning or an
error, as kernel reviewers reply on the list: "Re:" the patch's subject,
In-Reply-To and References to its Message-ID, the lines each remark is
about quoted with "> " (cuts marked [ ... ]), each remark under its line
with its severity and rule, plain text wrapped at 78 columns, and a short
footer that says what wrote it and how to disagree. Series-wide remarks go
to the cover letter. Replies to the author, Cc the patch's To and Cc.
Nothing is sent unless --sendmail says how.

options:
  --from ADDRESS    the From: of the replies (default: patchwarden
                    <patchwarden@localhost>)
  --output FILE     write the replies as an mbox (default: standard output)
  --maildir DIR     write them into a maildir (DIR/new), to read and send
                    with your own mail client
  --sendmail CMD    pipe each reply to CMD (split at spaces, no shell), e.g.
                    "msmtp -t" or "sendmail -t"; opt-in, never by default
  --all             also reply to commits with nits (info) only
  --repo DIR        the tree: its config, and the base for the remarks that
                    need it (as for check)

Input as for check. Exit status: 0 written (or nothing to say), 2 usage or
input error, 1 when --sendmail failed for a reply.`;

export async function replyCommand(argv: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    strict: true,
    options: {
      from: { type: "string", default: "patchwarden <patchwarden@localhost>" },
      output: { type: "string", short: "o" },
      maildir: { type: "string" },
      sendmail: { type: "string" },
      all: { type: "boolean" },
      config: { type: "string" },
      "no-config": { type: "boolean" },
      git: { type: "string" },
      repo: { type: "string" },
      help: { type: "boolean", short: "h" },
    },
  });
  if (values.help) {
    io.stdout.write(`${REPLY_USAGE}\n`);
    return 0;
  }
  if (values.output !== undefined && values.maildir !== undefined) throw new UsageError("give --output FILE or --maildir DIR, not both");
  if (values.git !== undefined && positionals.length > 0) throw new UsageError("give either files or --git RANGE, not both");
  if (values.git === undefined && positionals.length === 0) throw new UsageError("nothing to reply to: give patch files, - for standard input, or --git RANGE");
  if (!isAddress(values.from!)) throw new UsageError(`--from must be an address ("Name <user@host>"), not "${values.from}"`);
  const loaded = await loadCliConfig({ file: values.config, noConfig: values["no-config"], treeDir: values.repo ?? ".", cwd: io.cwd });
  const config = loaded.config;
  const inputs = await readInputs(values.git, values.repo, positionals, io, config.limits);
  const series = parseSeries(inputs, config.limits);
  for (const w of series.warnings) io.stderr.write(`patchwarden: ${w.source}:${w.line}: warning: ${w.message}\n`);
  const tree = await cliTree(series, inputs, { git: values.git, repo: values.repo, cwd: io.cwd }, config);
  for (const note of tree.notes) io.stderr.write(`patchwarden: note: ${note}\n`);
  const findings = runRules(series, config, tree.facts ? { tree: tree.facts } : {});
  const replies = buildReplies(series, worthReplying(findings, values.all), { from: values.from!, version: VERSION, docUrl: (rule) => docUrlFor(rule, config.app.docBaseUrl) });
  const unthreaded = replies.filter((r) => !r.headers.some(([k]) => k === "In-Reply-To")).length;
  if (unthreaded > 0) io.stderr.write(`patchwarden: note: ${unthreaded} of the replies have no Message-ID to answer (git input or a bare diff): they are not threaded\n`);
  if (values.maildir !== undefined) await writeMaildir(path.resolve(io.cwd, values.maildir), replies);
  else if (values.output !== undefined) await writeFile(path.resolve(io.cwd, values.output), replies.map(toMbox).join("\n"));
  else if (values.sendmail === undefined) io.stdout.write(replies.map(toMbox).join("\n"));
  let failed = 0;
  if (values.sendmail !== undefined) for (const r of replies) if (!(await sendmail(values.sendmail, r, (line) => io.stderr.write(`patchwarden: ${line}\n`)))) failed++;
  io.stderr.write(`patchwarden: ${replies.length} ${replies.length === 1 ? "reply" : "replies"} for ${series.commits.filter((c) => !c.isCoverLetter).length} commits${values.sendmail !== undefined ? `, ${replies.length - failed} sent` : ""}\n`);
  return failed > 0 ? 1 : 0;
}

/** `Name <user@host>` or `user@host`, on one line: what a From: header can carry. */
function isAddress(text: string): boolean {
  if (/[\r\n]/.test(text)) return false;
  const open = text.lastIndexOf("<");
  const addr = open === -1 ? text.trim() : text.trimEnd().endsWith(">") ? text.slice(open + 1, text.trimEnd().length - 1) : "";
  const at = addr.indexOf("@");
  return at > 0 && at < addr.length - 1 && !/[\s<>]/.test(addr);
}

