import { budgetOf, type AnalysisBudget } from "./budget.js";
import { parseC, stepsFor, structureOf, type SyntaxNode } from "./c-parser.js";
import { languageOf, lexSnippet, type Language, type LexedLine } from "./lex.js";
import type { DiffLine, FileChange, Hunk, InputWarning, Series } from "./types.js";

// What a rule may ask about a changed line beyond its text: is it code,
// which conditions does it contain or lie under, which function or struct is
// it in. Each file is analysed once, on first request, and shared by all rules.

export type ConditionKind = "if" | "while" | "for" | "switch" | "ternary" | "return" | "#if" | "#ifdef" | "#ifndef" | "#elif" | "#else";

export interface Condition {
  kind: ConditionKind;
  /** The condition expression's text (for `#else`, the text of the `#if` it negates). */
  text: string;
  /** New-side lines the expression itself spans. */
  startLine: number;
  endLine: number;
  /** New-side lines governed by the condition (the branch or block), when known. */
  bodyStart: number;
  bodyEnd: number;
}

export interface FunctionInfo {
  name: string;
  /** New-side line of the name. */
  line: number;
  endLine: number;
  isStatic: boolean;
  isWeak: boolean;
  /** False for a prototype. */
  isDefinition: boolean;
}

export interface StructMember {
  struct: string | null;
  member: string | null;
}

export interface FileView {
  readonly file: FileChange;
  readonly language: Language;
  /**
   * Hunk `hunk`'s lines of one side (new: context and added; old: context
   * and removed), each with its lexed form, lexed as that side's file reads.
   */
  sideOf(hunk: number, side: "new" | "old"): { lines: readonly DiffLine[]; lexed: readonly LexedLine[] };
  /** Conditions whose expression includes (part of) this new-side line. */
  conditionsContaining(newLine: number): Condition[];
  /** Conditions this new-side line lies under, outermost first, preprocessor ones included. */
  conditionsAround(newLine: number): Condition[];
  functionAt(newLine: number): string | null;
  structMemberAt(newLine: number): StructMember | null;
  /** Functions defined or declared in the post-image snippets. */
  functions(): FunctionInfo[];
  /**
   * What was left out of the analysis so far (a snippet over a size or time
   * budget, nesting too deep): a rule that found nothing on such a line can
   * say it was not fully checked. Hunks are analysed on first request, so
   * this lists the hunks asked about until now.
   */
  skipped(): AnalysisNote[];
}

export interface AnalysisNote {
  /** New-side line the note is about (the hunk's first line, or the line itself). */
  line: number;
  /** Where that hunk starts in the input. */
  inputLine: number;
  message: string;
}

/**
 * The notes of every view built so far, as input warnings (`path: message`
 * at the hunk's input line): for a caller to print or post after the rules
 * ran, so that what was not analysed is never silent.
 */
export function analysisWarnings(series: Series): InputWarning[] {
  const out: InputWarning[] = [];
  for (const file of series.files) {
    const v = views.get(file);
    if (!v) continue;
    const source = series.commits[file.commitIndex]?.source.name ?? "";
    for (const n of v.skipped()) out.push({ source, line: n.inputLine, message: `${file.newPath ?? file.oldPath}:${n.line}: ${n.message}` });
  }
  return out;
}

const views = new WeakMap<FileChange, FileView>();

export function viewOf(file: FileChange, maxParseBytes: number): FileView {
  let v = views.get(file);
  if (!v) {
    v = buildView(file, maxParseBytes);
    views.set(file, v);
  }
  return v;
}

interface HunkAnalysis {
  conditions: Condition[];
  /** Per new-side line: the conditions it lies under and those whose expression it is part of. */
  around: Map<number, Condition[]>;
  containing: Map<number, Condition[]>;
  functions: FunctionInfo[];
  members: Map<number, StructMember>;
  /** For each new line in the hunk, the function it lies in. */
  enclosingFunction: Map<number, string>;
}

function buildView(file: FileChange, maxParseBytes: number): FileView {
  const language = languageOf(file.newPath ?? file.oldPath ?? "");
  const notes: AnalysisNote[] = [];
  // Each side's lines in arrays by hunk, not a map from every line: a map
  // entry per line of a long range was a fifth of the views' memory.
  const posts: { post: DiffLine[]; lexed: LexedLine[] }[] = [];
  const pres: { lines: DiffLine[]; lexed: LexedLine[] }[] = [];
  for (const hunk of file.hunks) {
    const post = hunk.lines.filter((l) => l.kind !== "removed");
    // A line of a language with no comments to blank is its own code: it is
    // answered when asked (sideOf), not held for every line of every such file
    // (device trees, docs, defconfigs: most lines of a long range).
    if (language === "other") {
      posts.push({ post, lexed: [] });
      continue;
    }
    const pre = hunk.lines.filter((l) => l.kind !== "added");
    posts.push({ post, lexed: lexSnippet(post.map((l) => l.text), language) });
    pres.push({ lines: pre, lexed: lexSnippet(pre.map((l) => l.text), language) });
  }
  const sideOf = (k: number, side: "new" | "old") => {
    if (language === "other") {
      const lines = file.hunks[k]!.lines.filter((l) => l.kind !== (side === "new" ? "removed" : "added"));
      return { lines, lexed: lexSnippet(lines.map((l) => l.text), language) };
    }
    if (side === "old") return pres[k]!;
    const { post, lexed } = posts[k]!;
    return { lines: post, lexed };
  };

  // Parsing is the expensive part and most lines never need it: a hunk is
  // analysed the first time a rule asks about one of its lines.
  const analyses: (HunkAnalysis | undefined)[] = [];
  const analysisOf = (k: number): HunkAnalysis => {
    let a = analyses[k];
    if (!a) {
      const { post, lexed } = posts[k]!;
      const hunk = file.hunks[k]!;
      const inputLine = Math.max(1, (hunk.lines[0]?.inputLine ?? 2) - 1);
      const note = (message: string) => notes.push({ line: hunk.newStart, inputLine, message });
      // Asked for here, not when the view is built: a view may be built while
      // its series is still being read, before the series' budget is attached.
      const budget = budgetOf(file);
      a = { conditions: [], around: new Map(), containing: new Map(), functions: [], members: new Map(), enclosingFunction: new Map() };
      if (language === "c" || language === "asm") a.conditions.push(...preprocessorConditions(post, lexed));
      if (language === "c") analyzeC(hunk, post, lexed, maxParseBytes, budget, note, a);
      indexConditions(a, post.map((l) => l.newLine!), budget.limits.maxNestingDepth, note);
      analyses[k] = a;
    }
    return a;
  };
  // Hunks in new-line order, for a binary search: scanning all hunks for
  // every line asked about was quadratic in a file of many small hunks.
  const order = file.hunks.map((_h, k) => k).sort((x, y) => file.hunks[x]!.newStart - file.hunks[y]!.newStart);
  const hunkIndexAt = (n: number): number => {
    let lo = 0;
    let hi = order.length - 1;
    let found = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (file.hunks[order[mid]!]!.newStart <= n) {
        found = mid;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    if (found === -1) return -1;
    const h = file.hunks[order[found]!]!;
    return n < h.newStart + Math.max(h.newCount, 1) ? order[found]! : -1;
  };
  const hunkAt = (n: number): HunkAnalysis | null => {
    const k = hunkIndexAt(n);
    return k === -1 ? null : analysisOf(k);
  };
  // git's section line names the function the hunk starts in. Past the
  // closing `}` at column 0 that function has ended: a later line is in a
  // function whose header the hunk shows (the parse names it) or in one we
  // cannot name, never in the function above it.
  const sectionEnds = new Map<number, number>();
  const sectionFunction = (n: number): string | null => {
    if (language !== "c") return null;
    const k = hunkIndexAt(n);
    if (k === -1) return null;
    let end = sectionEnds.get(k);
    if (end === undefined) {
      end = Infinity;
      for (const l of file.hunks[k]!.lines) {
        if (l.kind !== "removed" && l.newLine !== undefined && l.text.startsWith("}")) {
          end = l.newLine;
          break;
        }
      }
      sectionEnds.set(k, end);
    }
    return n > end ? null : functionNameFromSection(file.hunks[k]!.section);
  };
  return {
    file,
    language,
    sideOf,
    conditionsContaining: (n) => [...(hunkAt(n)?.containing.get(n) ?? [])],
    conditionsAround: (n) => [...(hunkAt(n)?.around.get(n) ?? [])],
    functionAt: (n) => hunkAt(n)?.enclosingFunction.get(n) ?? sectionFunction(n),
    structMemberAt: (n) => hunkAt(n)?.members.get(n) ?? null,
    functions: () => file.hunks.flatMap((_h, k) => analysisOf(k).functions),
    skipped: () => [...notes],
  };
}

/**
 * Which conditions each line lies under or in, computed once per hunk.
 * Filtering every condition of the hunk for every line asked about was
 * quadratic in a hunk of many `#if` blocks. Where conditions nest deeper
 * than `maxDepth`, a line keeps the innermost ones: those are the ones that
 * decide it, and padding with outer blocks must not hide a special case.
 */
function indexConditions(a: HunkAnalysis, lines: number[], maxDepth: number, note: (message: string) => void): void {
  const order = new Map(a.conditions.map((c, k) => [c, k]));
  const pp = a.conditions.filter((c) => c.kind.startsWith("#"));
  const cc = a.conditions.filter((c) => !c.kind.startsWith("#"));
  let deepest = 0;
  const sweep = (items: Condition[], lo: (c: Condition) => number, hi: (c: Condition) => number, skip: (c: Condition, n: number) => boolean, table: Map<number, Condition[]>) => {
    deepest = Math.max(deepest, innermostPerLine(items, lo, hi, lines, maxDepth, skip, table));
  };
  // Preprocessor and C conditions come from separate passes and each nests
  // properly; they are swept apart so that one family's blocks never cross
  // the other's on one stack.
  const notInExpr = (c: Condition, n: number) => c.startLine <= n && n <= c.endLine;
  for (const family of [pp, cc]) sweep(family, (c) => c.bodyStart, (c) => c.bodyEnd, notInExpr, a.around);
  // Expressions on one line (most) are listed whatever their number; only
  // expressions spanning lines are swept.
  const multi = a.conditions.filter((c) => c.endLine > c.startLine);
  for (const c of a.conditions) if (c.endLine === c.startLine) push(a.containing, c.startLine, c);
  for (const family of [multi.filter((c) => c.kind.startsWith("#")), multi.filter((c) => !c.kind.startsWith("#"))]) {
    sweep(family, (c) => c.startLine, (c) => c.endLine, () => false, a.containing);
  }
  if (deepest > maxDepth) note(`conditions nested ${deepest} deep: lines list only the innermost ${maxDepth}`);
  // An enclosing condition starts no later than what it encloses: order by
  // start, then as the passes found them.
  for (const list of a.around.values()) list.sort((x, y) => x.startLine - y.startLine || order.get(x)! - order.get(y)!);
  for (const list of a.containing.values()) list.sort((x, y) => order.get(x)! - order.get(y)!);
}

/**
 * Adds to `table` each line's innermost `maxDepth` items among those whose
 * `[lo, hi]` covers it, sweeping the lines once with a stack. Returns the
 * deepest nesting seen. Costs the items plus `maxDepth` per line.
 */
function innermostPerLine(
  items: Condition[],
  lo: (c: Condition) => number,
  hi: (c: Condition) => number,
  lines: number[],
  maxDepth: number,
  skip: (c: Condition, n: number) => boolean,
  table: Map<number, Condition[]>,
): number {
  const sorted = items.filter((c) => hi(c) >= lo(c)).sort((x, y) => lo(x) - lo(y) || hi(y) - hi(x));
  const stack: Condition[] = [];
  let p = 0;
  let deepest = 0;
  for (const n of lines) {
    while (p < sorted.length && lo(sorted[p]!) <= n) {
      const c = sorted[p++]!;
      while (stack.length > 0 && hi(stack[stack.length - 1]!) < lo(c)) stack.pop();
      stack.push(c);
    }
    while (stack.length > 0 && hi(stack[stack.length - 1]!) < n) stack.pop();
    deepest = Math.max(deepest, stack.length);
    for (let k = Math.max(0, stack.length - maxDepth); k < stack.length; k++) {
      const c = stack[k]!;
      if (hi(c) >= n && lo(c) <= n && !skip(c, n)) push(table, n, c);
    }
  }
  return deepest;
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

/**
 * Keeps the items (line intervals) with fewer than `maxDepth` levels of
 * other items nested inside them, in their original order: deep nesting
 * loses its outermost levels, never the innermost that decide a line. Any
 * line is then covered by at most `maxDepth` kept items, so filling
 * per-line tables costs at most `maxDepth` times the lines.
 */
export function capNesting<T>(items: T[], lo: (t: T) => number, hi: (t: T) => number, maxDepth: number): { kept: T[]; dropped: number } {
  // Read once: for a syntax node each is a call into the parser, and the sort asked n log n times.
  const starts = items.map(lo);
  const ends = items.map(hi);
  const order = items.map((_t, k) => k).sort((x, y) => starts[x]! - starts[y]! || ends[y]! - ends[x]!);
  // height[k]: the longest chain of items nested inside item k.
  const height = new Array<number>(items.length).fill(0);
  const stack: number[] = [];
  const pop = () => {
    const k = stack.pop()!;
    const parent = stack[stack.length - 1];
    if (parent !== undefined) height[parent] = Math.max(height[parent]!, height[k]! + 1);
  };
  for (const k of order) {
    if (ends[k]! < starts[k]!) continue; // covers no line
    while (stack.length > 0 && ends[stack[stack.length - 1]!]! < starts[k]!) pop();
    stack.push(k);
  }
  while (stack.length > 0) pop();
  const kept = items.filter((_t, k) => height[k]! < maxDepth);
  return { kept, dropped: items.length - kept.length };
}

/**
 * git's hunk section is usually the enclosing function's signature line. Only
 * trust it when it looks like a definition (a type before the name), not a
 * macro invocation such as `SYM_CODE_START(foo)` or `DECLARE_IDTENTRY(...)`.
 */
export function functionNameFromSection(section: string): string | null {
  // A scanner for `^\s*(?:[A-Za-z_]\w*[\s*]+)+\**([A-Za-z_]\w*)\s*\(`: the
  // regular expression backtracks quadratically on a long run of `*`.
  let k = 0;
  const n = section.length;
  while (k < n && isSpace(section[k]!)) k++;
  let words = 0;
  while (k < n && isIdentStart(section[k]!)) {
    const start = k;
    while (k < n && isIdentChar(section[k]!)) k++;
    const word = section.slice(start, k);
    words++;
    let j = k;
    while (j < n && isSpace(section[j]!)) j++;
    if (section[j] === "(") {
      if (words < 2 || /^(if|for|while|switch|return|sizeof)$/.test(word)) return null;
      return word;
    }
    const sepStart = k;
    while (k < n && (isSpace(section[k]!) || section[k] === "*")) k++;
    if (k === sepStart) return null;
  }
  return null;
}

function isSpace(c: string): boolean {
  return c === " " || c === "\t" || c === "\n" || c === "\r" || c === "\f" || c === "\v";
}

function isIdentStart(c: string): boolean {
  return (c >= "A" && c <= "Z") || (c >= "a" && c <= "z") || c === "_";
}

function isIdentChar(c: string): boolean {
  return isIdentStart(c) || (c >= "0" && c <= "9");
}

// Preprocessor conditions, tracked line by line. tree-sitter's view of them
// falls apart when a hunk opens or closes a block it does not show, which
// hunks often do; a stack over the directives is exact for what is visible.
function preprocessorConditions(post: DiffLine[], lexed: LexedLine[]): Condition[] {
  const out: Condition[] = [];
  const stack: Condition[] = [];
  const lastLine = post.length ? post[post.length - 1]!.newLine! : 0;
  for (let k = 0; k < post.length; k++) {
    const first = lexed[k]!.code;
    // Only a directive is joined with its continuation lines: joining every
    // line that ends in `\` (macro bodies) again from each of its lines was
    // cubic in a long `#define`.
    if (!/^\s*#/.test(first)) continue;
    const startLine = post[k]!.newLine!;
    let endK = k;
    let code = first;
    if (first.trimEnd().endsWith("\\")) {
      const parts = [first.trimEnd().slice(0, -1)];
      while (endK + 1 < post.length) {
        endK++;
        const next = lexed[endK]!.code;
        const trimmed = next.trimEnd();
        if (!trimmed.endsWith("\\")) {
          parts.push(next);
          break;
        }
        parts.push(trimmed.slice(0, -1));
      }
      code = parts.join(" ");
    }
    const m = code.match(/^\s*#\s*(if|ifdef|ifndef|elif|elifdef|elifndef|else|endif)\b(.*)$/);
    if (!m) {
      // The continuation lines belong to this directive (a `#define`), even those starting with `#`.
      k = endK;
      continue;
    }
    const directive = m[1]!;
    const expr = m[2]!.trim();
    const endLine = post[endK]!.newLine!;
    const open = (kind: ConditionKind, text: string) => {
      const c: Condition = { kind, text, startLine, endLine, bodyStart: endLine + 1, bodyEnd: lastLine };
      stack.push(c);
      out.push(c);
    };
    const close = () => {
      const top = stack.pop();
      if (top) top.bodyEnd = startLine - 1;
      return top;
    };
    if (directive === "if") open("#if", expr);
    else if (directive === "ifdef") open("#ifdef", expr);
    else if (directive === "ifndef") open("#ifndef", expr);
    else if (directive.startsWith("elif")) {
      close();
      open("#elif", directive === "elif" ? expr : `${directive === "elifndef" ? "!" : ""}defined(${expr})`);
    } else if (directive === "else") {
      const top = close();
      open("#else", top ? top.text : "");
    } else if (directive === "endif") {
      close();
    }
    k = endK;
  }
  return out;
}

const STATEMENT_CONDITIONS: Record<string, ConditionKind> = {
  if_statement: "if",
  while_statement: "while",
  do_statement: "while",
  for_statement: "for",
  switch_statement: "switch",
  conditional_expression: "ternary",
};

function analyzeC(
  hunk: Hunk,
  post: DiffLine[],
  lexed: LexedLine[],
  maxParseBytes: number,
  budget: AnalysisBudget,
  note: (message: string) => void,
  out: HunkAnalysis,
): void {
  if (post.length === 0) return;
  const { maxLineBytes, parseTimeoutMs, maxNestingDepth } = budget.limits;
  // Parse the lexed code, not the raw text: comments are blanked, so a hunk
  // that starts inside a comment does not derail the parser. A line over the
  // line budget is left out (its row kept empty): line-level rules still see
  // its text, and the lines around it are still parsed.
  let longLines = 0;
  const codeRows = lexed.map((l) => {
    if (l.code.length <= maxLineBytes) return l.code;
    longLines++;
    return "";
  });
  if (longLines > 0) note(`${longLines} line(s) longer than ${maxLineBytes} characters not parsed as C`);
  const source = codeRows.map(blankAnnotations).join("\n");
  if (source.length > maxParseBytes) {
    note(`C snippet of ${source.length} bytes not parsed (limit ${maxParseBytes}): conditions, functions and structs not analysed`);
    return;
  }
  // tree-sitter's query cursor costs the square of the tree's depth (16,000
  // unclosed parentheses: 0.6 s to query a 8 ms parse), so a snippet whose
  // brackets nest deeper than any real code is not parsed.
  const maxBrackets = 4 * maxNestingDepth;
  const depth = bracketDepth(codeRows, maxBrackets);
  if (depth > maxBrackets) {
    note(`brackets nested more than ${maxBrackets} deep: not parsed as C (conditions, functions and structs not analysed)`);
    return;
  }
  const allowedMs = Math.min(parseTimeoutMs, budget.parseMsLeft);
  if (allowedMs <= 0) {
    note("not parsed as C: the series used up its parse time");
    return;
  }
  const started = performance.now();
  const parsed = parseC(source, { maxMs: allowedMs, maxSteps: stepsFor(source.length) });
  const matches = parsed.root ? structureOf(parsed.root, Math.max(1, allowedMs - (performance.now() - started))) : null;
  budget.parseMsLeft -= performance.now() - started;
  if (!parsed.root) {
    note(
      parsed.stopped === "steps"
        ? `C parse stopped after ${parsed.steps} steps (budget ${stepsFor(source.length)}): conditions, functions and structs not analysed`
        : `C parse stopped after ${allowedMs} ms: conditions, functions and structs not analysed`,
    );
    return;
  }
  if (!matches!.complete) note(`C structure query stopped after ${allowedMs} ms: some conditions, functions or structs not analysed`);
  const lineOf = (row: number) => post[Math.min(row, post.length - 1)]!.newLine!;
  const functions: SyntaxNode[] = [];
  const structs: SyntaxNode[] = [];
  for (const match of matches!.matches) {
    const capture = match.captures.find((c) => c.name !== "cond")!;
    const node = capture.node;
    if (capture.name === "stmt") {
      const cond = match.captures.find((c) => c.name === "cond")?.node;
      if (!cond) continue;
      if (node.type === "return_statement") {
        out.conditions.push({
          kind: "return",
          text: cond.text,
          startLine: lineOf(cond.startPosition.row),
          endLine: lineOf(cond.endPosition.row),
          bodyStart: lineOf(node.startPosition.row),
          bodyEnd: lineOf(node.endPosition.row),
        });
        continue;
      }
      const body = node.childForFieldName("consequence") ?? node.childForFieldName("body") ?? node;
      const alt = node.childForFieldName("alternative");
      out.conditions.push({
        kind: STATEMENT_CONDITIONS[node.type] ?? "if",
        text: cond.text,
        startLine: lineOf(cond.startPosition.row),
        endLine: lineOf(cond.endPosition.row),
        bodyStart: lineOf(body.startPosition.row),
        bodyEnd: lineOf((alt ?? body).endPosition.row),
      });
    } else if (capture.name === "function" || capture.name === "declaration") {
      functions.push(node);
    } else if (capture.name === "struct") {
      structs.push(node);
    }
  }
  // Each function and struct fills a table row by row: nested ones (error
  // recovery makes functions in functions; structs nest) are capped so the
  // rows filled stay within the depth times the hunk.
  const rowStart = (n: SyntaxNode) => n.startPosition.row;
  const rowEnd = (n: SyntaxNode) => n.endPosition.row;
  const fns = capNesting(functions, rowStart, rowEnd, maxNestingDepth);
  const sts = capNesting(structs, rowStart, rowEnd, maxNestingDepth);
  if (fns.dropped + sts.dropped > 0) note(`functions or structs nested more than ${maxNestingDepth} deep: the outermost ${fns.dropped + sts.dropped} were not analysed`);
  for (const node of fns.kept) recordFunction(node, lineOf, codeRows, out);
  for (const node of sts.kept) recordStructMembers(node, lineOf, out);
  recordMembersOfOpenStruct(hunk, post, lexed, out);
}

/** The deepest nesting of `(`, `[` and `{` in the rows, counted up to just past `limit`. */
function bracketDepth(rows: string[], limit: number): number {
  let depth = 0;
  let max = 0;
  for (const row of rows) {
    for (let k = 0; k < row.length; k++) {
      const c = row.charCodeAt(k);
      if (c === 40 || c === 91 || c === 123) {
        if (++depth > max && (max = depth) > limit) return max;
      } else if ((c === 41 || c === 93 || c === 125) && depth > 0) depth--;
    }
  }
  return max;
}

function findFunctionDeclarator(node: SyntaxNode | null): SyntaxNode | null {
  let n = node;
  while (n) {
    if (n.type === "function_declarator") return n;
    n = n.childForFieldName("declarator");
  }
  return null;
}

// Kernel annotations between the type and the name (`static int __init f(void)`,
// `char __user *buf`) make tree-sitter take the annotation for the declarator
// and miss the function. They are blanked (columns kept) before parsing.
// Two expressions, not one alternation of both: recheck finds the
// alternation quadratic (on `_(` repeated) though each half is linear.
const ANNOTATIONS =
  /\b(?:__init|__exit|__initdata|__initconst|__exitdata|__ref|__refdata|__refconst|__meminit|__meminitdata|__cpuinit|__devinit|__devexit|__weak|__cold|__hot|__always_inline|__inline|noinline|__noinline|nokprobe_inline|notrace|asmlinkage|__visible|__noreturn|__must_check|__maybe_unused|__always_unused|__used|__pure|__sched|__cpuidle|noinstr|__kprobes|__attribute_const__|__latent_entropy|__ro_after_init|__read_mostly|__head|__nocfi|__naked|__noclone|__flatten|__irq_entry|__softirq_entry|__malloc|__user|__iomem|__percpu|__rcu|__force|__bitwise|__private|__kernel)\b/g;
const ANNOTATION_CALLS = /\b(?:__printf|__scanf|__section|__aligned|__acquires|__releases|__must_hold|__alloc_size)\s*\([^()]*\)/g;

function blankAnnotations(code: string): string {
  if (!code.includes("__") && !/\b(?:noinline|notrace|asmlinkage|noinstr|nokprobe_inline)\b/.test(code)) return code;
  const blank = (m: string) => " ".repeat(m.length);
  return code.replace(ANNOTATION_CALLS, blank).replace(ANNOTATIONS, blank);
}

function recordFunction(node: SyntaxNode, lineOf: (row: number) => number, codeRows: string[], out: HunkAnalysis): void {
  const fdecl = findFunctionDeclarator(node.childForFieldName("declarator"));
  if (!fdecl) return;
  // `int (*hook)(void)` declares a pointer, not a function.
  const inner = fdecl.childForFieldName("declarator");
  if (!inner || inner.type !== "identifier") return;
  const name = inner.text;
  const isDefinition = node.type === "function_definition";
  const storage = node.children.filter((c) => c.type === "storage_class_specifier").map((c) => c.text);
  // The annotations were blanked for the parse: read `__weak` from the code before the name.
  const head = codeRows.slice(node.startPosition.row, inner.startPosition.row + 1);
  head[head.length - 1] = (head[head.length - 1] ?? "").slice(0, inner.startPosition.column);
  head[0] = (head[0] ?? "").slice(node.startPosition.column);
  const info: FunctionInfo = {
    name,
    line: lineOf(inner.startPosition.row),
    endLine: lineOf(node.endPosition.row),
    isStatic: storage.includes("static"),
    isWeak: /\b__weak\b|__attribute__\s*\(\(\s*weak/.test(head.join("\n")),
    isDefinition,
  };
  out.functions.push(info);
  if (isDefinition) {
    for (let row = node.startPosition.row; row <= node.endPosition.row; row++) out.enclosingFunction.set(lineOf(row), name);
  }
}

function memberName(field: SyntaxNode): string | null {
  let d = field.childForFieldName("declarator");
  while (d && d.type !== "field_identifier" && d.type !== "identifier") {
    d = d.childForFieldName("declarator") ?? d.namedChildren.find((c) => c.type.endsWith("declarator") || c.type === "field_identifier") ?? null;
  }
  return d?.text ?? null;
}

function recordStructMembers(node: SyntaxNode, lineOf: (row: number) => number, out: HunkAnalysis): void {
  const body = node.childForFieldName("body");
  if (!body) return;
  const name = node.childForFieldName("name")?.text ?? null;
  for (const field of body.namedChildren) {
    if (field.type !== "field_declaration") continue;
    const member: StructMember = { struct: name, member: memberName(field) };
    for (let row = field.startPosition.row; row <= field.endPosition.row; row++) out.members.set(lineOf(row), member);
  }
}

/**
 * A hunk that starts inside a struct body shows members without the
 * `struct x {` line; git names the struct in the hunk section. Lines up to
 * the brace that closes the struct are its members.
 */
function recordMembersOfOpenStruct(hunk: Hunk, post: DiffLine[], lexed: LexedLine[], out: HunkAnalysis): void {
  const m = hunk.section.match(/^\s*(?:typedef\s+)?(?:struct|union)\s+(\w+)\s*\{/);
  if (!m) return;
  let depth = 0;
  for (let k = 0; k < post.length; k++) {
    const code = lexed[k]!.code;
    for (const c of code) {
      if (c === "{") depth++;
      else if (c === "}") depth--;
    }
    if (depth < 0) break;
    const line = post[k]!.newLine!;
    if (out.members.has(line) || code.trim() === "" || /^\s*#/.test(code)) continue;
    out.members.set(line, { struct: m[1]!, member: memberNameOf(code) });
  }
}

/**
 * The member a line of a struct body declares: `(*name)` for a function
 * pointer, else the word before the first `;` (past `[N]` and `: bits`). A
 * scanner, because the one regular expression for both was cubic on a long
 * word followed by tabs; each scan runs once per line.
 */
export function memberNameOf(code: string): string | null {
  const fp = /\(\s*\*\s*(\w+)\s*\)/.exec(code);
  const semi = code.indexOf(";");
  if (fp && (semi === -1 || fp.index < semi)) return fp[1]!;
  const word = semi === -1 ? null : wordBeforeSemicolon(code, semi);
  if (word && (!fp || word.at < fp.index)) return word.name;
  return fp ? fp[1]! : word?.name ?? null;
}

function wordBeforeSemicolon(code: string, semi: number): { at: number; name: string } | null {
  const skipSpace = (k: number) => {
    while (k >= 0 && isSpace(code[k]!)) k--;
    return k;
  };
  const wordEndingAt = (end: number) => {
    let k = end;
    while (k >= 0 && isIdentChar(code[k]!)) k--;
    return end > k ? { at: k + 1, name: code.slice(k + 1, end + 1) } : null;
  };
  let k = skipSpace(semi - 1);
  // `: 3`, a bit-field width: the name is before the colon (or, with none, the width itself).
  let d = k;
  while (d >= 0 && code[d]! >= "0" && code[d]! <= "9") d--;
  if (d < k) {
    const colon = skipSpace(d);
    if (code[colon] === ":") {
      const named = bracketedOrPlain(skipSpace(colon - 1));
      if (named) return named;
    }
  }
  return bracketedOrPlain(k);

  // The word before an optional `[...]` ending at `k`; the earliest `[` wins.
  function bracketedOrPlain(end: number): { at: number; name: string } | null {
    if (code[end] === "]") {
      const prevClose = end === 0 ? -1 : code.lastIndexOf("]", end - 1);
      for (let open = code.indexOf("[", prevClose + 1); open !== -1 && open < end; open = code.indexOf("[", open + 1)) {
        const w = wordEndingAt(skipSpace(open - 1));
        if (w) return w;
      }
    }
    return wordEndingAt(end);
  }
}
