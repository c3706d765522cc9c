// A repository's config supplies regular expressions (Kconfig symbol
// patterns, hypervisor aliases, ops structure names) that run over every
// line of every pull request. One like `(a+)+X` stalled the app for 11-17 s
// per review, for every repository on that replica. So each is put through a
// ReDoS analyzer (recheck) in the form it will run as, before any review
// uses it; one the analyzer cannot show to be linear is a config error that
// names it.

import { createRequire } from "node:module";
import { patternUses, type PatternUse } from "./config-regexes.js";
import { ConfigError } from "./errors.js";

/** More than this many patterns in one config is refused rather than analysed. */
export const MAX_CONFIG_PATTERNS = 200;
/** The analyzer's budget per pattern; one it cannot settle in time is refused. */
const ANALYSIS_TIMEOUT_MS = 3000;

interface Verdict {
  status: "safe" | "vulnerable" | "unknown";
  complexity?: string;
}

type Check = (source: string, flags: string, params: { timeout: number }) => Promise<{ status: Verdict["status"]; complexity?: { summary?: string } }>;

let analyzer: Check | null = null;
function recheck(): Check {
  // Loaded only when a config brings its own patterns: the CLI without one never pays for it.
  analyzer ??= (createRequire(import.meta.url)("recheck") as { check: Check }).check;
  return analyzer;
}

// Verdicts are kept per expression: a replica sees the same few configs again and again.
const verdicts = new Map<string, Promise<Verdict>>();
const MAX_VERDICTS = 4096;

export function analyse(regex: RegExp): Promise<Verdict> {
  const key = `${regex.flags}/${regex.source}`;
  let verdict = verdicts.get(key);
  if (!verdict) {
    verdict = recheck()(regex.source, regex.flags, { timeout: ANALYSIS_TIMEOUT_MS }).then(
      (d) => ({ status: d.status, ...(d.complexity?.summary ? { complexity: d.complexity.summary } : {}) }),
      () => ({ status: "unknown" as const }),
    );
    if (verdicts.size >= MAX_VERDICTS) verdicts.delete(verdicts.keys().next().value!);
    verdicts.set(key, verdict);
  }
  return verdict;
}

/** Throws a ConfigError naming the first pattern of `cfg` that may run in more than linear time. */
export async function assertLinearPatterns(cfg: Parameters<typeof patternUses>[0], source: string): Promise<void> {
  const uses = patternUses(cfg);
  if (uses.length === 0) return;
  if (uses.length > MAX_CONFIG_PATTERNS) {
    throw new ConfigError(source, `${uses.length} regular expressions (at most ${MAX_CONFIG_PATTERNS}): each one runs over every changed line; list fewer, or join alternatives with |`);
  }
  const results = await Promise.all(uses.map(async (use) => ({ use, verdict: await analyse(use.regex) })));
  const bad = results.find((r) => r.verdict.status !== "safe");
  if (bad) throw new ConfigError(source, describe(bad.use, bad.verdict));
}

function describe(use: PatternUse, verdict: Verdict): string {
  const why =
    verdict.status === "vulnerable"
      ? `can take time ${verdict.complexity ?? "super-linear"} in the length of a line (a ReDoS analyzer found an input that makes it backtrack)`
      : "could not be shown to run in time linear in the length of a line";
  return `${use.key}: ${JSON.stringify(use.pattern)} ${why}; write it without nested or overlapping repetition (e.g. CONFIG_XEN\\w* rather than (CONFIG_XEN_?\\w*)+)`;
}
