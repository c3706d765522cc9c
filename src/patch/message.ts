import type { Trailer } from "./types.js";

// Mail-level reading of one patch message: headers (RFC 2822 with RFC 2047
// encoded words), transfer encodings, subject tags, body, trailers.

export interface MailHeaders {
  /** Lower-cased header name → values in order of appearance. */
  get(name: string): string | undefined;
}

export interface ParsedHeaders {
  headers: Map<string, string[]>;
  /** Index of the first body line (after the blank separator line). */
  bodyStart: number;
}

/** Reads headers starting at `start` until the first blank line; folds continuation lines. */
export function readHeaders(lines: string[], start: number, end: number): ParsedHeaders {
  const headers = new Map<string, string[]>();
  let lastName: string | null = null;
  let i = start;
  for (; i < end; i++) {
    const line = lines[i]!;
    if (line === "") {
      i++;
      break;
    }
    if (/^[ \t]/.test(line) && lastName) {
      const values = headers.get(lastName)!;
      values[values.length - 1] += ` ${line.trim()}`;
      continue;
    }
    const m = line.match(/^([!-9;-~]+):[ \t]?(.*)$/);
    if (!m) break; // not a header: the body starts without a blank line
    lastName = m[1]!.toLowerCase();
    const list = headers.get(lastName) ?? [];
    list.push(m[2]!);
    headers.set(lastName, list);
  }
  return { headers, bodyStart: i };
}

export function firstHeader(h: Map<string, string[]>, name: string): string | undefined {
  return h.get(name)?.[0];
}

/** Decodes RFC 2047 encoded words (`=?UTF-8?q?...?=`, `=?iso-8859-1?b?...?=`). */
export function decodeEncodedWords(value: string): string {
  const joined = value.replace(/\?=\s+=\?/g, "?==?");
  return joined.replace(/=\?([^?]+)\?([qQbB])\?([^?]*)\?=/g, (_all, charset: string, enc: string, text: string) => {
    const bytes =
      enc.toLowerCase() === "b"
        ? Buffer.from(text, "base64")
        : Buffer.from(decodeQuotedPrintableBytes(text.replace(/_/g, " ")));
    return decodeCharset(bytes, charset);
  });
}

function decodeCharset(bytes: Uint8Array, charset: string): string {
  try {
    // RFC 2231 allows a language after the charset: `utf-8*en`.
    const star = charset.indexOf("*");
    return new TextDecoder((star === -1 ? charset : charset.slice(0, star)).toLowerCase()).decode(bytes);
  } catch {
    return Buffer.from(bytes).toString("latin1");
  }
}

function decodeQuotedPrintableBytes(text: string): number[] {
  const out: number[] = [];
  for (let k = 0; k < text.length; k++) {
    const c = text[k]!;
    if (c === "=" && /^[0-9A-Fa-f]{2}$/.test(text.slice(k + 1, k + 3))) {
      out.push(parseInt(text.slice(k + 1, k + 3), 16));
      k += 2;
    } else {
      out.push(...Buffer.from(c, "utf8"));
    }
  }
  return out;
}

/**
 * Undoes a Content-Transfer-Encoding on a body. Only quoted-printable and
 * base64 change bytes; 7bit/8bit/binary are left alone.
 */
export function decodeTransferEncoding(body: string, encoding: string | undefined, charset: string | undefined): string {
  const enc = (encoding ?? "").trim().toLowerCase();
  if (enc === "quoted-printable") {
    const soft = body.replace(/=\n/g, "");
    return decodeCharset(Uint8Array.from(decodeQuotedPrintableBytes(soft)), charset ?? "utf-8");
  }
  if (enc === "base64") {
    return decodeCharset(Buffer.from(body.replace(/\s+/g, ""), "base64"), charset ?? "utf-8").replace(/\r\n?/g, "\n");
  }
  return body;
}

export function charsetOf(contentType: string | undefined): string | undefined {
  const m = contentType?.match(/charset\s*=\s*"?([^";\s]+)"?/i);
  return m?.[1];
}

export interface SubjectInfo {
  subject: string;
  /** `[PATCH 2/5]` → {index: 2, total: 5}. */
  index: number | null;
  total: number | null;
}

/** Strips `Re:` and bracketed tags such as `[PATCH v3 2/7]` and `[tip: x86/urgent]`. */
export function parseSubject(raw: string): SubjectInfo {
  let s = raw.trim();
  let index: number | null = null;
  let total: number | null = null;
  for (;;) {
    const m = s.match(/^(?:re:\s*)?\[([^\]]*)\]\s*/i);
    if (!m) break;
    // The lookbehind starts a try only at the first digit of a run: without
    // it a long run of digits with no slash is rescanned from every digit.
    const n = m[1]!.match(/(?<!\d)(\d+)\/(\d+)/);
    if (n && /patch|rfc/i.test(m[1]!)) {
      index = Number(n[1]);
      total = Number(n[2]);
    }
    s = s.slice(m[0].length);
  }
  return { subject: s, index, total };
}

export function parseAuthor(from: string | undefined): { name: string; email: string } | null {
  if (!from) return null;
  const decoded = unescapeHtml(decodeEncodedWords(from)).trim();
  return angleAddress(decoded) ?? parenAddress(decoded) ?? { name: decoded, email: decoded.includes("@") ? decoded : "" };
}

// The two address forms are read by scanning, not by regular expressions:
// `^(.*?)\s*<([^>]*)>\s*$` and `^(\S+@\S+)\s*\((.*)\)$` backtrack
// quadratically and cubically on a long `From:` line (issue 8: 4.8 KB of
// tabs or `@(` stalled the reader for seconds).

/** `Name <addr>`: the `<` after the last `>` before the closing one. */
function angleAddress(t: string): { name: string; email: string } | null {
  if (!t.endsWith(">")) return null;
  const close = t.length - 1;
  const lastGt = close === 0 ? -1 : t.lastIndexOf(">", close - 1);
  const open = t.indexOf("<", lastGt + 1);
  if (open === -1 || open >= close) return null;
  let name = t.slice(0, open).trim();
  if (name.length >= 2 && name.startsWith('"') && name.endsWith('"')) name = name.slice(1, -1);
  return { name: name.trim(), email: t.slice(open + 1, close).trim() };
}

/** `addr@host (Name)`: the address is the first word, or the part of it before its last `(`. */
function parenAddress(t: string): { name: string; email: string } | null {
  if (!t.endsWith(")")) return null;
  const space = t.search(/\s/);
  const word = space === -1 ? t : t.slice(0, space);
  let open = -1;
  if (space !== -1) {
    let k = space;
    while (k < t.length && /\s/.test(t[k]!)) k++;
    if (t[k] === "(") open = k;
  }
  let email = word;
  if (open === -1) {
    const inWord = word.lastIndexOf("(");
    if (inWord === -1) return null;
    open = inWord;
    email = word.slice(0, inWord);
  }
  // An address needs a character on each side of its `@`.
  const at = email.indexOf("@", 1);
  if (at === -1 || at > email.length - 2 || open >= t.length - 1) return null;
  return { name: t.slice(open + 1, -1).trim(), email };
}

/** Mail archives sometimes hand out HTML-escaped text (`&lt;`); undo the common entities. */
export function unescapeHtml(s: string): string {
  return s.replace(/&(lt|gt|amp|quot|#39);/g, (_m, e: string) => ({ lt: "<", gt: ">", amp: "&", quot: '"', "#39": "'" })[e] ?? _m);
}

const TRAILER = /^([A-Za-z][A-Za-z0-9-]*[A-Za-z0-9]):\s+(\S.*)$/;

/**
 * Splits a message body into the prose and the trailer block: the last
 * paragraph whose lines are all `Key: value` (kernel style: Signed-off-by,
 * Fixes, Cc, Link, ...). A paragraph of mixed lines is prose, as git
 * interpret-trailers treats it when fewer than all lines are trailers... with
 * one leniency: continuation lines indented by whitespace belong to the
 * trailer above.
 */
export function splitTrailers(bodyLines: string[]): { prose: string[]; trailers: Trailer[] } {
  let end = bodyLines.length;
  while (end > 0 && bodyLines[end - 1]!.trim() === "") end--;
  let start = end;
  while (start > 0 && bodyLines[start - 1]!.trim() !== "") start--;
  const block = bodyLines.slice(start, end);
  const trailers: Trailer[] = [];
  let allTrailers = block.length > 0;
  for (const line of block) {
    const m = line.match(TRAILER);
    if (m) trailers.push({ key: m[1]!, value: unescapeHtml(m[2]!.trim()) });
    else if (/^\s+\S/.test(line) && trailers.length > 0) trailers[trailers.length - 1]!.value += ` ${line.trim()}`;
    else if (/^\[.*\]$/.test(line.trim())) continue; // maintainer notes such as "[ bp: massage ]"
    else {
      allTrailers = false;
      break;
    }
  }
  // A lone "Key: value" paragraph that is not a known trailer is more likely prose.
  if (!allTrailers || trailers.length === 0 || !trailers.some((t) => KNOWN_TRAILER.test(t.key))) {
    return { prose: bodyLines.slice(0, end), trailers: [] };
  }
  let proseEnd = start;
  while (proseEnd > 0 && bodyLines[proseEnd - 1]!.trim() === "") proseEnd--;
  return { prose: bodyLines.slice(0, proseEnd), trailers };
}

const KNOWN_TRAILER =
  /^(signed-off-by|acked-by|reviewed-by|tested-by|reported-by|suggested-by|co-developed-by|fixes|cc|link|closes|message-id|requested-by|debugged-by|originally-by|tested-and-reported-by|reviewed-and-tested-by)$/i;
