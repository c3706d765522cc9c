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

/**
 * A separator between the words of a type: one or more spaces or stars.
 * Returns its end times two, plus one when it holds a star, or -1 when there
 * is none: a number, not an object, so a line of thousands of words
 * allocates nothing per word.
 */
function separator(s: string, i: number): number {
  let j = i;
  let star = 0;
  while (j < s.length) {
    const c = s.charCodeAt(j);
    if (c === 42) star = 1;
    else if (!isSpace(c)) break;
    j++;
  }
  return j > i ? j * 2 + star : -1;
}
const sepEnd = (sep: number) => sep >> 1;
const sepStar = (sep: number) => (sep & 1) === 1;

/** End after `(...)` with no parenthesis inside, from the `(` at `i`; -1 when there is none. */
function flatGroupEnd(s: string, i: number, open: string, close: string): number {
  if (s[i] !== open) return -1;
  for (let j = i + 1; j < s.length; j++) {
    if (s[j] === close) return j + 1;
    if (open === "(" && s[j] === "(") return -1;
  }
  return -1;
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
    if (sep < 0) return null;
    if (code[sepEnd(sep)] !== "(") {
      i = sepEnd(sep);
      continue;
    }
    let j = skipSpaces(code, sepEnd(sep) + 1);
    if (code[j] !== "*") return null;
    j = skipSpaces(code, j + 1);
    const nameEnd = identifierEnd(code, j);
    if (nameEnd < 0) return null;
    const name = code.slice(j, nameEnd);
    j = skipSpaces(code, nameEnd);
    if (code[j] !== ")") return null;
    j = skipSpaces(code, j + 1);
    if (code[j] !== "(" || words === 0) return null;
    const prefix = code.slice(0, sepEnd(sep));
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
  // Offsets of the words before the current one, as pairs, and the candidate
  // name: the last word followed by `(` that has words before it.
  const prefix: number[] = [];
  let nameStart = -1;
  let nameEnd = -1;
  let nameWords = 0;
  let i = 0;
  for (;;) {
    const end = identifierEnd(code, i);
    if (end < 0) break;
    const afterWord = skipSpaces(code, end);
    let next: number;
    if (code[afterWord] === "(") {
      if (prefix.length > 0) {
        nameStart = i;
        nameEnd = end;
        nameWords = prefix.length / 2;
      }
      const groupEnd = flatGroupEnd(code, afterWord, "(", ")");
      next = groupEnd < 0 ? -1 : separator(code, groupEnd);
    } else {
      next = separator(code, end);
    }
    if (next < 0 || identifierEnd(code, sepEnd(next)) < 0) break;
    prefix.push(i, end);
    i = sepEnd(next);
  }
  if (nameStart < 0) return null;
  const words: string[] = [];
  for (let k = 0; k < nameWords; k++) words.push(code.slice(prefix[2 * k]!, prefix[2 * k + 1]!));
  if (words.some((w) => NOT_A_TYPE.has(w)) || words.every((w) => MACRO_CALL.test(w))) return null;
  const before = code.slice(0, nameStart);
  const isPrototype = /\)\s*;\s*$/.test(code);
  return declaration(code.slice(nameStart, nameEnd), "function", before, !isPrototype && !/\bextern\b/.test(before));
}

// Per word of a variable declaration: its offsets and what surrounds it,
// kept in flat arrays of numbers rather than an object per word.
const STAR_BEFORE = 1; // the separator before the word held a star
const BRACKET = 2; // a `[...]` follows the word
const GROUP = 4; // a `(...)` follows the word (only attributes may have one)

/**
 * `type words name [dims] __attrs(...) =|;|,`. Attributes (`__read_mostly`,
 * `__aligned(8)`) follow the name, so the name is the last plain word that
 * only attributes follow.
 */
function variableDeclaration(code: string): Declaration | null {
  const starts: number[] = [];
  const ends: number[] = [];
  const marks: number[] = [];
  let i = 0;
  let starBefore = 0;
  for (;;) {
    const end = identifierEnd(code, i);
    if (end < 0) return null;
    let mark = starBefore;
    let j = skipSpaces(code, end);
    if (code[j] === "[") {
      const close = flatGroupEnd(code, j, "[", "]");
      if (close < 0) return null;
      mark |= BRACKET;
      j = skipSpaces(code, close);
    }
    if (code[j] === "(") {
      const close = flatGroupEnd(code, j, "(", ")");
      if (close < 0) return null;
      mark |= GROUP;
      j = skipSpaces(code, close);
    }
    starts.push(i);
    ends.push(end);
    marks.push(mark);
    const c = code[j];
    if (c === "=" || c === ";" || c === ",") break;
    const sep = mark & (BRACKET | GROUP) ? j * 2 : separator(code, end);
    if (sep < 0 || identifierEnd(code, sepEnd(sep)) < 0) return null;
    starBefore = sepStar(sep) ? STAR_BEFORE : 0;
    i = sepEnd(sep);
  }
  if (starts.length < 2) return null;

  // After the name only attributes, each without a star before it. The
  // name is the last word that only attributes follow; which `__word` is an
  // attribute and which a name (`extern int __num_cores_per_package;`) is
  // told by the kernel's list of variable attributes.
  const word = (k: number) => code.slice(starts[k]!, ends[k]!);
  const isAttribute = (k: number) =>
    ends[k]! - starts[k]! > 2 && code.startsWith("__", starts[k]!) && !(marks[k]! & (STAR_BEFORE | BRACKET)) && (marks[k]! & GROUP ? true : ATTRIBUTE.test(word(k)));
  let name = starts.length - 1;
  while (name > 1 && isAttribute(name)) name--;
  for (let p = 0; p < name; p++) if (marks[p]! & (BRACKET | GROUP)) return null;
  if (marks[name]! & GROUP) return null;
  const words: string[] = [];
  for (let k = 0; k < name; k++) words.push(word(k));
  if (words.some((w) => NOT_A_TYPE.has(w))) return null;
  const last = words[words.length - 1]!;
  if ((last === "struct" || last === "union" || last === "enum") && !(marks[name]! & STAR_BEFORE)) return null;
  const prefix = code.slice(0, starts[name]!);
  return declaration(word(name), "variable", prefix, !/\bextern\b/.test(prefix));
}

const ATTRIBUTE = /^__(?:read_mostly|ro_after_init|lsm_ro_after_init|initdata|initconst|exitdata|meminitdata|refdata|refconst|cpuinitdata|devinitdata|page_aligned_data|page_aligned_bss|cacheline_aligned|cacheline_aligned_in_smp|aligned|section|used|maybe_unused|always_unused|packed|nosavedata|bss_decrypted|percpu|weak|visible|latent_entropy|attribute__|randomize_layout|gfp_aligned)$/;

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
