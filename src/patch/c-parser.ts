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
  matches(node: SyntaxNode): QueryMatch[];
}

interface Parser {
  parse(input: string): Tree;
  setTimeoutMicros?(timeout: number): void;
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
    const C = require("tree-sitter-c") as unknown;
    const parser = new TreeSitter();
    parser.setLanguage(C);
    loaded = { parser, query: new TreeSitter.Query(C, STRUCTURE_QUERY) };
  }
  return loaded;
}

/** Parses a C snippet; tree-sitter recovers from the partial functions that hunks are. */
export function parseC(source: string): SyntaxNode {
  return load().parser.parse(source).rootNode;
}

/** Conditions, functions, file-scope declarations and struct bodies of a parsed snippet. */
export function structureOf(root: SyntaxNode): QueryMatch[] {
  return load().query.matches(root);
}
