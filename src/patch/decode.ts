import type { InputWarning } from "./types.js";

export interface DecodedText {
  /** The text with CRLF and lone CR line ends turned into LF. */
  text: string;
  warnings: InputWarning[];
}

const utf8 = new TextDecoder("utf-8", { fatal: true });

/**
 * Patches come from mail archives and old trees: most are UTF-8, some carry
 * Latin-1 author names or stray bytes. Rather than reject them, read such an
 * input as Latin-1 (every byte maps to one character, so line numbers and
 * ASCII code stay exact) and say so.
 */
export function decodeInput(bytes: Uint8Array, source: string): DecodedText {
  const warnings: InputWarning[] = [];
  let text: string;
  try {
    text = utf8.decode(bytes);
  } catch {
    const line = firstInvalidUtf8Line(bytes);
    warnings.push({ source, line, message: "input is not valid UTF-8; read as Latin-1 from here on" });
    text = Buffer.from(bytes).toString("latin1");
  }
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  if (text.includes("\r")) text = text.replace(/\r\n?/g, "\n");
  return { text, warnings };
}

function firstInvalidUtf8Line(bytes: Uint8Array): number {
  let line = 1;
  let start = 0;
  for (let i = 0; i <= bytes.length; i++) {
    if (i === bytes.length || bytes[i] === 0x0a) {
      try {
        utf8.decode(bytes.subarray(start, i));
      } catch {
        return line;
      }
      line++;
      start = i + 1;
    }
  }
  return 1;
}
