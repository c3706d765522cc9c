import type { Finding } from "../findings/types.js";
import { displayPath, type Commit, type FileChange, type Hunk, type Series } from "../patch/types.js";

// A reply on the list, the way kernel reviewers write one: threaded under the
// patch, the lines it is about quoted with "> " and cuts marked "[ ... ]",
// each remark under the line it concerns, plain text wrapped at 78 columns.
// It states what the bot saw and why a maintainer cares; it never acks or
// nacks, and never asks for credit. Pure: the command adds the I/O.

export interface ReplyOptions {
  /** `Name <address>` the replies are from. */
  from: string;
  version: string;
  docUrl: (rule: string) => string;
}

export interface ReplyMail {
  /** Index of the commit replied to (the cover letter's for series-wide findings, when there is one). */
  commitIndex: number;
  headers: [string, string][];
  body: string;
}

const WIDTH = 78;
/** Lines of context kept above a remarked line; further up is cut with "[ ... ]". */
const CONTEXT_ABOVE = 3;

const LABEL: Record<Finding["severity"], string> = { error: "error", warning: "warning", info: "nit" };

/** The findings of the commits worth a reply: those with a warning or an error (`withNits`: any finding). */
export function worthReplying(findings: Finding[], withNits = false): Finding[] {
  const worthy = new Set(findings.filter((f) => withNits || f.severity !== "info").map((f) => f.commitIndex));
  return findings.filter((f) => worthy.has(f.commitIndex));
}

export function buildReplies(series: Series, findings: Finding[], options: ReplyOptions): ReplyMail[] {
  const cover = series.commits.findIndex((c) => c.isCoverLetter);
  const byCommit = new Map<number, Finding[]>();
  for (const f of findings) {
    const target = series.commits[f.commitIndex]?.isCoverLetter || f.commitIndex < 0 ? (cover >= 0 ? cover : 0) : f.commitIndex;
    byCommit.set(target, [...(byCommit.get(target) ?? []), f]);
  }
  const out: ReplyMail[] = [];
  for (const [index, list] of [...byCommit].sort((a, b) => a[0] - b[0])) {
    const commit = series.commits[index];
    if (!commit) continue;
    out.push({ commitIndex: index, headers: headersFor(commit, options), body: bodyFor(series, commit, index, list, options) });
  }
  return out;
}

function headersFor(commit: Commit, options: ReplyOptions): [string, string][] {
  const mail = commit.mail;
  const subject = commit.rawSubject.replace(/\s+/g, " ").trim();
  const headers: [string, string][] = [["From", options.from]];
  const author = mail?.from ?? (commit.author ? `${commit.author.name} <${commit.author.email}>` : null);
  if (author) headers.push(["To", author]);
  const cc = [...(mail?.to ?? []), ...(mail?.cc ?? [])];
  if (cc.length > 0) headers.push(["Cc", cc.join(", ")]);
  headers.push(["Subject", /^re:/i.test(subject) ? subject : `Re: ${subject}`]);
  if (mail?.messageId) {
    headers.push(["In-Reply-To", `<${mail.messageId}>`]);
    headers.push(["References", [...mail.references, mail.messageId].map((id) => `<${id}>`).join(" ")]);
  }
  headers.push(["MIME-Version", "1.0"], ["Content-Type", "text/plain; charset=utf-8"], ["Content-Transfer-Encoding", "8bit"]);
  return headers;
}

function bodyFor(series: Series, commit: Commit, index: number, findings: Finding[], options: ReplyOptions): string {
  const out: string[] = [];
  const who = commit.author?.name ?? commit.mail?.from ?? "the author";
  out.push(commit.date ? `On ${commit.date}, ${who} wrote:` : `${who} wrote:`);
  // Remarks on the message first, under the quoted changelog, as a reviewer reads it.
  const onMessage = findings.filter((f) => f.file === null || f.line === null);
  if (onMessage.length > 0) {
    out.push(...quoteMessage(commit), "");
    for (const f of onMessage) out.push(...remark(f, options), "");
  }
  const onCode = findings.filter((f) => f.file !== null && f.line !== null).sort((a, b) => (a.file! < b.file! ? -1 : a.file! > b.file! ? 1 : a.line! - b.line!));
  let lastFile: string | null = null;
  let lastHunk: Hunk | null = null;
  let lastQuoted = 0;
  for (const f of onCode) {
    const file = series.files.find((x) => x.commitIndex === f.commitIndex && displayPath(x) === f.file);
    const hunk = file?.hunks.find((h) => h.lines.some((l) => l.newLine === f.line && l.kind !== "removed"));
    if (!file || !hunk) {
      out.push(`> ${f.file}:${f.line}`, "", ...remark(f, options), "");
      continue;
    }
    if (f.file !== lastFile) {
      if (lastFile !== null || onMessage.length > 0) out.push("[ ... ]", "");
      out.push(...fileHeader(file));
      lastFile = f.file;
      lastHunk = null;
    }
    if (hunk !== lastHunk) {
      if (lastHunk !== null) out.push("[ ... ]");
      out.push(`> @@ -${hunk.oldStart},${hunk.oldCount} +${hunk.newStart},${hunk.newCount} @@${hunk.section ? ` ${hunk.section}` : ""}`);
      lastHunk = hunk;
      lastQuoted = -1;
    }
    const at = hunk.lines.findIndex((l) => l.newLine === f.line && l.kind !== "removed");
    const from = Math.max(lastQuoted + 1, at - CONTEXT_ABOVE);
    if (from > lastQuoted + 1 && lastQuoted >= 0) out.push("[ ... ]");
    for (let k = from; k <= at; k++) out.push(quoteDiffLine(hunk.lines[k]!));
    lastQuoted = Math.max(lastQuoted, at);
    out.push("", ...remark(f, options), "");
  }
  out.push(...footer(options));
  return `${out.join("\n").replace(/\n{3,}/g, "\n\n").trimEnd()}\n`;
}

function quoteMessage(commit: Commit): string[] {
  const lines = [commit.subject, "", ...commit.body.split("\n")];
  while (lines.length > 0 && lines[lines.length - 1]!.trim() === "") lines.pop();
  return lines.map((l) => (l === "" ? ">" : `> ${l}`));
}

function fileHeader(file: FileChange): string[] {
  const a = file.oldPath === null ? "/dev/null" : `a/${file.oldPath}`;
  const b = file.newPath === null ? "/dev/null" : `b/${file.newPath}`;
  return [`> diff --git a/${file.oldPath ?? file.newPath} b/${file.newPath ?? file.oldPath}`, `> --- ${a}`, `> +++ ${b}`];
}

function quoteDiffLine(line: Hunk["lines"][number]): string {
  const mark = line.kind === "added" ? "+" : line.kind === "removed" ? "-" : " ";
  return `> ${mark}${line.text}`.trimEnd();
}

/** One remark: its severity and id, then the message wrapped, then where the reasoning is written down. */
function remark(f: Finding, options: ReplyOptions): string[] {
  const id = f.check ?? f.rule;
  return [...wrap(`${LABEL[f.severity]} (${id}): ${f.message}`), `  (${options.docUrl(f.rule)})`];
}

function footer(options: ReplyOptions): string[] {
  return [
    "-- ",
    ...wrap(
      `patchwarden ${options.version}, a deterministic checker of kernel-style patches, wrote this reply; no person read the patch before it was sent. ` +
        "Each remark names its rule, and the rule's page gives the reasoning. If a remark is wrong, say why in a reply: the maintainer decides, not the bot.",
    ),
  ];
}

/** Words wrapped at 78 columns; a word longer than that (a URL) stands on its own line. */
export function wrap(text: string, width = WIDTH): string[] {
  const out: string[] = [];
  for (const paragraph of text.split("\n")) {
    let line = "";
    for (const word of paragraph.split(/\s+/).filter((w) => w !== "")) {
      if (line === "") line = word;
      else if (line.length + 1 + word.length <= width) line += ` ${word}`;
      else {
        out.push(line);
        line = word;
      }
    }
    out.push(line);
  }
  return out;
}

/** One mail as mbox text: a From_ line (fixed, as git format-patch writes), headers, body with From_ lines escaped. */
export function toMbox(mail: ReplyMail): string {
  const head = mail.headers.map(([k, v]) => `${k}: ${v}`).join("\n");
  const body = mail.body.replace(/^(>*From )/gm, ">$1");
  return `From patchwarden Mon Sep 17 00:00:00 2001\n${head}\n\n${body}`;
}

/** The same mail without the From_ line, as a maildir file or sendmail's input holds it. */
export function toMessage(mail: ReplyMail): string {
  return `${mail.headers.map(([k, v]) => `${k}: ${v}`).join("\n")}\n\n${mail.body}`;
}
