import { decodeInput } from "./decode.js";
import { firstHeader, readHeaders } from "./message.js";
import type { InputWarning } from "./types.js";

// MIME bodies, read so that a patch sent as an attachment (git format-patch
// --attach, mutt, a forwarded message/rfc822) is read as if it were inline.
// Every part that is skipped or cannot be decoded is reported: a patch that
// vanished into an undecoded part used to look like a clean, empty commit.
//
// No library: the MIME readers on npm (postal-mime, mailparser) are
// asynchronous and drop input line numbers, which the strict reader needs for
// `file:line:` errors and warnings.

/** Text read out of one leaf part, in document order. */
export interface TextPart {
  lines: string[];
  /** Input line (1-based) of each decoded line, for messages. */
  lineNumbers: number[];
  /** The part is itself a mail (an attached `git format-patch` file, message/rfc822). */
  isMail: boolean;
}

export interface MimeContext {
  source: string;
  warnings: InputWarning[];
}

export interface ContentType {
  type: string;
  params: Map<string, string>;
}

/** `text/plain; charset="utf-8"; name=x` → type and lower-cased parameter names. */
export function parseContentType(value: string | undefined): ContentType {
  const fields = splitParams(value ?? "");
  const type = (fields.shift() ?? "").trim().toLowerCase();
  const params = new Map<string, string>();
  for (const f of fields) {
    const eq = f.indexOf("=");
    if (eq === -1) continue;
    const name = f.slice(0, eq).trim().toLowerCase();
    let v = f.slice(eq + 1).trim();
    if (v.length >= 2 && v.startsWith('"') && v.endsWith('"')) v = v.slice(1, -1).replace(/\\(.)/g, "$1");
    if (!params.has(name)) params.set(name, v);
  }
  return { type, params };
}

/** Splits on `;` outside double quotes. */
function splitParams(value: string): string[] {
  const out: string[] = [];
  let start = 0;
  let quoted = false;
  for (let k = 0; k < value.length; k++) {
    const c = value[k];
    if (c === "\\" && quoted) k++;
    else if (c === '"') quoted = !quoted;
    else if (c === ";" && !quoted) {
      out.push(value.slice(start, k));
      start = k + 1;
    }
  }
  out.push(value.slice(start));
  return out;
}

export function isMultipart(contentType: string | undefined): boolean {
  return parseContentType(contentType).type.startsWith("multipart/");
}

const MAX_DEPTH = 8;

// Types whose text a patch may travel in. text/html is not one: a patch in
// HTML is not a patch; it is reported, not read.
const PATCH_TYPES = new Set(["text/x-patch", "text/x-diff", "text/patch", "text/diff", "application/x-patch", "application/x-diff"]);

/** Parts that say nothing about the patch and are skipped without a word. */
const IGNORED_TYPES = new Set(["application/pgp-signature", "application/pkcs7-signature", "application/x-pkcs7-signature"]);

/**
 * Reads the leaf text parts of a multipart body: `lines[start, end)` are the
 * body, `firstLine` the input line of `lines[start]`.
 */
export function readMultipart(headers: Map<string, string[]>, lines: string[], start: number, end: number, firstLine: number, ctx: MimeContext): TextPart[] {
  const out: TextPart[] = [];
  readEntity(headers, lines, start, end, firstLine, ctx, 0, out, "message");
  return out;
}

function readEntity(
  headers: Map<string, string[]>,
  lines: string[],
  start: number,
  end: number,
  firstLine: number,
  ctx: MimeContext,
  depth: number,
  out: TextPart[],
  what: string,
): void {
  const ct = parseContentType(firstHeader(headers, "content-type"));
  const type = ct.type || "text/plain";
  const at = firstLine;
  const warn = (message: string): void => {
    ctx.warnings.push({ source: ctx.source, line: at, message });
  };
  if (type.startsWith("multipart/")) {
    if (depth >= MAX_DEPTH) return warn(`${what}: MIME parts nested deeper than ${MAX_DEPTH} levels not read`);
    const boundary = ct.params.get("boundary");
    if (!boundary) return warn(`${what}: ${type} without a boundary; not read`);
    const parts = splitParts(lines, start, end, boundary);
    if (!parts.closed) warn(`${what}: ${type} part list has no closing boundary "--${boundary}--"; read up to the end`);
    if (parts.bodies.length === 0) return warn(`${what}: ${type} has no parts`);
    // Of alternatives, the plain text is the one a mailer shows as the patch.
    const bodies = type === "multipart/alternative" ? pickAlternative(lines, parts.bodies) : parts.bodies;
    if (type === "multipart/signed") bodies.splice(1);
    bodies.forEach(([s, e], k) => {
      const h = readHeaders(lines, s, e);
      readEntity(h.headers, lines, h.bodyStart, e, firstLine + (h.bodyStart - start), ctx, depth + 1, out, `MIME part ${k + 1} of ${what}`);
    });
    return;
  }
  const disposition = parseContentType(firstHeader(headers, "content-disposition"));
  const filename = disposition.params.get("filename") ?? ct.params.get("name") ?? "";
  const label = filename ? `${what} (${type}, "${filename}")` : `${what} (${type})`;
  if (IGNORED_TYPES.has(type)) return;
  const isRfc822 = type === "message/rfc822";
  if (!isRfc822 && !canHoldPatch(type, filename)) return warn(`${label}: not a text part a patch can be in; not read`);
  const decoded = decodePart(lines, start, end, firstHeader(headers, "content-transfer-encoding"), ct.params.get("charset"), label, at, ctx);
  if (!decoded) return;
  const isMail = isRfc822 || looksLikeMail(decoded.lines);
  if (isRfc822 && depth < MAX_DEPTH) {
    // A forwarded message: its own headers may make it multipart again.
    const inner = readHeaders(decoded.lines, 0, decoded.lines.length);
    if (isMultipart(firstHeader(inner.headers, "content-type"))) {
      readEntity(inner.headers, decoded.lines, inner.bodyStart, decoded.lines.length, decoded.lineNumbers[inner.bodyStart] ?? at, ctx, depth + 1, out, label);
      return;
    }
  }
  out.push({ ...decoded, isMail });
}

/** The `[start, end)` line ranges of the parts between `--boundary` lines. */
function splitParts(lines: string[], start: number, end: number, boundary: string): { bodies: [number, number][]; closed: boolean } {
  const delimiter = `--${boundary}`;
  const bodies: [number, number][] = [];
  let partStart = -1;
  for (let i = start; i < end; i++) {
    const line = lines[i]!;
    if (!line.startsWith(delimiter)) continue;
    // Transport padding (spaces, tabs) may follow a delimiter.
    const rest = line.slice(delimiter.length).trimEnd();
    if (rest !== "" && rest !== "--") continue;
    if (partStart !== -1) bodies.push([partStart, i]);
    if (rest === "--") return { bodies, closed: true };
    partStart = i + 1;
  }
  if (partStart !== -1) bodies.push([partStart, end]);
  return { bodies, closed: false };
}

function pickAlternative(lines: string[], bodies: [number, number][]): [number, number][] {
  for (const b of bodies) {
    const type = parseContentType(firstHeader(readHeaders(lines, b[0], b[1]).headers, "content-type")).type || "text/plain";
    if (type === "text/plain" || PATCH_TYPES.has(type) || type.startsWith("multipart/")) return [b];
  }
  return bodies.slice(0, 1);
}

/** Whether a leaf part of this type (and file name) may carry a patch as text. */
export function canHoldPatch(type: string, filename = ""): boolean {
  return type === "text/plain" || PATCH_TYPES.has(type) || (type === "application/octet-stream" && /\.(?:patch|diff)$/i.test(filename)) || /^text\/x-(?:c|chdr|csrc|makefile)$/.test(type);
}

/** A part whose text starts with an mbox `From ` line or a header block with From:/Subject:. */
function looksLikeMail(lines: string[]): boolean {
  let k = 0;
  while (k < lines.length && lines[k]!.trim() === "") k++;
  if (k >= lines.length) return false;
  if (/^From \S+ +(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun) /.test(lines[k]!)) return true;
  const h = readHeaders(lines, k, lines.length);
  return h.headers.has("subject") && (h.headers.has("from") || h.headers.has("date"));
}

const BASE64_TEXT = /^[A-Za-z0-9+/]*={0,2}$/;

/**
 * Undoes a part's transfer encoding and charset. Lines of an 8bit part keep
 * their input line numbers; decoded lines of a base64 or quoted-printable
 * part are numbered from the part's first body line.
 */
export function decodePart(
  lines: string[],
  start: number,
  end: number,
  encodingHeader: string | undefined,
  charset: string | undefined,
  label: string,
  firstLine: number,
  ctx: MimeContext,
): { lines: string[]; lineNumbers: number[] } | null {
  const warn = (message: string) => ctx.warnings.push({ source: ctx.source, line: firstLine, message: `${label}: ${message}` });
  const enc = (encodingHeader ?? "").trim().toLowerCase();
  const body = lines.slice(start, end);
  if (enc === "" || enc === "7bit" || enc === "8bit" || enc === "binary") {
    return { lines: body, lineNumbers: body.map((_l, k) => firstLine + k) };
  }
  let bytes: Uint8Array;
  if (enc === "base64") {
    const compact = body.join("").replace(/[ \t\r\n]+/g, "");
    if (!BASE64_TEXT.test(compact) || compact.length % 4 === 1) {
      warn("invalid base64; part not read");
      return null;
    }
    bytes = Buffer.from(compact, "base64");
  } else if (enc === "quoted-printable") {
    bytes = decodeQuotedPrintable(body);
  } else {
    warn(`unknown Content-Transfer-Encoding "${enc}"; part not read`);
    return null;
  }
  const text = decodeCharsetStrict(bytes, charset, ctx.source, firstLine, label, ctx.warnings);
  const out = text.split("\n");
  if (out.length > 0 && out[out.length - 1] === "") out.pop();
  // Decoded lines are numbered from the part's first line: exact for
  // quoted-printable without soft breaks, "line k of the part" for base64.
  return { lines: out, lineNumbers: out.map((_l, k) => firstLine + k) };
}

/** RFC 2045 quoted-printable over lines: a line ending in `=` continues on the next. */
export function decodeQuotedPrintable(lines: string[]): Uint8Array {
  const out: number[] = [];
  for (let i = 0; i < lines.length; i++) {
    // Trailing whitespace is transport padding, not text. (Trimmed by hand:
    // `/[ \t]+$/` is quadratic on a long run of blanks inside a line.)
    const raw = lines[i]!;
    let stop = raw.length;
    while (stop > 0 && (raw.charCodeAt(stop - 1) === 0x20 || raw.charCodeAt(stop - 1) === 0x09)) stop--;
    const line = raw.slice(0, stop);
    let soft = false;
    for (let k = 0; k < line.length; k++) {
      const c = line.charCodeAt(k);
      if (c === 0x3d) {
        if (k === line.length - 1) {
          soft = true;
          break;
        }
        const hi = hexValue(line.charCodeAt(k + 1));
        const lo = hexValue(line.charCodeAt(k + 2));
        if (hi >= 0 && lo >= 0) {
          out.push(hi * 16 + lo);
          k += 2;
          continue;
        }
        out.push(c); // a stray `=` is kept, as mailers do
      } else if (c < 0x80) {
        out.push(c);
      } else {
        for (const b of Buffer.from(line[k]!, "utf8")) out.push(b);
      }
    }
    if (!soft && i < lines.length - 1) out.push(0x0a);
  }
  return Uint8Array.from(out);
}

function hexValue(c: number): number {
  if (c >= 0x30 && c <= 0x39) return c - 0x30;
  if (c >= 0x41 && c <= 0x46) return c - 0x37;
  if (c >= 0x61 && c <= 0x66) return c - 0x57;
  return -1;
}

/**
 * Bytes in the part's charset. UTF-8 (or none) goes through the reader's own
 * decoder (invalid lines read as Latin-1, with a warning); another charset
 * Node knows is used as is; an unknown one is a warning and read as UTF-8.
 */
function decodeCharsetStrict(bytes: Uint8Array, charset: string | undefined, source: string, line: number, label: string, warnings: InputWarning[]): string {
  const cs = (charset ?? "utf-8").trim().toLowerCase();
  if (cs !== "utf-8" && cs !== "utf8" && cs !== "us-ascii" && cs !== "ascii") {
    try {
      return new TextDecoder(cs).decode(bytes).replace(/\r\n?/g, "\n");
    } catch {
      warnings.push({ source, line, message: `${label}: unknown charset "${cs}"; read as UTF-8` });
    }
  }
  const decoded = decodeInput(bytes, source);
  for (const w of decoded.warnings) warnings.push({ source, line, message: `${label}: ${w.message}` });
  return decoded.text;
}
