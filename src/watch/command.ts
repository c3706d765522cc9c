import { readFile } from "node:fs/promises";
import path from "node:path";
import { parseArgs } from "node:util";
import { docUrlFor } from "../cli/format-json.js";
import type { CliIo } from "../cli/main.js";
import { VERSION } from "../cli/main.js";
import { loadCliConfig } from "../config/file.js";
import type { PatchwardenConfig } from "../config/types.js";
import { runRules } from "../engine/run.js";
import { sendmail, writeMaildir } from "../mail/outbox.js";
import { buildReplies, worthReplying, type ReplyMail } from "../mail/reply.js";
import { InputError, OnlyContextError, UsageError } from "../patch/errors.js";
import { parseSeries } from "../patch/series.js";
import { epochsOf, messagesOf, newCommits, type Epoch } from "./inbox.js";
import { addMail, isComplete, supersededBy, type ArchivedMail, type PendingSeries } from "./series-group.js";
import { loadState, saveState } from "./state.js";

export const WATCH_USAGE = `usage: patchwarden watch --inbox DIR [--state FILE] [--outbox DIR]
                         [--wait HOURS] [--interval SECONDS | --once] [--last N]
                         [--from ADDRESS] [--sendmail CMD] [--maintainers FILE]
                         [--config FILE | --no-config]

Follows a public-inbox archive (v2: DIR/git/N.git) from where it stopped,
groups its mails into series ([PATCH vN m/n] threaded under the cover letter
or patch 1; a newer version of the same series supersedes a waiting older
one), reviews each series once it is complete (or once nothing new came for
--wait hours of the archive's own time), and writes the replies, as reply
would, into the outbox maildir. Muted by default: nothing is sent unless
--sendmail CMD is given. A mail that cannot be read is named and skipped.
Where it stopped is kept in --state (written atomically): a restart reads no
mail twice and replies to no series twice.

options:
  --inbox DIR       the public-inbox v2 directory
  --state FILE      where the watch stopped (default: DIR/patchwarden-watch.json)
  --outbox DIR      the maildir the replies go to (default: DIR/patchwarden-outbox)
  --wait HOURS      review a series still incomplete after this long (default 24)
  --once            read what is new, review, and exit (default: every --interval)
  --last N          on the first run (no state yet), start N mails before the
                    end of the archive instead of at its beginning
  --interval S      seconds between reads when not --once (default 60)
  --from ADDRESS    the From: of the replies
  --sendmail CMD    also pipe each reply to CMD (no shell)
  --maintainers FILE  the tree's MAINTAINERS: which subsystem a series belongs
                    to (without it, path conventions guess, and sprawl stays a note)`;

const CHUNK = 500;

interface Pass {
  mails: number;
  skipped: number;
  series: number;
  replies: number;
  superseded: number;
}

export async function watchCommand(argv: string[], io: CliIo): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    options: {
      inbox: { type: "string" },
      state: { type: "string" },
      outbox: { type: "string" },
      wait: { type: "string", default: "24" },
      once: { type: "boolean" },
      interval: { type: "string", default: "60" },
      last: { type: "string" },
      from: { type: "string", default: "patchwarden <patchwarden@localhost>" },
      sendmail: { type: "string" },
      maintainers: { type: "string" },
      config: { type: "string" },
      "no-config": { type: "boolean" },
      help: { type: "boolean", short: "h" },
    },
  });
  if (values.help) {
    io.stdout.write(`${WATCH_USAGE}\n`);
    return 0;
  }
  if (!values.inbox) throw new UsageError("watch needs --inbox DIR (a public-inbox v2 archive)");
  const inbox = path.resolve(io.cwd, values.inbox);
  const waitHours = Number(values.wait);
  const interval = Number(values.interval);
  if (!Number.isFinite(waitHours) || waitHours < 0) throw new UsageError(`--wait takes hours, not "${values.wait}"`);
  if (!Number.isFinite(interval) || interval < 1) throw new UsageError(`--interval takes seconds (at least 1), not "${values.interval}"`);
  const last = values.last === undefined ? null : Number(values.last);
  if (last !== null && (!Number.isInteger(last) || last < 1)) throw new UsageError(`--last takes a number of mails, not "${values.last}"`);
  const epochs = await epochsOf(inbox);
  if (epochs.length === 0) throw new UsageError(`${values.inbox} is not a public-inbox v2 archive (no git/N.git epochs)`);
  const config = { ...(await loadCliConfig({ file: values.config, noConfig: values["no-config"], cwd: io.cwd })).config };
  if (values.maintainers !== undefined) {
    const file = path.resolve(io.cwd, values.maintainers);
    let text: string;
    try {
      text = await readFile(file, "utf8");
    } catch (err) {
      throw new UsageError(`--maintainers ${values.maintainers}: cannot read it (${(err as NodeJS.ErrnoException).code ?? "error"})`);
    }
    const { loadSubsystemMap } = await import("../maintainers/index.js");
    config.subsystemMap = loadSubsystemMap(text, values.maintainers);
  }
  const stateFile = path.resolve(io.cwd, values.state ?? path.join(inbox, "patchwarden-watch.json"));
  const outbox = path.resolve(io.cwd, values.outbox ?? path.join(inbox, "patchwarden-outbox"));
  const options = { inbox, stateFile, outbox, waitSeconds: waitHours * 3600, from: values.from!, sendmail: values.sendmail, config, last };
  for (;;) {
    const pass = await watchOnce(options, io);
    io.stderr.write(`patchwarden watch: ${pass.mails} new mails (${pass.skipped} skipped), ${pass.series} series reviewed, ${pass.replies} replies, ${pass.superseded} superseded\n`);
    if (values.once) return 0;
    await new Promise((r) => setTimeout(r, interval * 1000));
  }
}

interface WatchOptions {
  inbox: string;
  stateFile: string;
  outbox: string;
  waitSeconds: number;
  from: string;
  sendmail: string | undefined;
  config: PatchwardenConfig;
  /** On a first run, how many mails before the end to start. */
  last?: number | null;
}

export async function watchOnce(options: WatchOptions, io: CliIo): Promise<Pass> {
  const state = await loadState(options.stateFile);
  const pending = new Map(state.pending.map((s) => [s.key, s]));
  const reviewed = new Set(state.reviewed);
  const pass: Pass = { mails: 0, skipped: 0, series: 0, replies: 0, superseded: 0 };
  const epochs = await epochsOf(options.inbox);
  const review = async (series: PendingSeries, complete: boolean) => {
    pending.delete(series.key);
    reviewed.add(series.key);
    state.reviewed.push(series.key);
    const replies = await reviewSeries(series, complete, epochs, options, io);
    pass.series++;
    pass.replies += replies;
  };
  const firstRun = Object.keys(state.epochs).length === 0;
  const lists = await Promise.all(epochs.map((e) => newCommits(e, state.epochs[String(e.number)] ?? null)));
  if (firstRun && options.last) {
    // Start N mails before the end: drop the oldest, epoch by epoch.
    let drop = lists.reduce((n, l) => n + l.length, 0) - options.last;
    for (let i = 0; i < lists.length && drop > 0; i++) {
      const cut = Math.min(drop, lists[i]!.length);
      lists[i] = lists[i]!.slice(cut);
      drop -= cut;
    }
  }
  for (const [e, epoch] of epochs.entries()) {
    const commits = lists[e]!;
    for (let at = 0; at < commits.length; at += CHUNK) {
      const chunk = commits.slice(at, at + CHUNK);
      const bodies = await messagesOf(epoch, chunk);
      for (let k = 0; k < chunk.length; k++) {
        const body = bodies[k];
        if (!body) continue;
        pass.mails++;
        const mail = readMail(`${epoch.number}:${chunk[k]}`, body, io);
        if (mail === "unreadable") pass.skipped++;
        if (mail === "unreadable" || mail === "context") continue;
        if (mail.date !== null && (state.archiveTime === null || mail.date > state.archiveTime)) state.archiveTime = mail.date;
        const series = addMail(pending, mail);
        if (!series) continue;
        // A late copy of a patch of a series already answered changes nothing.
        if (reviewed.has(series.key)) {
          pending.delete(series.key);
          continue;
        }
        if (isComplete(series)) {
          for (const old of supersededBy(pending, series)) {
            pending.delete(old.key);
            reviewed.add(old.key);
            state.reviewed.push(old.key);
            pass.superseded++;
          }
          await review(series, true);
        }
      }
      state.epochs[String(epoch.number)] = chunk.at(-1)!;
      state.pending = [...pending.values()];
      await saveState(options.stateFile, state);
    }
  }
  // A series that stopped growing is reviewed as it is, on the archive's clock.
  for (const series of [...pending.values()]) {
    if (state.archiveTime !== null && series.lastDate !== null && state.archiveTime - series.lastDate >= options.waitSeconds && Object.keys(series.patches).length > 0) {
      await review(series, false);
    }
  }
  state.pending = [...pending.values()];
  await saveState(options.stateFile, state);
  return pass;
}

/** The headers the grouping needs; "context" for a mail that is no patch (a reply, a report), "unreadable" (named on stderr) for one that cannot be read. */
function readMail(ref: string, body: Buffer, io: CliIo): ArchivedMail | "context" | "unreadable" {
  try {
    const series = parseSeries([{ name: ref, bytes: body }]);
    const commit = series.commits[0];
    if (!commit?.mail?.messageId) return "context";
    const date = commit.date ? Date.parse(commit.date) : NaN;
    return {
      ref,
      messageId: commit.mail.messageId,
      references: commit.mail.references,
      rawSubject: commit.rawSubject,
      author: commit.author?.email.toLowerCase() ?? "",
      date: Number.isFinite(date) ? Math.floor(date / 1000) : null,
    };
  } catch (err) {
    if (err instanceof OnlyContextError) return "context";
    if (err instanceof InputError) {
      io.stderr.write(`patchwarden watch: ${err.describe()}: skipped\n`);
      return "unreadable";
    }
    throw err;
  }
}

async function reviewSeries(series: PendingSeries, complete: boolean, epochs: Epoch[], options: WatchOptions, io: CliIo): Promise<number> {
  const mails = [series.cover, ...Object.keys(series.patches).map(Number).sort((a, b) => a - b).map((k) => series.patches[k]!)].filter((m): m is ArchivedMail => m !== null);
  const inputs: { name: string; bytes: Buffer }[] = [];
  for (const m of mails) {
    const [n, commit] = m.ref.split(":");
    const epoch = epochs.find((e) => String(e.number) === n);
    const [body] = epoch ? await messagesOf(epoch, [commit!]) : [null];
    if (body) inputs.push({ name: m.ref, bytes: body });
  }
  let replies: ReplyMail[];
  try {
    const parsed = parseSeries(inputs, options.config.limits);
    const findings = runRules(parsed, options.config);
    replies = buildReplies(parsed, worthReplying(findings), { from: options.from, version: VERSION, docUrl: (rule) => docUrlFor(rule, options.config.app.docBaseUrl) });
  } catch (err) {
    if (!(err instanceof InputError)) throw err;
    io.stderr.write(`patchwarden watch: series "${series.subject ?? series.key}": ${err.describe()}: not reviewed\n`);
    return 0;
  }
  if (!complete) io.stderr.write(`patchwarden watch: series "${series.subject}" v${series.version} reviewed incomplete (${Object.keys(series.patches).length} of ${series.total} patches after the wait)\n`);
  await writeMaildir(options.outbox, replies);
  if (options.sendmail) for (const r of replies) await sendmail(options.sendmail, r, (line) => io.stderr.write(`patchwarden watch: ${line}\n`));
  return replies.length;
}
