// File-scope declarations recognised from one line of code. Kernel style
// starts every file-scope declaration at column 0 and indents everything
// else, which makes this reliable where a parser of a partial hunk is not
// (`void __init foo(void)` at the top of a hunk often parses as an ERROR).
//
// The shapes were once regular expressions with a repeated group of words
// (`(?:word[\s*]+)+name\s*\(`); on a line of 81 characters they backtracked
// for over a minute. This is the same grammar read by one forward scan, so
// its cost is linear in the line's length whatever the line holds.

export type DeclarationKind = "function" | "variable" | "hook" | "export";

export interface Declaration {
  name: string;
  kind: DeclarationKind;
  isStatic: boolean;
  isExtern: boolean;
  isWeak: boolean;
  /** A definition (body or initialiser or storage), not only a declaration. */
  isDefinition: boolean;
}

const NOT_A_TYPE = new Set(["return", "typedef", "if", "else", "for", "while", "do", "switch", "case", "goto", "sizeof"]);
const MACRO_CALL = /^[A-Z][A-Z0-9_]*$/;
const EXPORT = /^EXPORT_SYMBOL(?:_GPL)?(?:_NS(?:_GPL)?)?\s*\(\s*(\w+)/;

export function fileScopeDeclaration(code: string): Declaration | null {
  if (code === "" || /^\s/.test(code) || code.startsWith("#") || code.startsWith("}")) return null;
  const exported = EXPORT.exec(code);
  if (exported) return { name: exported[1]!, kind: "export", isStatic: false, isExtern: false, isWeak: false, isDefinition: false };
  return hookDeclaration(code) ?? functionDeclaration(code) ?? variableDeclaration(code);
}

// --- a cursor over one line -------------------------------------------------

const isIdStart = (c: number) => (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;
const isWord = (c: number) => isIdStart(c) || (c >= 48 && c <= 57);
const isSpace = (c: number) => c === 32 || c === 9 || c === 10 || c === 13 || c === 11 || c === 12;

/** End of the identifier starting at `i`, or -1 when none starts there. */
function identifierEnd(s: string, i: number): number {
  if (i >= s.length || !isIdStart(s.charCodeAt(i))) return -1;
  let j = i + 1;
  while (j < s.length && isWord(s.charCodeAt(j))) j++;
  return j;
}

function skipSpaces(s: string, i: number): number {
  while (i < s.length && isSpace(s.charCodeAt(i))) i++;
  return i;
}

/** A separator between the words of a type: one or more spaces or stars. */
function separator(s: string, i: number): { end: number; star: boolean } | null {
  let j = i;
  let star = false;
  while (j < s.length) {
    const c = s.charCodeAt(j);
    if (c === 42) star = true;
    else if (!isSpace(c)) break;
    j++;
  }
  return j > i ? { end: j, star } : null;
}

/** End after `(...)` with no parenthesis inside, from the `(` at `i`; -1 when there is none. */
function flatGroupEnd(s: string, i: number, open: string, close: string): number {
  if (s[i] !== open) return -1;
  for (let j = i + 1; j < s.length; j++) {
    if (s[j] === close) return j + 1;
    if (open === "(" && s[j] === "(") return -1;
  }
  return -1;
}

interface Word {
  name: string;
  start: number;
  end: number;
}

// --- the three shapes ---------------------------------------------------------

/** `type (*name)(`: a function pointer at file scope, the form of an arch hook. */
function hookDeclaration(code: string): Declaration | null {
  let i = 0;
  let words = 0;
  for (;;) {
    const end = identifierEnd(code, i);
    if (end < 0) return null;
    words++;
    const sep = separator(code, end);
    if (!sep) return null;
    if (code[sep.end] !== "(") {
      i = sep.end;
      continue;
    }
    let j = skipSpaces(code, sep.end + 1);
    if (code[j] !== "*") return null;
    j = skipSpaces(code, j + 1);
    const nameEnd = identifierEnd(code, j);
    if (nameEnd < 0) return null;
    const name = code.slice(j, nameEnd);
    j = skipSpaces(code, nameEnd);
    if (code[j] !== ")") return null;
    j = skipSpaces(code, j + 1);
    if (code[j] !== "(" || words === 0) return null;
    const prefix = code.slice(0, sep.end);
    if (/\btypedef\b/.test(prefix)) return null;
    return declaration(name, "hook", prefix, code.includes("=", j) || !/\bextern\b/.test(prefix));
  }
}

/**
 * `type words name(`: the name is the last word followed by `(` that has
 * words before it; a word may carry a flat argument list when more words
 * follow (`__printf(1, 2) int foo(`).
 */
function functionDeclaration(code: string): Declaration | null {
  const prefixWords: Word[] = [];
  let candidate: { name: Word; words: number } | null = null;
  let i = 0;
  for (;;) {
    const end = identifierEnd(code, i);
    if (end < 0) break;
    const word = { name: code.slice(i, end), start: i, end };
    const afterWord = skipSpaces(code, end);
    if (code[afterWord] === "(") {
      if (prefixWords.length > 0) candidate = { name: word, words: prefixWords.length };
      const groupEnd = flatGroupEnd(code, afterWord, "(", ")");
      const sep = groupEnd < 0 ? null : separator(code, groupEnd);
      if (!sep || identifierEnd(code, sep.end) < 0) break;
      prefixWords.push(word);
      i = sep.end;
      continue;
    }
    const sep = separator(code, end);
    if (!sep || identifierEnd(code, sep.end) < 0) break;
    prefixWords.push(word);
    i = sep.end;
  }
  if (!candidate) return null;
  const words = prefixWords.slice(0, candidate.words).map((w) => w.name);
  if (words.some((w) => NOT_A_TYPE.has(w)) || words.every((w) => MACRO_CALL.test(w))) return null;
  const prefix = code.slice(0, candidate.name.start);
  const isPrototype = /\)\s*;\s*$/.test(code);
  return declaration(candidate.name.name, "function", prefix, !isPrototype && !/\bextern\b/.test(prefix));
}

interface Item extends Word {
  /** The separator before this word held a star. */
  starBefore: boolean;
  /** A `[...]` follows the word. */
  bracket: boolean;
  /** A `(...)` follows the word (only attributes may have one). */
  group: boolean;
}

/**
 * `type words name [dims] __attrs(...) =|;|,`. Attributes (`__read_mostly`,
 * `__aligned(8)`) follow the name, so the name is the last plain word that
 * only attributes follow.
 */
function variableDeclaration(code: string): Declaration | null {
  const items: Item[] = [];
  let i = 0;
  let starBefore = false;
  let terminator = -1;
  for (;;) {
    const end = identifierEnd(code, i);
    if (end < 0) return null;
    const item: Item = { name: code.slice(i, end), start: i, end, starBefore, bracket: false, group: false };
    items.push(item);
    let j = skipSpaces(code, end);
    if (code[j] === "[") {
      const close = flatGroupEnd(code, j, "[", "]");
      if (close < 0) return null;
      item.bracket = true;
      j = skipSpaces(code, close);
    }
    if (code[j] === "(") {
      const close = flatGroupEnd(code, j, "(", ")");
      if (close < 0) return null;
      item.group = true;
      j = skipSpaces(code, close);
    }
    const c = code[j];
    if (c === "=" || c === ";" || c === ",") {
      terminator = j;
      break;
    }
    const sep = item.bracket || item.group ? { end: j, star: false } : separator(code, end);
    if (!sep || identifierEnd(code, sep.end) < 0) return null;
    starBefore = sep.star;
    i = sep.end;
  }
  if (terminator < 0 || items.length < 2) return null;

  // After the name only attributes, each without a star before it. The
  // name is the last word that only attributes follow; which `__word` is an
  // attribute and which a name (`extern int __num_cores_per_package;`) is
  // told by the kernel's list of variable attributes.
  let name = items.length - 1;
  while (name > 1 && isVariableAttribute(items[name]!) && !items[name]!.starBefore && !items[name]!.bracket) name--;
  for (let p = 0; p < name; p++) if (items[p]!.bracket || items[p]!.group) return null;
  if (items[name]!.group) return null;
  const words = items.slice(0, name).map((w) => w.name);
  if (words.some((w) => NOT_A_TYPE.has(w))) return null;
  const last = words[words.length - 1]!;
  if ((last === "struct" || last === "union" || last === "enum") && !items[name]!.starBefore) return null;
  const prefix = code.slice(0, items[name]!.start);
  return declaration(items[name]!.name, "variable", prefix, !/\bextern\b/.test(prefix));
}

const ATTRIBUTE = /^__(?:read_mostly|ro_after_init|lsm_ro_after_init|initdata|initconst|exitdata|meminitdata|refdata|refconst|cpuinitdata|devinitdata|page_aligned_data|page_aligned_bss|cacheline_aligned|cacheline_aligned_in_smp|aligned|section|used|maybe_unused|always_unused|packed|nosavedata|bss_decrypted|percpu|weak|visible|latent_entropy|attribute__|randomize_layout|gfp_aligned)$/;

function isVariableAttribute(item: Item): boolean {
  return item.group ? item.name.startsWith("__") : ATTRIBUTE.test(item.name);
}

function declaration(name: string, kind: DeclarationKind, prefix: string, isDefinition: boolean): Declaration {
  return {
    name,
    kind,
    isStatic: /\bstatic\b/.test(prefix),
    isExtern: /\bextern\b/.test(prefix),
    isWeak: /\b__weak\b|\bweak\b/.test(prefix),
    isDefinition,
  };
}

/** Identifiers in a line of code (comments already blanked, strings emptied). */
export function identifiersIn(code: string): string[] {
  return code.match(/[A-Za-z_]\w*/g) ?? [];
}
