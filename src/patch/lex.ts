// Line-level lexing of source snippets: which characters are code. Rules
// match tokens against `code`, where comments are blanked and string
// literals emptied, so `/* xen_pv_domain() */` or a printk format never
// counts as code. Column positions are kept (blanking, not deleting).

export type Language = "c" | "asm" | "kconfig" | "make" | "other";

export interface LexedLine {
  code: string;
  /** The line has text, but all of it is comment. */
  commentOnly: boolean;
}

export function languageOf(path: string): Language {
  const base = path.slice(path.lastIndexOf("/") + 1);
  if (/\.(c|h)$/.test(base)) return "c";
  if (/\.(S|s)$/.test(base) || base.endsWith(".lds.S")) return "asm";
  if (/^Kconfig/.test(base)) return "kconfig";
  if (/^(Makefile|Kbuild)/.test(base) || base.endsWith(".mk")) return "make";
  return "other";
}

/** Guesses whether a snippet starts inside a block comment: it closes one before opening any. */
export function startsInsideComment(texts: string[]): boolean {
  for (const t of texts) {
    const open = t.indexOf("/*");
    const close = t.indexOf("*/");
    if (close !== -1 && (open === -1 || close < open)) return true;
    if (open !== -1) return false;
  }
  return false;
}

export function lexSnippet(texts: string[], language: Language): LexedLine[] {
  if (language === "c" || language === "asm") return lexCLike(texts, startsInsideComment(texts));
  if (language === "kconfig" || language === "make") return texts.map(lexHashComment);
  return texts.map((t) => ({ code: t, commentOnly: false }));
}

function lexCLike(texts: string[], startInComment: boolean): LexedLine[] {
  let inComment = startInComment;
  const out: LexedLine[] = [];
  for (const text of texts) {
    let code = "";
    let sawComment = false;
    let k = 0;
    while (k < text.length) {
      const c = text[k]!;
      const next = text[k + 1];
      if (inComment) {
        sawComment = true;
        if (c === "*" && next === "/") {
          inComment = false;
          code += "  ";
          k += 2;
        } else {
          code += " ";
          k++;
        }
      } else if (c === "/" && next === "*") {
        inComment = true;
        code += "  ";
        k += 2;
      } else if (c === "/" && next === "/") {
        sawComment = true;
        code += " ".repeat(text.length - k);
        k = text.length;
      } else if (c === '"' || c === "'") {
        const close = findClosingQuote(text, k);
        code += c + " ".repeat(close - k - 1) + (close < text.length ? c : "");
        k = close + 1;
      } else {
        code += c;
        k++;
      }
    }
    out.push({ code, commentOnly: sawComment && code.trim() === "" });
  }
  return out;
}

function findClosingQuote(text: string, open: number): number {
  const q = text[open];
  for (let k = open + 1; k < text.length; k++) {
    if (text[k] === "\\") k++;
    else if (text[k] === q) return k;
  }
  return text.length;
}

function lexHashComment(text: string): LexedLine {
  let code = "";
  for (let k = 0; k < text.length; k++) {
    const c = text[k]!;
    if (c === "#" && text[k - 1] !== "\\") {
      const comment = text.length - k;
      return { code: code + " ".repeat(comment), commentOnly: code.trim() === "" };
    }
    if (c === '"') {
      const close = findClosingQuote(text, k);
      code += c + " ".repeat(Math.max(0, close - k - 1)) + (close < text.length ? c : "");
      k = close;
      continue;
    }
    code += c;
  }
  return { code, commentOnly: false };
}
