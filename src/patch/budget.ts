import type { FileChange } from "./types.js";

// What the analysis of one series may spend beyond reading it. The reader
// (parseSeries) attaches one budget to every file of a series, so the source
// view finds it from the file alone and the time spent parsing is counted
// per series, whichever rule asks first.

export interface AnalysisLimits {
  /** Lines longer than this (in characters) are kept for line-level rules but not handed to tree-sitter. */
  maxLineBytes: number;
  /** Time one C snippet's parse (and its query) may take. */
  parseTimeoutMs: number;
  /** Time all parses of one series may take together. */
  seriesParseMs: number;
  /** Conditions, functions or structs nested deeper than this are not tracked. */
  maxNestingDepth: number;
}

export const DEFAULT_ANALYSIS_LIMITS: AnalysisLimits = {
  maxLineBytes: 16 * 1024,
  parseTimeoutMs: 1000,
  seriesParseMs: 20_000,
  maxNestingDepth: 64,
};

export interface AnalysisBudget {
  readonly limits: AnalysisLimits;
  /** Parse time left for the series, in milliseconds. */
  parseMsLeft: number;
}

const budgets = new WeakMap<FileChange, AnalysisBudget>();

export function newBudget(limits: Partial<AnalysisLimits> = {}): AnalysisBudget {
  const merged = { ...DEFAULT_ANALYSIS_LIMITS, ...definedOnly(limits) };
  return { limits: merged, parseMsLeft: merged.seriesParseMs };
}

export function attachBudget(files: FileChange[], budget: AnalysisBudget): void {
  for (const f of files) budgets.set(f, budget);
}

/** The budget of the file's series; a file built outside parseSeries (tests) gets one of its own. */
export function budgetOf(file: FileChange): AnalysisBudget {
  let b = budgets.get(file);
  if (!b) {
    b = newBudget();
    budgets.set(file, b);
  }
  return b;
}

function definedOnly<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
