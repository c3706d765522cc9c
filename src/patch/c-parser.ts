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

interface Parser {
  parse(input: string): Tree;
  setTimeoutMicros?(timeout: number): void;
}

let parser: Parser | null = null;

function getParser(): Parser {
  if (!parser) {
    const require = createRequire(import.meta.url);
    const TreeSitter = require("tree-sitter") as new () => Parser & { setLanguage(lang: unknown): void };
    const C = require("tree-sitter-c") as unknown;
    const p = new TreeSitter();
    p.setLanguage(C);
    parser = p;
  }
  return parser;
}

/** Parses a C snippet; tree-sitter recovers from the partial functions that hunks are. */
export function parseC(source: string): SyntaxNode {
  return getParser().parse(source).rootNode;
}
