import type { InputWarning } from "./types.js";

export interface DecodedText {
  /** The text with CRLF and lone CR line ends turned into LF. */
  text: string;
  warnings: InputWarning[];
}

const utf8 = new TextDecoder("utf-8", { fatal: true });
// Per line, a leading U+FEFF is text, not a byte order mark (that one is dropped below).
const utf8KeepBom = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });

/**
 * Patches come from mail archives and old trees: most are UTF-8, some carry
 * Latin-1 author names or stray bytes. Rather than reject them, read each
 * line that is not valid UTF-8 as Latin-1 (every byte maps to one character,
 * so line numbers and ASCII code stay exact), keep the valid lines as UTF-8,
 * and say so once, at the first such line.
 */
export function decodeInput(bytes: Uint8Array, source: string): DecodedText {
  const warnings: InputWarning[] = [];
  let text: string;
  try {
    text = utf8.decode(bytes);
  } catch {
    const decoded = decodeLineByLine(bytes);
    warnings.push({ source, line: decoded.firstBadLine, message: "input is not valid UTF-8; lines that are not were read as Latin-1" });
    text = decoded.text;
  }
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  if (text.includes("\r")) text = text.replace(/\r\n?/g, "\n");
  return { text, warnings };
}

function decodeLineByLine(bytes: Uint8Array): { text: string; firstBadLine: number } {
  const parts: string[] = [];
  let firstBadLine = 0;
  let line = 1;
  let start = 0;
  for (let i = 0; i <= bytes.length; i++) {
    if (i === bytes.length || bytes[i] === 0x0a) {
      const chunk = bytes.subarray(start, i);
      try {
        parts.push(utf8KeepBom.decode(chunk));
      } catch {
        parts.push(Buffer.from(chunk).toString("latin1"));
        if (firstBadLine === 0) firstBadLine = line;
      }
      line++;
      start = i + 1;
    }
  }
  return { text: parts.join("\n"), firstBadLine: firstBadLine || 1 };
}
