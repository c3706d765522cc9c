import { attachBudget, DEFAULT_ANALYSIS_LIMITS, newBudget, type AnalysisBudget, type AnalysisLimits } from "./budget.js";
import { decodeInput } from "./decode.js";
import { parseDiff } from "./diff.js";
import { InputError, OnlyContextError } from "./errors.js";
import { canHoldPatch, decodePart, isMultipart, parseContentType, readMultipart } from "./mime.js";
import {
  charsetOf,
  decodeEncodedWords,
  firstHeader,
  parseAuthor,
  parseSubject,
  readHeaders,
  splitTrailers,
  unescapeHtml,
} from "./message.js";
import type { Commit, FileChange, InputWarning, MailHeaders, Series } from "./types.js";

export interface PatchInput {
  /** Shown in errors: a file name, `<stdin>`, `git A..B`. */
  name: string;
  bytes: Uint8Array;
}

export interface InputLimits extends Partial<AnalysisLimits> {
  /** Largest single input accepted, in bytes. */
  maxInputBytes: number;
  /** Largest hunk accepted, in old + new lines. */
  maxHunkLines: number;
}

export const DEFAULT_LIMITS: InputLimits = {
  maxInputBytes: 64 * 1024 * 1024,
  maxHunkLines: 200_000,
  ...DEFAULT_ANALYSIS_LIMITS,
};

// An mbox separator: "From <sha or address> <ctime date>". The weekday keeps
// "From " at the start of a body line (which mbox escapes anyway) from matching.
const MBOX_FROM = /^From \S+ +(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun) /;
const DIFF_START = /^(diff --git |Index: |--- )/;
const CONTEXT_NOTE = "read as context, not checked as a commit";

export function parseSeries(inputs: PatchInput[], limits: InputLimits = DEFAULT_LIMITS): Series {
  const builder = new SeriesBuilder(limits);
  for (const input of inputs) builder.add(input);
  return builder.finish();
}

/**
 * A series read input by input, as the inputs arrive (the commits of a git
 * range while git still writes them): the same series parseSeries gives.
 */
export class SeriesBuilder {
  private readonly commits: Commit[] = [];
  private readonly files: FileChange[] = [];
  private readonly warnings: InputWarning[] = [];
  private readonly maxLineBytes: number;
  /** One parse budget for the whole series, given to each file as it is read (a rule may parse it before the series is finished). */
  private readonly budget: AnalysisBudget;

  constructor(private readonly limits: InputLimits = DEFAULT_LIMITS) {
    this.maxLineBytes = limits.maxLineBytes ?? DEFAULT_ANALYSIS_LIMITS.maxLineBytes;
    this.budget = newBudget(limits);
  }

  get commitCount(): number {
    return this.commits.length;
  }

  /**
   * Reads one input's messages into the series. `firstLine`: the line of a
   * longer input this piece starts on (a commit cut from a range's output),
   * so what is said about it names the line of the whole.
   */
  add(input: PatchInput, firstLine = 1): Commit[] {
    const { limits, warnings } = this;
    if (input.bytes.length > limits.maxInputBytes) {
      throw new InputError(input.name, null, `input is ${input.bytes.length} bytes, over the limit of ${limits.maxInputBytes}`);
    }
    const decoded = decodeInput(input.bytes, input.name);
    for (const w of decoded.warnings) warnings.push(firstLine === 1 ? w : { ...w, line: w.line + firstLine - 1 });
    const lines = decoded.text.split("\n");
    if (lines.length > 0 && lines[lines.length - 1] === "") lines.pop();
    const before = warnings.length;
    const found = readMessages(input.name, lines, this.commits.length, limits, warnings, firstLine === 1 ? plainNumbering : offsetNumbering(firstLine - 1));
    if (found.length === 0 && warnings.slice(before).some((w) => w.message.endsWith(CONTEXT_NOTE))) {
      throw new OnlyContextError(input.name);
    }
    if (found.length === 0) {
      throw new InputError(input.name, null, "no patch found: expected git format-patch output, an mbox of patches, or a unified diff");
    }
    for (const commit of found) {
      this.commits.push(commit);
      this.files.push(...commit.files);
      attachBudget(commit.files, this.budget);
      for (const f of commit.files) {
        if (f.binary) warnings.push({ source: input.name, line: commit.source.line, message: `${f.newPath ?? f.oldPath}: binary file, not checked` });
        else warnLongLines(input.name, f, this.maxLineBytes, warnings);
      }
    }
    return found;
  }

  finish(): Series {
    return { commits: this.commits, files: this.files, warnings: this.warnings };
  }
}

/** One warning per file, not per line: a hostile patch may have thousands of long lines. */
function warnLongLines(source: string, file: FileChange, maxLineBytes: number, warnings: InputWarning[]): void {
  let count = 0;
  let first = 0;
  for (const hunk of file.hunks) {
    for (const line of hunk.lines) {
      if (line.kind !== "removed" && line.text.length > maxLineBytes) {
        if (count === 0) first = line.inputLine;
        count++;
      }
    }
  }
  if (count > 0) {
    const what = count === 1 ? "a line" : `${count} lines`;
    warnings.push({ source, line: first, message: `${file.newPath ?? file.oldPath}: ${what} longer than ${maxLineBytes} characters, checked line by line only (not parsed as C)` });
  }
}

/** Input line (1-based) of `lines[i]`. */
type LineNumbering = (i: number) => number;

const plainNumbering: LineNumbering = (i) => i + 1;

/** Numberings that only add an offset: the diff reader numbers such lines itself, with no array of numbers per line. */
const offsets = new WeakMap<LineNumbering, number>();

function offsetNumbering(offset: number): LineNumbering {
  const n: LineNumbering = (i) => i + 1 + offset;
  offsets.set(n, offset);
  return n;
}

function readMessages(name: string, lines: string[], firstIndex: number, limits: InputLimits, warnings: InputWarning[], lineNo: LineNumbering = plainNumbering): Commit[] {
  if (lines.length === 0) return [];
  const starts = messageStarts(lines);
  if (starts.length === 0 || lines.slice(0, starts[0]).some((l) => l.trim() !== "")) starts.unshift(0);
  const commits: Commit[] = [];
  for (let k = 0; k < starts.length; k++) {
    const start = starts[k]!;
    const end = starts[k + 1] ?? lines.length;
    commits.push(...readMessage(name, lines, start, end, firstIndex + commits.length, limits, warnings, lineNo));
  }
  return commits;
}

/**
 * The mbox `From ` lines that start messages. One inside a MIME body (an
 * attached `git format-patch` file sent 8bit, as a saved mail keeps it) is
 * part of that message, up to the body's closing boundary; unless it starts
 * a message declaring the same boundary, which no part inside could: then
 * the closing was lost and this is the next message.
 */
function messageStarts(lines: string[]): number[] {
  const closings = new Map<string, number[]>();
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i]!;
    if (!l.startsWith("--")) continue;
    const t = l.trimEnd();
    if (t.length > 4 && t.endsWith("--")) push(closings, t.slice(2, -2), i);
  }
  const boundaryAt = (headerStart: number): string | undefined => {
    if (!/^[A-Za-z-]+: /.test(lines[headerStart] ?? "")) return undefined;
    const ct = parseContentType(firstHeader(readHeaders(lines, headerStart, lines.length).headers, "content-type"));
    return ct.type.startsWith("multipart/") ? ct.params.get("boundary") : undefined;
  };
  const closingAfter = (boundary: string | undefined, i: number): number => {
    const list = boundary === undefined ? undefined : closings.get(boundary);
    if (!list) return -1;
    let lo = 0;
    let hi = list.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (list[mid]! <= i) lo = mid + 1;
      else hi = mid;
    }
    return list[lo] ?? -1;
  };
  const starts: number[] = [];
  let boundary = MBOX_FROM.test(lines[0]!) ? undefined : boundaryAt(0);
  let inside = closingAfter(boundary, 0);
  // Past the current message's own header block (a mail's headers are not a second mail).
  let headersEnd = MBOX_FROM.test(lines[0]!) ? 0 : headerBlockEnd(lines, 0);
  for (let i = 0; i < lines.length; i++) {
    const fromLine = MBOX_FROM.test(lines[i]!);
    // Raw mails concatenated without From_ lines (cat a.eml b.eml): a full
    // header block where a body line would be starts the next message.
    if (!fromLine && !(i > headersEnd && i >= inside && startsRawMail(lines, i))) continue;
    const headerAt = fromLine ? i + 1 : i;
    const own = boundaryAt(headerAt);
    if (fromLine && i < inside && own !== boundary) continue;
    starts.push(i);
    boundary = own;
    inside = closingAfter(own, i);
    headersEnd = headerBlockEnd(lines, headerAt);
  }
  return starts;
}

/** Index of the blank line ending the header block at `i` (i itself when there is none). */
function headerBlockEnd(lines: string[], i: number): number {
  if (!/^[A-Za-z-]+: /.test(lines[i] ?? "")) return i;
  return readHeaders(lines, i, lines.length).bodyStart;
}

const RAW_HEADER = /^(?:Return-Path|Received|Delivered-To|From|Date|Message-I[Dd]|Subject|To|Cc|MIME-Version|In-Reply-To|References|Content-Type|X-[A-Za-z-]+):[ \t]/i;

/**
 * A whole mail's header block starts at `i`: From, Subject and a header only
 * a mail transport writes (Message-ID, Received, Return-Path), ended by a
 * blank line. In-body "From:"/"Subject:" overrides carry no Message-ID.
 */
function startsRawMail(lines: string[], i: number): boolean {
  if (!RAW_HEADER.test(lines[i]!) || RAW_HEADER.test(lines[i - 1] ?? "")) return false;
  const { headers, bodyStart } = readHeaders(lines, i, Math.min(lines.length, i + 500));
  if (lines[bodyStart - 1] !== "") return false;
  return headers.has("from") && headers.has("subject") && (headers.has("message-id") || headers.has("received") || headers.has("return-path"));
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

function numbering(numbers: number[], fallback: number): LineNumbering {
  return (i) => numbers[i] ?? numbers[numbers.length - 1] ?? fallback;
}

function readMessage(
  name: string,
  lines: string[],
  start: number,
  end: number,
  index: number,
  limits: InputLimits,
  warnings: InputWarning[],
  lineNo: LineNumbering,
): Commit[] {
  let i = start;
  let sha: string | null = null;
  const fromLine = lines[i]!.match(MBOX_FROM) ? lines[i]! : null;
  if (fromLine) {
    const m = fromLine.match(/^From ([0-9a-f]{40}) /);
    if (m && !/^0+$/.test(m[1]!)) sha = m[1]!;
    i++;
  }
  const looksLikeMail = /^[A-Za-z-]+: /.test(lines[i] ?? "");
  const parsed = looksLikeMail ? readHeaders(lines, i, end) : { headers: new Map<string, string[]>(), bodyStart: i };
  const headers = parsed.headers;
  // "key: value" alone (a Makefile, a YAML file) is not a mail.
  const isMail = looksLikeMail && (headers.has("from") || headers.has("subject"));
  if (isMail && parsed.bodyStart >= end && lines[end - 1] !== "") {
    // Every line a header and no blank line closing them: the mail was cut short, not a commit with an empty message.
    throw new InputError(name, lineNo(start), "the mail ends inside its headers (cut short?): no body, no patch");
  }

  // A MIME or transfer-encoded body carries the diff too: decode it before
  // looking for `---` and the diff. Decoded lines keep the input line of
  // their part (see mime.ts for how encoded lines are numbered).
  const contentType = firstHeader(headers, "content-type");
  const encoding = firstHeader(headers, "content-transfer-encoding")?.trim().toLowerCase();
  const ctx = { source: name, warnings };
  let bodyStart = parsed.bodyStart;
  let msg = lines;
  let msgEnd = end;
  let decodedNumbers: number[] | undefined;
  if (isMail && isMultipart(contentType)) {
    const parts = readMultipart(headers, lines, bodyStart, end, lineNo(bodyStart), ctx);
    // Attached patch mails (mutt, a forwarded message) are commits of their
    // own; the note they came with is not one.
    const attached: Commit[] = [];
    for (const part of parts.filter((p) => p.isMail)) {
      attached.push(...readMessages(name, part.lines, index + attached.length, limits, warnings, numbering(part.lineNumbers, lineNo(start))));
    }
    if (attached.length > 0) return attached;
    msg = parts.flatMap((p) => p.lines);
    decodedNumbers = parts.flatMap((p) => p.lineNumbers);
    if (msg.length === 0) warnings.push({ source: name, line: lineNo(start), message: "no MIME part of this message could be read as text: read as an empty commit" });
  } else if (isMail && contentType !== undefined && !singlePartCanHoldPatch(contentType, firstHeader(headers, "content-disposition"))) {
    // A single-part mail of another type (text/html, an image) holds no patch to read.
    warnings.push({ source: name, line: lineNo(bodyStart), message: `message body (${parseContentType(contentType).type}): not a text part a patch can be in; not read` });
    msg = [];
    decodedNumbers = [];
  } else if (encoding !== undefined && encoding !== "" && encoding !== "7bit" && encoding !== "8bit" && encoding !== "binary") {
    const decoded = decodePart(lines, bodyStart, end, encoding, charsetOf(contentType), "message body", lineNo(bodyStart), ctx);
    msg = decoded?.lines ?? [];
    decodedNumbers = decoded?.lineNumbers ?? [];
  }
  if (decodedNumbers) {
    bodyStart = 0;
    msgEnd = msg.length;
  }

  let bodyEnd = bodyStart;
  while (bodyEnd < msgEnd && msg[bodyEnd] !== "---" && msg[bodyEnd] !== "-- " && !isDiffStart(msg, bodyEnd)) bodyEnd++;
  let diffStart = bodyEnd;
  let notesEnd = bodyEnd;
  if (msg[bodyEnd] === "---") {
    diffStart = bodyEnd + 1;
    while (diffStart < msgEnd && !isDiffStart(msg, diffStart)) diffStart++;
    notesEnd = bodyEnd + 1;
    while (notesEnd < diffStart && msg[notesEnd] !== "-- ") notesEnd++;
  }
  const hasDiff = diffStart < msgEnd && isDiffStart(msg, diffStart);
  if (!isMail && !fromLine && !hasDiff) {
    if (lines.slice(start, end).every((l) => l.trim() === "")) return [];
    throw new InputError(name, lineNo(start), "no patch found: expected git format-patch output, an mbox of patches, or a unified diff");
  }

  // A commits list's mail (linux-tip-commits) is sent by a bot and names the
  // commit's author in a preamble; the preamble is the bot's, not the changelog.
  const listed = readCommitsListPreamble(trimBlankEdges(msg.slice(bodyStart, bodyEnd)));
  const bodyLines = listed?.rest ?? trimBlankEdges(msg.slice(bodyStart, bodyEnd));
  if (listed?.commitId && sha === null) sha = listed.commitId;
  // Some mails repeat "From:"/"Subject:" at the top of the body to override the envelope.
  const inBody = readInBodyHeaders(bodyLines);
  const rawSubject = unescapeHtml(decodeEncodedWords(inBody.subject ?? firstHeader(headers, "subject") ?? ""));
  const { subject, index: patchIndex } = parseSubject(rawSubject);
  const { prose, trailers } = splitTrailers(inBody.rest);

  const notes = msg[bodyEnd] === "---" ? msg.slice(bodyEnd + 1, notesEnd).join("\n").trim() : "";
  const offset = decodedNumbers ? undefined : lineNo === plainNumbering ? 0 : offsets.get(lineNo);
  const lineNumbers = decodedNumbers ?? (offset !== undefined ? undefined : msg.map((_l, k) => lineNo(k)));
  const files: FileChange[] = hasDiff
    ? parseDiff({ source: name, lines: msg, start: diffStart, end: msgEnd, commitIndex: index, limits: { maxHunkLines: limits.maxHunkLines }, lineNumbers, ...(offset ? { lineOffset: offset } : {}), warnings })
    : [];
  // A reply to a cover letter ("Re: [PATCH 0/2]") that carries a diff is a patch.
  const isCoverLetter = !hasDiff && (patchIndex === 0 || /\bcover letter\b|\*\*\* SUBJECT HERE \*\*\*/i.test(rawSubject));
  if (isMail && !hasDiff && !isCoverLetter && isContextMail(rawSubject, fromLine)) {
    // A thread (b4 mbox) holds replies and reports beside the patches: context for a reader, not commits.
    warnings.push({ source: name, line: lineNo(start), message: `"${rawSubject.slice(0, 80)}": a ${/^\s*(?:re|aw|sv|antw|fwd?)\s*:/i.test(rawSubject) ? "reply" : "mail"} without a diff, ${CONTEXT_NOTE}` });
    return [];
  }
  return [
    {
      // git format-patch puts the tip commit's sha on a cover letter's From_ line.
      sha: isCoverLetter ? null : sha,
      author: parseAuthor(inBody.from ?? listed?.author ?? firstHeader(headers, "from")),
      date: firstHeader(headers, "date") ?? null,
      subject,
      rawSubject,
      body: unescapeHtml(prose.join("\n")),
      trailers,
      notes,
      files,
      source: { name, line: lineNo(start) },
      isCoverLetter,
      ...(isMail ? { mail: mailHeaders(headers) } : {}),
    },
  ];
}

/** `<a@b> <c@d>` → ["a@b", "c@d"]: ids scanned by their brackets. */
function messageIds(value: string | undefined): string[] {
  const out: string[] = [];
  if (!value) return out;
  let at = value.indexOf("<");
  while (at !== -1) {
    const end = value.indexOf(">", at + 1);
    if (end === -1) break;
    const id = value.slice(at + 1, end).trim();
    if (id !== "" && !/\s/.test(id)) out.push(id);
    at = value.indexOf("<", end + 1);
  }
  return out;
}

function mailHeaders(headers: Map<string, string[]>): MailHeaders {
  const references = messageIds((headers.get("references") ?? []).join(" "));
  for (const id of messageIds(firstHeader(headers, "in-reply-to"))) if (!references.includes(id)) references.push(id);
  const list = (name: string) => (headers.get(name) ?? []).map((v) => v.replace(/\s+/g, " ").trim()).filter((v) => v !== "");
  return {
    messageId: messageIds(firstHeader(headers, "message-id"))[0] ?? null,
    references,
    from: firstHeader(headers, "from")?.replace(/\s+/g, " ").trim() ?? null,
    to: list("to"),
    cc: list("cc"),
  };
}

/**
 * A mail without a diff that is not a commit: a reply ("Re: ..."), or one
 * neither tagged as a patch ("[PATCH", "[RFC") nor written by git
 * format-patch (whose From_ line carries the commit's sha): a bug report, a
 * pull request. An empty commit sent as a patch keeps its tag or sha.
 */
function isContextMail(rawSubject: string, fromLine: string | null): boolean {
  if (/^\s*(?:re|aw|sv|antw|fwd?)\s*:/i.test(rawSubject)) return true;
  if (fromLine !== null && /^From [0-9a-f]{40} /.test(fromLine)) return false;
  return !hasPatchTag(rawSubject);
}

/** A `[...]` group naming PATCH or RFC; scanned by hand, since a regex over the groups retries from every bracket. */
function hasPatchTag(subject: string): boolean {
  for (let open = subject.indexOf("["); open >= 0; open = subject.indexOf("[", open + 1)) {
    const close = subject.indexOf("]", open);
    if (close < 0) return false;
    if (/\b(?:PATCH|RFC)\b/i.test(subject.slice(open + 1, close))) return true;
    open = close;
  }
  return false;
}

function singlePartCanHoldPatch(contentType: string, disposition: string | undefined): boolean {
  const ct = parseContentType(contentType);
  return canHoldPatch(ct.type || "text/plain", parseContentType(disposition).params.get("filename") ?? ct.params.get("name") ?? "");
}

function isDiffStart(lines: string[], i: number): boolean {
  const line = lines[i]!;
  if (!DIFF_START.test(line)) return false;
  if (line.startsWith("--- ")) return (lines[i + 1] ?? "").startsWith("+++ ");
  if (line.startsWith("Index: ")) return (lines[i + 1] ?? "").startsWith("====");
  return true;
}

function trimBlankEdges(lines: string[]): string[] {
  let a = 0;
  let b = lines.length;
  while (a < b && lines[a]!.trim() === "") a++;
  while (b > a && lines[b - 1]!.trim() === "") b--;
  return lines.slice(a, b);
}

/**
 * The preamble of a commits list's mail:
 *
 *   The following commit has been merged into the x86/cpu branch of tip:
 *
 *   Commit-ID:     <sha>
 *   Gitweb:        https://git.kernel.org/tip/<sha>
 *   Author:        Name <address>
 *   ...
 *
 * Recognised only by its "Commit-ID:" and "Author:" fields in the first
 * lines, so an ordinary changelog is never read as one.
 */
function readCommitsListPreamble(lines: string[]): { author?: string; commitId?: string; rest: string[] } | null {
  const limit = Math.min(lines.length, 16);
  let k = 0;
  if (k < limit && /^The following commit has been merged\b/.test(lines[k]!)) k++;
  while (k < limit && lines[k]!.trim() === "") k++;
  const fields = new Map<string, string>();
  for (; k < limit; k++) {
    const m = /^([A-Z][A-Za-z-]*):[ \t]+(\S.*)$/.exec(lines[k]!);
    if (!m) break;
    fields.set(m[1]!.toLowerCase(), m[2]!.trim());
  }
  const commitId = fields.get("commit-id");
  const author = fields.get("author");
  if (!commitId || !/^[0-9a-f]{12,40}$/.test(commitId) || !author) return null;
  return { author, commitId, rest: trimBlankEdges(lines.slice(k)) };
}

function readInBodyHeaders(lines: string[]): { from?: string; subject?: string; rest: string[] } {
  const out: { from?: string; subject?: string; rest: string[] } = { rest: lines };
  let k = 0;
  while (k < lines.length) {
    const m = lines[k]!.match(/^(From|Subject): (.*)$/);
    if (!m) break;
    if (m[1] === "From") out.from = m[2]!;
    else out.subject = m[2]!;
    k++;
  }
  if (k > 0 && (lines[k] ?? "") === "") out.rest = trimBlankEdges(lines.slice(k));
  else if (k > 0) {
    delete out.from;
    delete out.subject;
  }
  return out;
}
