import { readFile } from "node:fs/promises";
import path from "node:path";
import { parseArgs } from "node:util";
import { ruleRegistry } from "../../rules/index.js";
import { codeLinesOf, docUrlFor } from "../cli/format-json.js";
import { readStream } from "../cli/inputs.js";
import type { CliIo } from "../cli/main.js";
import { loadCliConfig } from "../config/file.js";
import type { PatchwardenConfig } from "../config/types.js";
import { runRules } from "../engine/run.js";
import type { Finding } from "../findings/types.js";
import { OnlyContextError, UsageError } from "../patch/errors.js";
import { readGitRange } from "../patch/git.js";
import { parseSeries } from "../patch/series.js";
import type { Series } from "../patch/types.js";
import { baseOfPatches } from "../tree/base.js";
import { gatherTreeFacts, type TreeBase } from "../tree/gather.js";
import { gitBounded } from "../tree/git-bounded.js";
import type { TreeFacts } from "../tree/types.js";
import { b4Results, commitForMessage, readTracking, type B4Tracking } from "./b4-check.js";

export const B4_CHECK_USAGE = `usage: patchwarden b4-check [--config FILE | --no-config]

A check command for b4 review: reads one patch mail (or a cover letter) on
standard input, as b4 hands it, and prints b4's JSON array of results: one
result (fail for an error, warn for a warning, pass for notes only) with
every finding in its details, or [] when there is nothing to say. Run in
the repository b4 runs it in (the top of the tree): its config is read,
and when b4 gives the series' tracking data (B4_TRACKING_FILE) with its
review branch, the whole series is checked against its base tree and the
findings of this message reported. Wire it in with:

  git config b4.review-perpatch-check-cmd "patchwarden b4-check"
  git config b4.review-series-check-cmd "patchwarden b4-check"

Exit status: 0 with the JSON printed; 2 when the message cannot be read
(stderr says why, which b4 shows as the failure).`;

const SERIES_NOTE = "the series was not seen (b4 gave no tracking data with a review branch): series-wide checks (sprawl, a series' topic) judged this message alone";

export async function b4CheckCommand(argv: string[], io: CliIo): Promise<number> {
  const { values } = parseArgs({ args: argv, strict: true, allowPositionals: false, options: { config: { type: "string" }, "no-config": { type: "boolean" }, help: { type: "boolean", short: "h" } } });
  if (values.help) {
    io.stdout.write(`${B4_CHECK_USAGE}\n`);
    return 0;
  }
  if (values.config !== undefined && values["no-config"]) throw new UsageError("give --config FILE or --no-config, not both");
  const loaded = await loadCliConfig({ file: values.config, noConfig: values["no-config"], treeDir: ".", cwd: io.cwd });
  const config = loaded.config;
  const bytes = Buffer.from(await readStream(io.stdin, config.limits.maxInputBytes));
  let message: Series;
  try {
    message = parseSeries([{ name: "<stdin>", bytes }], config.limits);
  } catch (err) {
    // A reply or a report without a diff is context: nothing to say about it.
    if (err instanceof OnlyContextError) {
      io.stdout.write("[]\n");
      return 0;
    }
    throw err;
  }
  // b4 hands one message per run; several would be a series b4 did not mean.
  if (message.commits.length > 1) throw new UsageError(`b4-check reads one message on standard input, not ${message.commits.length}: use "patchwarden check" for a series`);
  const mail = message.commits[0];
  // A reply or a report without a diff is context: nothing to say about it.
  if (!mail) {
    io.stdout.write("[]\n");
    return 0;
  }
  const tracking = await trackingOf(io.env?.B4_TRACKING_FILE ?? process.env.B4_TRACKING_FILE);
  const whole = tracking ? await reviewBranchSeries(io.cwd, tracking, config) : null;
  const notes: string[] = [];
  let series: Series;
  let pick: (f: Finding) => boolean;
  let tree: TreeFacts | null = null;
  const index = whole ? commitForMessage(whole.series, mail) : null;
  if (whole && (mail.isCoverLetter || index !== null)) {
    series = whole.series;
    tree = await gatherTreeFacts(series, whole.base, config);
    const seriesWide = new Set(ruleRegistry.filter((r) => r.meta.scope === "series").map((r) => r.meta.id));
    pick = mail.isCoverLetter ? (f) => seriesWide.has(f.rule) : (f) => f.commitIndex === index && !seriesWide.has(f.rule);
  } else {
    series = message;
    pick = () => true;
    if (!mail.isCoverLetter) notes.push(SERIES_NOTE);
    const found = (await isGitRepo(io.cwd)) ? await baseOfPatches(io.cwd, [{ name: "<stdin>", bytes }]) : null;
    if (found?.base) tree = await gatherTreeFacts(series, found.base, config);
    else notes.push(`no base tree (${found ? found.why : "not run inside a git repository"}): hv-only-interface saw only this message's own users of what it adds`);
  }
  if (tree) notes.push(...tree.notes);
  const findings = runRules(series, config, tree ? { tree } : {}).filter(pick);
  const results = b4Results({ findings, commit: mail.isCoverLetter ? null : mail, notes, docUrl: (rule) => docUrlFor(rule, config.app.docBaseUrl), codeLine: codeLinesOf(series) });
  io.stdout.write(`${JSON.stringify(results)}\n`);
  return 0;
}

async function trackingOf(file: string | undefined): Promise<B4Tracking | null> {
  if (!file) return null;
  try {
    const text = await readFile(file, "utf8");
    // A tracking file is a few KB; a huge one is not b4's.
    return text.length > 16 << 20 ? null : readTracking(text);
  } catch {
    return null;
  }
}

async function isGitRepo(dir: string): Promise<boolean> {
  const r = await gitBounded(dir, ["rev-parse", "--git-dir"], { deadline: Date.now() + 5000, maxLines: 2 });
  return r.failed === null && r.stopped === null && r.lines.length > 0;
}

/**
 * The series as b4 applied it: its review branch holds the patches on top
 * of their base, then one tracking commit (b4: first-patch-commit~1..branch~1).
 */
async function reviewBranchSeries(repo: string, tracking: B4Tracking, config: PatchwardenConfig): Promise<{ series: Series; base: TreeBase } | null> {
  if (!tracking.changeId || !tracking.firstPatchCommit) return null;
  const branch = `refs/heads/b4/review/${tracking.changeId}`;
  const exists = await gitBounded(repo, ["rev-parse", "--verify", "--quiet", `${branch}^{commit}`], { deadline: Date.now() + 5000, maxLines: 2 });
  const parent = await gitBounded(repo, ["rev-parse", "--verify", "--quiet", `${tracking.firstPatchCommit}~1^{commit}`], { deadline: Date.now() + 5000, maxLines: 2 });
  const base = parent.lines[0]?.trim();
  if (exists.failed || !exists.lines[0] || !base) return null;
  try {
    const input = await readGitRange(`${base}..${branch}~1`, path.resolve(repo), config.limits.maxInputBytes);
    return { series: parseSeries([input], config.limits), base: { repo, commit: base, from: "the base of b4's review branch" } };
  } catch {
    return null;
  }
}
