import { createRequire } from "node:module";

// tree-sitter is loaded on first use: a series without C files (or the
// `rules` command) never pays for the native addon. Loaded through Node's own
// require so the addon is evaluated once per process, also under jest.

export interface SyntaxNode {
  type: string;
  text: string;
  startPosition: { row: number; column: number };
  endPosition: { row: number; column: number };
  namedChildren: SyntaxNode[];
  children: SyntaxNode[];
  parent: SyntaxNode | null;
  childForFieldName(name: string): SyntaxNode | null;
  hasError: boolean;
}

interface Tree {
  rootNode: SyntaxNode;
}

export interface QueryMatch {
  pattern: number;
  captures: { name: string; node: SyntaxNode }[];
}

interface Query {
  matches(node: SyntaxNode, options?: { timeoutMicros?: number }): QueryMatch[];
}

interface Parser {
  parse(input: string, oldTree: Tree | null, options: { progressCallback: (offset: number, hasError: boolean) => boolean }): Tree | null | undefined;
  reset(): void;
}

let loaded: { parser: Parser; query: Query } | null = null;

// What the source view needs from a C snippet, found by tree-sitter's native
// query engine: walking the tree from JavaScript crosses into the addon for
// every node and cost several times the parse itself.
const STRUCTURE_QUERY = `
(if_statement condition: (_) @cond) @stmt
(while_statement condition: (_) @cond) @stmt
(do_statement condition: (_) @cond) @stmt
(for_statement condition: (_) @cond) @stmt
(switch_statement condition: (_) @cond) @stmt
(conditional_expression condition: (_) @cond) @stmt
(return_statement . (_) @cond) @stmt
(function_definition) @function
(translation_unit (declaration) @declaration)
(struct_specifier body: (field_declaration_list)) @struct
(union_specifier body: (field_declaration_list)) @struct
`;

function load(): { parser: Parser; query: Query } {
  if (!loaded) {
    const require = createRequire(import.meta.url);
    const TreeSitter = require("tree-sitter") as (new () => Parser & { setLanguage(lang: unknown): void }) & {
      Query: new (language: unknown, source: string) => Query;
    };
    const C = require("tree-sitter-c") as { nodeTypeInfo?: unknown };
    // With the grammar's node-types.json, setLanguage compiles a JS class per
    // node type (named field getters like `declaratorNode`): 20-50 ms of
    // every check's start. Nothing here uses those getters (only `type` and
    // childForFieldName, which the base node class has), so it gets none.
    C.nodeTypeInfo = [];
    const parser = new TreeSitter();
    parser.setLanguage(C);
    loaded = { parser, query: new TreeSitter.Query(C, STRUCTURE_QUERY) };
  }
  return loaded;
}

export interface ParseBudget {
  /** Wall-clock time one parse may take, in milliseconds. */
  maxMs: number;
  /**
   * tree-sitter reports progress every 100 parser operations; a parse may
   * make this many reports. Unlike time, this is the same on every machine.
   */
  maxSteps: number;
}

export type ParseResult =
  | { root: SyntaxNode; steps: number; stopped: null }
  /** The parse was halted: `stopped` says which budget ran out. */
  | { root: null; steps: number; stopped: "time" | "steps" };

/** Real C parses in about 4 steps per KB; recovering from junk takes up to ~20. */
export function stepsFor(sourceLength: number): number {
  return 10_000 + 64 * Math.ceil(sourceLength / 1024);
}

/**
 * Parses a C snippet; tree-sitter recovers from the partial functions that
 * hunks are. Error recovery on hostile text (thousands of unclosed
 * parentheses, `_\t_[]__0` runs) costs far more per byte than real code, so
 * every parse runs under a budget and says when it was stopped.
 */
export function parseC(source: string, budget: ParseBudget = { maxMs: 1000, maxSteps: stepsFor(source.length) }): ParseResult {
  const { parser } = load();
  const state: ParseState = { deadline: performance.now() + budget.maxMs, maxSteps: budget.maxSteps, steps: 0, stopped: null };
  current = state;
  let tree: Tree | null | undefined;
  try {
    tree = parser.parse(source, null, { progressCallback: onProgress });
  } finally {
    current = null;
  }
  if (!tree || state.stopped !== null) {
    // A halted parser resumes the old parse on its next call unless reset:
    // the next snippet would be read as the rest of this one.
    parser.reset();
    return { root: null, steps: state.steps, stopped: state.stopped ?? "time" };
  }
  return { root: tree.rootNode, steps: state.steps, stopped: null };
}

interface ParseState {
  deadline: number;
  maxSteps: number;
  steps: number;
  stopped: "time" | "steps" | null;
}

// One callback for every parse, reading the parse in progress: the addon
// (0.25.1) keeps a reference to each progress callback it is given and never
// frees it, so a closure per parse would leak one per hunk in a long-running
// worker.
let current: ParseState | null = null;

function onProgress(): boolean {
  const s = current;
  if (!s) return false;
  s.steps++;
  if (s.steps > s.maxSteps) s.stopped = "steps";
  else if (performance.now() > s.deadline) s.stopped = "time";
  return s.stopped !== null;
}

/**
 * Conditions, functions, file-scope declarations and struct bodies of a
 * parsed snippet. `maxMs` bounds the query too; `complete` is false when it
 * ran out (tree-sitter then returns the matches found so far).
 */
export function structureOf(root: SyntaxNode, maxMs = 1000): { matches: QueryMatch[]; complete: boolean } {
  const start = performance.now();
  const micros = Math.max(1, Math.round(maxMs * 1000));
  const matches = load().query.matches(root, { timeoutMicros: micros });
  return { matches, complete: performance.now() - start < maxMs };
}
