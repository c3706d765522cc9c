// `patchwarden rules [ID]`: the rules from their metadata, or one rule's
// page. The bundle builds this module a second time as an entry of its own
// (dist/cli/patchwarden-rules.mjs, scripts/bundle-cli.ts), which
// bin/patchwarden.js runs for `rules` instead of the main bundle: listing
// the rules then costs little more than Node's own start. Keep what this
// module imports small, and give it no work at import.
import { unknownIdMessage } from "../config/nearest.js";
import { knownRuleIds } from "../config/rule-ids.js";
import { parseCommandArgs } from "../history/args.js";
import { InputError, UsageError } from "../patch/errors.js";
import { docUrlFor } from "./doc-url.js";
import type { CliIo } from "./main.js";
import { inCommand, reportError } from "./report-error.js";
import { ruleMetas } from "./rule-metas.js";

export const RULES_USAGE = `usage: patchwarden rules [ID] [--format text|json]

Without ID: every rule with its default severity, one line, and its finer
ids. With ID (a rule id, or a finer id such as commit-reference/subject-length):
that rule's doc page.`;

export async function rulesCommand(argv: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommandArgs({
    args: argv,
    allowPositionals: true,
    strict: true,
    options: { format: { type: "string", default: "text" }, help: { type: "boolean", short: "h" } },
  });
  if (values.help) {
    io.stdout.write(`${RULES_USAGE}\n`);
    return 0;
  }
  const metas = await ruleMetas();
  if (values.format !== "text" && values.format !== "json") throw new UsageError(`--format must be text or json for "rules", not "${values.format}"`);
  if (positionals.length > 1) throw new UsageError("rules takes at most one rule id");
  if (positionals.length === 1) {
    const id = positionals[0]!;
    const known = knownRuleIds(metas);
    if (!known.includes(id)) throw new UsageError(`${unknownIdMessage("rule", id, known)} (see: patchwarden rules)`);
    const meta = metas.find((m) => m.id === id.split("/")[0])!;
    const page = await (await import("./explain.js")).rulePage(meta.id);
    if (values.format === "json") {
      io.stdout.write(`${JSON.stringify({ rule: meta, doc: docUrlFor(meta.id), page }, null, 2)}\n`);
      return 0;
    }
    if (page === null) throw new InputError(meta.docPath, null, "the rule's page is not installed with this copy of patchwarden");
    io.stdout.write(page.endsWith("\n") ? page : `${page}\n`);
    return 0;
  }
  if (values.format === "json") {
    io.stdout.write(`${JSON.stringify({ rules: metas }, null, 2)}\n`);
    return 0;
  }
  const width = Math.max(...metas.map((m) => m.id.length));
  let text = "";
  for (const m of metas) {
    text += `${m.id.padEnd(width)}  ${m.defaultSeverity.padEnd(7)}  ${m.description}\n`;
    if (m.checks?.length) text += `${"".padEnd(width)}  ${"".padEnd(7)}  finer ids: ${m.checks.map((c) => `${m.id}/${c}`).join(", ")}\n`;
  }
  // One write, not one per line: each is a system call on a pipe or a file.
  io.stdout.write(`${text}\nA rule's page: patchwarden rules ID (also ${docUrlFor("ID")})\n`);
  return 0;
}

/** `patchwarden rules ARGS...` as main() runs it (the same output, errors and exit status), for the entry of its own. */
export async function rulesMain(argv: string[], io: CliIo): Promise<number> {
  try {
    return await rulesCommand(argv, io);
  } catch (err) {
    return reportError(inCommand(err, "rules"), io);
  }
}
