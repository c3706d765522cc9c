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
    return new TextDecoder(charset.toLowerCase().replace(/\*.*$/, "")).decode(bytes);
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
    const n = m[1]!.match(/(\d+)\/(\d+)/);
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
  const angle = decoded.match(/^(.*?)\s*<([^>]*)>\s*$/);
  if (angle) return { name: angle[1]!.replace(/^"(.*)"$/, "$1").trim(), email: angle[2]!.trim() };
  const paren = decoded.match(/^(\S+@\S+)\s*\((.*)\)$/);
  if (paren) return { name: paren[2]!.trim(), email: paren[1]! };
  return { name: decoded, email: decoded.includes("@") ? decoded : "" };
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
