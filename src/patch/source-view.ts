import { parseC, structureOf, type SyntaxNode } from "./c-parser.js";
import { languageOf, lexSnippet, type Language, type LexedLine } from "./lex.js";
import type { DiffLine, FileChange, Hunk } from "./types.js";

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
  /** Lexed form of any line of the change (added, removed or context). */
  lexed(line: DiffLine): LexedLine;
  /** Conditions whose expression includes (part of) this new-side line. */
  conditionsContaining(newLine: number): Condition[];
  /** Conditions this new-side line lies under, outermost first, preprocessor ones included. */
  conditionsAround(newLine: number): Condition[];
  functionAt(newLine: number): string | null;
  structMemberAt(newLine: number): StructMember | null;
  /** Functions defined or declared in the post-image snippets. */
  functions(): FunctionInfo[];
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
  functions: FunctionInfo[];
  members: Map<number, StructMember>;
  /** For each new line in the hunk, the function it lies in. */
  enclosingFunction: Map<number, string>;
}

function buildView(file: FileChange, maxParseBytes: number): FileView {
  const language = languageOf(file.newPath ?? file.oldPath ?? "");
  const lexedByLine = new Map<DiffLine, LexedLine>();
  const posts: { post: DiffLine[]; lexed: LexedLine[] }[] = [];
  for (const hunk of file.hunks) {
    const post = hunk.lines.filter((l) => l.kind !== "removed");
    const pre = hunk.lines.filter((l) => l.kind !== "added");
    const postLexed = lexSnippet(post.map((l) => l.text), language);
    const preLexed = lexSnippet(pre.map((l) => l.text), language);
    post.forEach((l, k) => lexedByLine.set(l, postLexed[k]!));
    pre.forEach((l, k) => {
      if (!lexedByLine.has(l)) lexedByLine.set(l, preLexed[k]!);
    });
    posts.push({ post, lexed: postLexed });
  }

  // Parsing is the expensive part and most lines never need it: a hunk is
  // analysed the first time a rule asks about one of its lines.
  const analyses: (HunkAnalysis | undefined)[] = [];
  const analysisOf = (k: number): HunkAnalysis => {
    let a = analyses[k];
    if (!a) {
      const { post, lexed } = posts[k]!;
      a = { conditions: [], functions: [], members: new Map(), enclosingFunction: new Map() };
      if (language === "c" || language === "asm") a.conditions.push(...preprocessorConditions(post, lexed));
      if (language === "c") analyzeC(file.hunks[k]!, post, lexed, maxParseBytes, a);
      analyses[k] = a;
    }
    return a;
  };
  const hunkAt = (n: number): HunkAnalysis | null => {
    const k = file.hunks.findIndex((h) => h.newStart <= n && n < h.newStart + Math.max(h.newCount, 1));
    return k === -1 ? null : analysisOf(k);
  };
  const sectionFunction = (n: number): string | null => {
    if (language !== "c") return null;
    const hunk = file.hunks.find((h) => h.newStart <= n && n < h.newStart + Math.max(h.newCount, 1));
    return hunk ? functionNameFromSection(hunk.section) : null;
  };
  return {
    file,
    language,
    lexed: (line) => lexedByLine.get(line) ?? { code: line.text, commentOnly: false },
    conditionsContaining: (n) => (hunkAt(n)?.conditions ?? []).filter((c) => c.startLine <= n && n <= c.endLine),
    // Preprocessor and C conditions come from separate passes; an enclosing
    // condition starts no later than what it encloses, so order by start.
    conditionsAround: (n) =>
      (hunkAt(n)?.conditions ?? [])
        .filter((c) => c.bodyStart <= n && n <= c.bodyEnd && !(c.startLine <= n && n <= c.endLine))
        .sort((a, b) => a.startLine - b.startLine),
    functionAt: (n) => hunkAt(n)?.enclosingFunction.get(n) ?? sectionFunction(n),
    structMemberAt: (n) => hunkAt(n)?.members.get(n) ?? null,
    functions: () => file.hunks.flatMap((_h, k) => analysisOf(k).functions),
  };
}

/**
 * git's hunk section is usually the enclosing function's signature line. Only
 * trust it when it looks like a definition (a type before the name), not a
 * macro invocation such as `SYM_CODE_START(foo)` or `DECLARE_IDTENTRY(...)`.
 */
function functionNameFromSection(section: string): string | null {
  const m = section.match(/^\s*(?:[A-Za-z_][\w]*[\s*]+)+\**([A-Za-z_]\w*)\s*\(/);
  if (!m || /^(if|for|while|switch|return|sizeof)$/.test(m[1]!)) return null;
  return m[1]!;
}

// Preprocessor conditions, tracked line by line. tree-sitter's view of them
// falls apart when a hunk opens or closes a block it does not show, which
// hunks often do; a stack over the directives is exact for what is visible.
function preprocessorConditions(post: DiffLine[], lexed: LexedLine[]): Condition[] {
  const out: Condition[] = [];
  const stack: Condition[] = [];
  const lastLine = post.length ? post[post.length - 1]!.newLine! : 0;
  for (let k = 0; k < post.length; k++) {
    let code = lexed[k]!.code;
    const startLine = post[k]!.newLine!;
    let endK = k;
    while (code.trimEnd().endsWith("\\") && endK + 1 < post.length) {
      endK++;
      code = `${code.trimEnd().slice(0, -1)} ${lexed[endK]!.code}`;
    }
    const m = code.match(/^\s*#\s*(if|ifdef|ifndef|elif|elifdef|elifndef|else|endif)\b(.*)$/);
    if (!m) continue;
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

function analyzeC(hunk: Hunk, post: DiffLine[], lexed: LexedLine[], maxParseBytes: number, out: HunkAnalysis): void {
  // Parse the lexed code, not the raw text: comments are blanked, so a hunk
  // that starts inside a comment does not derail the parser.
  const codeRows = lexed.map((l) => l.code);
  const source = codeRows.map(blankAnnotations).join("\n");
  if (source.length > maxParseBytes || post.length === 0) return;
  const root = parseC(source);
  const lineOf = (row: number) => post[Math.min(row, post.length - 1)]!.newLine!;
  for (const match of structureOf(root)) {
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
      recordFunction(node, lineOf, codeRows, out);
    } else if (capture.name === "struct") {
      recordStructMembers(node, lineOf, out);
    }
  }
  recordMembersOfOpenStruct(hunk, post, lexed, out);
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
const ANNOTATIONS =
  /\b(?:__init|__exit|__initdata|__initconst|__exitdata|__ref|__refdata|__refconst|__meminit|__meminitdata|__cpuinit|__devinit|__devexit|__weak|__cold|__hot|__always_inline|__inline|noinline|__noinline|nokprobe_inline|notrace|asmlinkage|__visible|__noreturn|__must_check|__maybe_unused|__always_unused|__used|__pure|__sched|__cpuidle|noinstr|__kprobes|__attribute_const__|__latent_entropy|__ro_after_init|__read_mostly|__head|__nocfi|__naked|__noclone|__flatten|__irq_entry|__softirq_entry|__malloc|__user|__iomem|__percpu|__rcu|__force|__bitwise|__private|__kernel)\b|\b(?:__printf|__scanf|__section|__aligned|__acquires|__releases|__must_hold|__alloc_size)\s*\([^()]*\)/g;

function blankAnnotations(code: string): string {
  return code.includes("__") || /\b(?:noinline|notrace|asmlinkage|noinstr|nokprobe_inline)\b/.test(code) ? code.replace(ANNOTATIONS, (m) => " ".repeat(m.length)) : code;
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
    const name = code.match(/\(\s*\*\s*(\w+)\s*\)|(\w+)\s*(?:\[[^\]]*\])?\s*(?::\s*\d+\s*)?;/);
    out.members.set(line, { struct: m[1]!, member: name ? (name[1] ?? name[2] ?? null) : null });
  }
}
