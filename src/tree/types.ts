// What rules may know of the tree a series applies to. Plain data, gathered
// before the rules run (src/tree/gather.ts does the reading), so that rules
// stay pure: they read these facts as they read the series.

/** One line of the base tree that names a symbol. */
export interface TreeLine {
  path: string;
  line: number;
  text: string;
}

export interface SymbolLookup {
  /** Lines of the base tree that name the symbol as a whole word, up to the cap. */
  lines: TreeLine[];
  /** More lines named it than the cap kept: its users are not all known. */
  truncated: boolean;
}

export interface PrefixUse {
  prefix: string;
  /** Latest commits touching the path whose subject has this prefix. */
  commits: number;
}

export interface AreaCount {
  /** `arch/x86`, `kernel`: the area of the series' paths, as census names directories (two levels). */
  area: string;
  hypervisor: string;
  /** Hypervisor conditionals at the base in that area, outside every hypervisor's own directories. */
  count: number;
}

export interface TreeFacts {
  /** The commit the series applies to. */
  base: string;
  /** How the base was found, for the output ("the start of the range", "base-commit:"). */
  baseFrom: string;
  /** Symbols the series adds in shared code, looked up at the base. */
  symbols: Map<string, SymbolLookup>;
  /** Subject prefixes of the latest commits that touched each path of the series, most used first. */
  prefixes: Map<string, PrefixUse[]>;
  /** Conditionals per hypervisor at the base, in the areas the series touches; null when not counted. */
  census: AreaCount[] | null;
  /** What the lookups could not do within their caps, said in the output. */
  notes: string[];
}

/** What a rule receives besides the series and the config. */
export interface RuleContext {
  /** Absent when no tree was at hand: rules work from the series alone. */
  tree?: TreeFacts;
}

/** Looks up a symbol: null when it was not asked for or not looked up (no tree, or over the budget). */
export function lookupOf(context: RuleContext | undefined, name: string): SymbolLookup | null {
  return context?.tree?.symbols.get(name) ?? null;
}
