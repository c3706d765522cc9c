import path from "node:path";
import { namesToLookUp } from "../analysis/interfaces.js";
import type { PatchwardenConfig } from "../config/types.js";
import type { PatchInput } from "../patch/series.js";
import type { Series } from "../patch/types.js";
import type { TreeFacts } from "../tree/types.js";

// The base tree for `check`: where one is at hand (--git, or --repo with
// patch files whose base is found), the facts the rules may use and the
// census lines the output shows; where none is, a note saying which check
// ran without it.

export interface CliTree {
  facts: TreeFacts | null;
  /** Said on stderr: why there is no tree, or what the lookups could not do. */
  notes: string[];
  /** "arch/x86: 41 Xen conditionals at the base, 43 after this series (+2)". */
  census: string[];
}

export async function cliTree(
  series: Series,
  inputs: PatchInput[],
  options: { git?: string; repo?: string; cwd: string },
  config: PatchwardenConfig,
  /** Called once the lookups have their git running, or there will be none (see gatherTreeFacts). */
  started: () => void = () => {},
): Promise<CliTree> {
  try {
    return await readTree(series, inputs, options, config, started);
  } finally {
    started();
  }
}

async function readTree(series: Series, inputs: PatchInput[], options: { git?: string; repo?: string; cwd: string }, config: PatchwardenConfig, started: () => void): Promise<CliTree> {
  // Without --git or --repo a file is checked on its own: no tree is looked for.
  if (options.git === undefined && options.repo === undefined) {
    return {
      facts: null,
      // Read once the rules ran (check prints notes last): by then the
      // views and interfaces this asks for are built, not built for it.
      get notes() {
        return namesToLookUp(series, config).length > 0 ? ["checked without the base tree: hv-only-interface saw only the series' own users of what it adds (give --repo DIR, or --git RANGE)"] : [];
      },
      census: [],
    };
  }
  // Loaded only when a tree is asked for: a plain check starts no git and reads no census code.
  const [{ baseOfPatches, baseOfRange }, { gatherTreeFacts }, { censusDelta, describeDelta }] = await Promise.all([
    import("../tree/base.js"),
    import("../tree/gather.js"),
    import("../tree/summary.js"),
  ]);
  const repo = path.resolve(options.cwd, options.repo ?? ".");
  const found = options.git !== undefined ? await baseOfRange(repo, options.git) : await baseOfPatches(repo, inputs);
  if (!found.base) return { facts: null, notes: [`no base tree: ${found.why}; hv-only-interface saw only the series' own users, and no census is shown`], census: [] };
  const facts = await gatherTreeFacts(series, found.base, config, undefined, started);
  const census = censusDelta(series, facts, config).map(describeDelta);
  return { facts, notes: facts.notes, census: census.length > 0 ? [`census at ${facts.base.slice(0, 12)} (${facts.baseFrom}):`, ...census.map((c) => `  ${c}`)] : [] };
}
