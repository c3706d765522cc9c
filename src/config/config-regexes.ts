// Every regular expression built from configuration text, in one place: the
// rules build theirs here, and config validation hands the same sources to a
// ReDoS analyzer (src/config/regex-safety.ts), so what is checked is exactly
// what will run.

import type { PatchwardenConfig } from "./types.js";

/** A Kconfig symbol pattern of one hypervisor, as hv-special-case reads lines. */
export function configSymbolsRegex(patterns: string[]): RegExp {
  return new RegExp(`\\b(${patterns.join("|")})\\b`, "g");
}

// Compiled once per list (a config's lists are the same arrays for every
// series it checks): `stats` compiled the architecture symbols anew for
// each of 1,000 one-commit series. Shared, so the global one is for
// matchAll and match, which do not read its lastIndex.
const compiled = new WeakMap<readonly string[], Map<string, RegExp>>();
function once(patterns: readonly string[], kind: string, build: () => RegExp): RegExp {
  let byKind = compiled.get(patterns);
  if (!byKind) compiled.set(patterns, (byKind = new Map()));
  let re = byKind.get(kind);
  if (!re) byKind.set(kind, (re = build()));
  return re;
}

/** Architecture Kconfig symbols, as arch-conditional-in-core reads core code. */
export function archSymbolsRegex(patterns: string[]): RegExp {
  return once(patterns, "arch", () => new RegExp(`\\b(?:${patterns.join("|")})\\b`, "g"));
}

/** A paravirt ops structure's name, whole. */
export function opsStructNameRegex(patterns: string[]): RegExp {
  return once(patterns, "ops-name", () => new RegExp(`^(?:${patterns.join("|")})$`));
}

/** `struct pv_mmu_ops` named in code or a hunk's section line. */
export function opsStructInCodeRegex(patterns: string[]): RegExp {
  return once(patterns, "ops-in-code", () => new RegExp(`\\b(?:struct|union)\\s+(?:${patterns.join("|")})\\b`));
}

const aliasCache = new Map<string, RegExp>();
const MAX_CACHED_ALIASES = 1024;

/** A hypervisor's alias (`\bxen\b`, `hyper-?v`), case-insensitive, compiled once. */
export function aliasRegex(alias: string): RegExp {
  let re = aliasCache.get(alias);
  if (!re) {
    re = new RegExp(alias, "i");
    if (aliasCache.size >= MAX_CACHED_ALIASES) aliasCache.delete(aliasCache.keys().next().value!);
    aliasCache.set(alias, re);
  }
  return re;
}

export interface PatternUse {
  /** Where the pattern came from, as a config path (`hypervisors.2.aliases`). */
  key: string;
  /** The text the user wrote. */
  pattern: string;
  /** The expression it runs as. */
  regex: RegExp;
}

/** A list as a config file may give it: whole (replacing), or as additions to and removals from the preset's. */
type ListField = string[] | { add?: string[]; remove?: string[] };

type PatternFields = {
  archConfigSymbols?: ListField;
  paravirtOpsStructs?: ListField;
  hypervisors?: ({ configSymbols?: ListField; aliases?: ListField } & { id: string })[];
};

/** Each regex-valued entry of a (partial) config, in the form it will run as. */
export function patternUses(cfg: PatternFields | PatchwardenConfig): PatternUse[] {
  const uses: PatternUse[] = [];
  const add = (key: string, patterns: ListField | undefined, build: (p: string[]) => RegExp) => {
    // Removals only take patterns away; what is added is what will run.
    const list = Array.isArray(patterns) ? patterns : (patterns?.add ?? []);
    for (const pattern of list) uses.push({ key: Array.isArray(patterns) ? key : `${key}.add`, pattern, regex: build([pattern]) });
  };
  add("archConfigSymbols", cfg.archConfigSymbols, archSymbolsRegex);
  add("paravirtOpsStructs", cfg.paravirtOpsStructs, opsStructNameRegex);
  add("paravirtOpsStructs", cfg.paravirtOpsStructs, opsStructInCodeRegex);
  cfg.hypervisors?.forEach((h, i) => {
    add(`hypervisors.${i}.configSymbols`, h.configSymbols, configSymbolsRegex);
    add(`hypervisors.${i}.aliases`, h.aliases, ([a]) => aliasRegex(a!));
  });
  return uses;
}
