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

// Copies runs of code with one slice and blanks comments and literal contents
// in bulk: building the line a character at a time made lexing the largest
// cost of a big series, most of it garbage collection.
function lexCLike(texts: string[], startInComment: boolean): LexedLine[] {
  let inComment = startInComment;
  const out: LexedLine[] = [];
  for (const text of texts) {
    if (!inComment && !/["'/]/.test(text)) {
      out.push({ code: text, commentOnly: false });
      continue;
    }
    let code = "";
    let sawComment = false;
    let k = 0;
    while (k < text.length) {
      if (inComment) {
        sawComment = true;
        const close = text.indexOf("*/", k);
        const stop = close === -1 ? text.length : close + 2;
        code += " ".repeat(stop - k);
        k = stop;
        if (close !== -1) inComment = false;
        continue;
      }
      const special = text.slice(k).search(/\/\*|\/\/|["']/);
      if (special === -1) {
        code += text.slice(k);
        break;
      }
      const at = k + special;
      code += text.slice(k, at);
      const c = text[at]!;
      if (c === "/" && text[at + 1] === "*") {
        inComment = true;
        code += "  ";
        k = at + 2;
      } else if (c === "/") {
        sawComment = true;
        code += " ".repeat(text.length - at);
        k = text.length;
      } else {
        const close = findClosingQuote(text, at);
        code += c + " ".repeat(Math.max(0, close - at - 1)) + (close < text.length ? c : "");
        k = close + 1;
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
  // Most Makefile and Kconfig lines have neither: the line is its own code,
  // not a copy built a character at a time.
  if (!text.includes("#") && !text.includes('"')) return { code: text, commentOnly: false };
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
