// The GitHub Action's step (action.yml): for projects that cannot host the
// app, check a pull request's commits from the workflow's own checkout and
// leave SARIF for code scanning. Everything comes from the environment the
// runner sets; nothing but git and the CLI itself runs.
import { appendFile, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { Writable } from "node:stream";
import { main, type CliIo } from "./main.js";

interface PullRequestEvent {
  pull_request?: { base?: { sha?: string }; head?: { sha?: string }; number?: number };
}

interface SarifLog {
  runs: { results: { ruleId: string; level: string; message: { text: string }; locations: { physicalLocation: { artifactLocation: { uri: string }; region?: { startLine?: number } } }[] }[] }[];
}

/** Inputs reach a composite action's step as INPUT_* variables, as for any action. */
function input(env: NodeJS.ProcessEnv, name: string, fallback: string): string {
  const v = env[`INPUT_${name.toUpperCase().replace(/-/g, "_")}`]?.trim();
  return v ? v : fallback;
}

function sink(onData: (s: string) => void): Writable {
  return new Writable({
    write(chunk: Buffer | string, _enc, cb) {
      onData(chunk.toString());
      cb();
    },
  });
}

const MAX_SUMMARY_ROWS = 50;

/** Runs the check for the pull request in GITHUB_EVENT_PATH; returns the exit status (the check's, or 2). */
export async function runAction(env: NodeJS.ProcessEnv, stderr: NodeJS.WritableStream): Promise<number> {
  const fail = (message: string) => {
    stderr.write(`::error title=patchwarden::${message}\n`);
    return 2;
  };
  if (!env.GITHUB_EVENT_PATH) return fail("GITHUB_EVENT_PATH is not set: run this as a step of a GitHub Actions workflow");
  let event: PullRequestEvent;
  try {
    event = JSON.parse(await readFile(env.GITHUB_EVENT_PATH, "utf8")) as PullRequestEvent;
  } catch (err) {
    return fail(`cannot read the event payload ${env.GITHUB_EVENT_PATH}: ${(err as Error).message}`);
  }
  const base = event.pull_request?.base?.sha;
  const head = event.pull_request?.head?.sha;
  if (!base || !head) return fail("the event has no pull_request.base.sha and head.sha: run the action on pull_request events");
  const workspace = env.GITHUB_WORKSPACE ?? process.cwd();
  const repo = path.resolve(workspace, input(env, "repo", "."));
  const sarifFile = path.resolve(workspace, input(env, "sarif-file", "patchwarden.sarif"));
  const args = ["check", "--format", "sarif", "--fail-on", input(env, "fail-on", "error"), "--git", `${base}..${head}`, "--repo", repo];
  const config = input(env, "config", "");
  if (config) args.push("--config", config);

  let out = "";
  const io: CliIo = { stdin: process.stdin, stdout: sink((s) => (out += s)), stderr, cwd: workspace, env };
  const status = await main(args, io);
  if (status === 2) return fail(`patchwarden could not check ${base.slice(0, 12)}..${head.slice(0, 12)} (see the log above); is the checkout deep enough (fetch-depth: 0)?`);
  await writeFile(sarifFile, out);
  const results = (JSON.parse(out) as SarifLog).runs[0]?.results ?? [];
  if (env.GITHUB_OUTPUT) await appendFile(env.GITHUB_OUTPUT, `sarif-file=${sarifFile}\nfindings=${results.length}\n`);
  if (env.GITHUB_STEP_SUMMARY) await appendFile(env.GITHUB_STEP_SUMMARY, summary(results, `${base.slice(0, 12)}..${head.slice(0, 12)}`));
  return status;
}

function cell(text: string): string {
  return text.replace(/\|/g, "\\|").replace(/[\r\n]+/g, " ");
}

function summary(results: SarifLog["runs"][number]["results"], range: string): string {
  if (results.length === 0) return `### patchwarden\n\nNo findings in ${range}.\n`;
  const rows = results.slice(0, MAX_SUMMARY_ROWS).map((r) => {
    const loc = r.locations[0]?.physicalLocation;
    const where = loc ? `${loc.artifactLocation.uri}${loc.region?.startLine ? `:${loc.region.startLine}` : ""}` : "";
    return `| ${r.level} | \`${cell(where)}\` | ${cell(r.message.text)} | ${r.ruleId} |`;
  });
  const more = results.length > MAX_SUMMARY_ROWS ? `\n${results.length - MAX_SUMMARY_ROWS} more in the SARIF file.\n` : "";
  return `### patchwarden\n\n${results.length} ${results.length === 1 ? "finding" : "findings"} in ${range}.\n\n| level | where | finding | rule |\n|---|---|---|---|\n${rows.join("\n")}\n${more}`;
}
