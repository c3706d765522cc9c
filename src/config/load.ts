import { Ajv, type ErrorObject } from "ajv";
import { parse as parseYaml, YAMLParseError } from "yaml";
import { LINUX_DEFAULTS } from "./defaults.js";
import { ConfigError } from "./errors.js";
import { assertConfigSize } from "./size.js";
import { configSchema } from "./schema.js";
import { unknownIdMessage } from "./nearest.js";
import { presetNames, presetOf } from "./presets.js";
import { ruleRegistry } from "../../rules/index.js";
import { knownRuleIds } from "./rule-ids.js";
import type { HypervisorConfig, PatchwardenConfig } from "./types.js";

export { ConfigError };

/**
 * A list as a config file gives it: a list replaces the one it extends;
 * `{add: [...], remove: [...]}` edits it (removals first, then additions).
 */
export type ListEdit = string[] | { add?: string[]; remove?: string[] };

type ListKey = "specialCaseScope" | "specialCaseExclude" | "corePaths" | "archConfigSymbols" | "paravirtOpsStructs" | "featureTestCalls" | "alternativeMacros";
const LIST_KEYS: ListKey[] = ["specialCaseScope", "specialCaseExclude", "corePaths", "archConfigSymbols", "paravirtOpsStructs", "featureTestCalls", "alternativeMacros"];
type HypervisorListKey = "ownPaths" | "predicateCalls" | "configSymbols" | "featureBits" | "typeConstants" | "aliases";
const HYPERVISOR_LIST_KEYS: HypervisorListKey[] = ["ownPaths", "predicateCalls", "configSymbols", "featureBits", "typeConstants", "aliases"];

export type HypervisorEdit = Partial<Omit<HypervisorConfig, HypervisorListKey>> & {
  id: string;
  /** false drops a hypervisor the preset knows. */
  enabled?: boolean;
} & { [K in HypervisorListKey]?: ListEdit };

export type PartialConfig = Partial<Omit<PatchwardenConfig, "hypervisors" | "limits" | "app" | ListKey>> & {
  /** The preset this config is laid over (default linux). */
  extends?: string;
  app?: Partial<PatchwardenConfig["app"]>;
  hypervisors?: HypervisorEdit[];
  limits?: Partial<PatchwardenConfig["limits"]>;
} & { [K in ListKey]?: ListEdit };

const MAX_REPORTED_ERRORS = 20;

const ajv = new Ajv({ allErrors: true, strict: true });
const validate = ajv.compile<PartialConfig>(configSchema);

/** Parses and validates YAML text; `source` names the file in errors. */
export function parseConfigText(text: string, source: string): PartialConfig {
  assertConfigSize(text.length, source);
  let data: unknown;
  try {
    data = parseYaml(text, { maxAliasCount: 100 });
  } catch (err) {
    if (err instanceof YAMLParseError) {
      const pos = err.linePos?.[0];
      throw new ConfigError(source, `invalid YAML${pos ? ` at line ${pos.line}, column ${pos.col}` : ""}: ${err.message.split("\n")[0]}`);
    }
    // The reader refuses an alias bomb with a ReferenceError: still the file's fault, not ours.
    if (err instanceof ReferenceError && /alias/i.test(err.message)) throw new ConfigError(source, `invalid YAML: ${err.message} (at most 100 aliases)`);
    throw err;
  }
  return validateConfigObject(data, source);
}

/** Validates already-parsed config data (the app gets it parsed, with `_extends` resolved, from Probot). */
export function validateConfigObject(data: unknown, source: string): PartialConfig {
  if (data === null || data === undefined) return {};
  if (!validate(data)) {
    const errors = simplifyOneOf(validate.errors ?? []);
    const shown = errors.slice(0, MAX_REPORTED_ERRORS).map(describeSchemaError).join("; ");
    throw new ConfigError(source, errors.length > MAX_REPORTED_ERRORS ? `${shown}; and ${errors.length - MAX_REPORTED_ERRORS} more errors` : shown);
  }
  checkRegexes(data, source);
  checkRuleIds(data, source);
  return data;
}

/** The checks with a limit `max` sets, and what it counts. */
const LIMITED_CHECKS: Record<string, string> = { "commit-reference/subject-length": "characters in the subject" };

/** A typo under `rules:` would silently configure nothing: it is an error naming the id meant. */
function checkRuleIds(cfg: PartialConfig, source: string): void {
  const known = knownRuleIds(ruleRegistry.map((r) => r.meta));
  for (const id of Object.keys(cfg.rules ?? {})) {
    if (!known.includes(id)) throw new ConfigError(source, `rules.${id}: ${unknownIdMessage("rule", id, known)} (see: patchwarden rules)`);
    if (cfg.rules![id]!.max !== undefined && !(id in LIMITED_CHECKS)) {
      throw new ConfigError(source, `rules.${id}.max: only ${Object.keys(LIMITED_CHECKS).join(", ")} takes a max`);
    }
  }
}

/**
 * A list-or-edit key that is neither reports once per alternative ("must be
 * array", then the object's own complaint, then "must match oneOf"): keep the
 * object's complaint when there is one, else one sentence for the key.
 */
function simplifyOneOf(errors: ErrorObject[]): ErrorObject[] {
  const oneOfAt = new Set(errors.filter((e) => e.keyword === "oneOf").map((e) => e.instancePath));
  if (oneOfAt.size === 0) return errors;
  const rest = errors.filter((e) => !(oneOfAt.has(e.instancePath) && e.keyword === "type"));
  return rest.filter((e) => e.keyword !== "oneOf" || !rest.some((o) => o !== e && o.keyword !== "oneOf" && o.instancePath.startsWith(e.instancePath)));
}

function describeSchemaError(e: ErrorObject): string {
  const where = e.instancePath ? e.instancePath.slice(1).replace(/\//g, ".") : "(top level)";
  if (e.keyword === "additionalProperties") {
    return `${where === "(top level)" ? "" : `${where}.`}${String(e.params.additionalProperty)}: unknown key`;
  }
  if (e.keyword === "enum") return `${where}: must be one of ${(e.params.allowedValues as unknown[]).join(", ")}`;
  if (e.keyword === "oneOf") return `${where}: must be a list, or {add: [...], remove: [...]}`;
  return `${where}: ${e.message ?? "invalid"}`;
}

function checkRegexes(cfg: PartialConfig, source: string): void {
  const check = (key: string, patterns: ListEdit | undefined) => {
    for (const p of Array.isArray(patterns) ? patterns : (patterns?.add ?? [])) {
      try {
        new RegExp(p);
      } catch (err) {
        throw new ConfigError(source, `${key}: ${JSON.stringify(p)} is not a valid regular expression (${(err as Error).message})`);
      }
    }
  };
  check("archConfigSymbols", cfg.archConfigSymbols);
  check("paravirtOpsStructs", cfg.paravirtOpsStructs);
  cfg.hypervisors?.forEach((h, i) => {
    check(`hypervisors.${i}.configSymbols`, h.configSymbols);
    check(`hypervisors.${i}.aliases`, h.aliases);
  });
}

/** The effective config, the presets it was built on (innermost first), and where each top-level key came from. */
export interface ResolvedConfig {
  config: PatchwardenConfig;
  presets: string[];
  origin: Record<string, string>;
}

/**
 * Lays a user's config over the preset it extends (default: linux, the Linux
 * defaults). A list replaces the preset's, or edits it with {add, remove};
 * hypervisors merge by id (their lists likewise), so a tree can adjust one
 * without repeating the others, and `enabled: false` drops one; rule
 * settings merge by rule id; app and limits key by key.
 */
export function mergeConfig(user: PartialConfig, base?: PatchwardenConfig, source = ".github/patchwarden.yml"): PatchwardenConfig {
  return base === undefined ? resolveConfig(user, source).config : layer(base, user, source, {}, source);
}

export function resolveConfig(user: PartialConfig, source: string): ResolvedConfig {
  const chain: { name: string; config: PartialConfig }[] = [];
  const seen = new Set<string>();
  let name = user.extends ?? "linux";
  while (name !== "linux") {
    if (seen.has(name)) throw new ConfigError(source, `extends: preset "${name}" extends itself`);
    seen.add(name);
    const preset = presetOf(name);
    if (!preset) throw new ConfigError(source, `extends: ${unknownIdMessage("preset", name, presetNames())}; the presets are ${presetNames().join(", ")}`);
    chain.unshift({ name, config: preset });
    name = preset.extends ?? "linux";
  }
  const origin: Record<string, string> = {};
  let config = LINUX_DEFAULTS;
  for (const p of chain) config = layer(config, p.config, `preset ${p.name}`, origin, `preset ${p.name}`);
  config = layer(config, user, source, origin, source);
  return { config, presets: ["linux", ...chain.map((p) => p.name)], origin };
}

function layer(base: PatchwardenConfig, user: PartialConfig, source: string, origin: Record<string, string>, label: string): PatchwardenConfig {
  const { extends: _extends, hypervisors: hvEdits, rules, limits, app, ...rest } = user;
  const merged: PatchwardenConfig = {
    ...base,
    hypervisors: base.hypervisors.map((h) => ({ ...h })),
    rules: { ...base.rules },
    limits: { ...base.limits, ...limits },
    // overrideLabels replaces the default map: a tree that names its labels wants exactly those.
    app: { ...base.app, ...app },
  };
  const mark = (key: string, how = "") => {
    const before = origin[key];
    origin[key] = how === "" || before === undefined ? `${label}${how}` : `${before}, ${label}${how}`;
  };
  for (const [key, value] of Object.entries(rest) as [keyof typeof rest, unknown][]) {
    if (value === undefined) continue;
    if ((LIST_KEYS as string[]).includes(key)) {
      const edit = value as ListEdit;
      merged[key as ListKey] = applyList(base[key as ListKey], edit, key, source);
      mark(key, Array.isArray(edit) ? "" : " (edited)");
    } else {
      (merged as unknown as Record<string, unknown>)[key] = value;
      mark(key);
    }
  }
  if (limits) mark("limits", " (some keys)");
  if (app) mark("app", " (some keys)");
  for (const [id, settings] of Object.entries(rules ?? {})) merged.rules[id] = { ...base.rules[id], ...settings };
  if (rules && Object.keys(rules).length > 0) mark("rules", ` (${Object.keys(rules).join(", ")})`);
  if (hvEdits) {
    for (const [i, u] of hvEdits.entries()) {
      const at = merged.hypervisors.findIndex((h) => h.id === u.id);
      if (u.enabled === false) {
        if (at < 0) throw new ConfigError(source, `hypervisors.${i}: ${unknownIdMessage("hypervisor", u.id, merged.hypervisors.map((h) => h.id))} to drop`);
        merged.hypervisors.splice(at, 1);
        continue;
      }
      // An id the preset does not know adds a hypervisor; without a name it is far likelier a typo ("xne").
      if (at < 0 && u.name === undefined) {
        throw new ConfigError(source, `hypervisors.${i}: ${unknownIdMessage("hypervisor", u.id, merged.hypervisors.map((h) => h.id))}; a new hypervisor needs a name`);
      }
      const current = at >= 0 ? merged.hypervisors[at]! : emptyHypervisor(u.id);
      const { enabled: _enabled, ...fields } = u;
      const next: HypervisorConfig = { ...current };
      for (const [key, value] of Object.entries(fields)) {
        if (value === undefined) continue;
        if ((HYPERVISOR_LIST_KEYS as string[]).includes(key)) next[key as HypervisorListKey] = applyList(current[key as HypervisorListKey], value as ListEdit, `hypervisors.${i}.${key}`, source);
        else (next as unknown as Record<string, unknown>)[key] = value;
      }
      if (at >= 0) merged.hypervisors[at] = next;
      else merged.hypervisors.push(next);
    }
    mark("hypervisors", ` (${hvEdits.map((h) => (h.enabled === false ? `-${h.id}` : h.id)).join(", ")})`);
  }
  return merged;
}

/** A removal of what is not there is a typo, said rather than ignored. */
function applyList(base: readonly string[], edit: ListEdit, key: string, source: string): string[] {
  if (Array.isArray(edit)) return [...edit];
  const out = [...base];
  for (const r of edit.remove ?? []) {
    const k = out.indexOf(r);
    if (k < 0) throw new ConfigError(source, `${key}.remove: ${JSON.stringify(r)} is not in the list it edits (see: patchwarden config --print)`);
    out.splice(k, 1);
  }
  for (const a of edit.add ?? []) if (!out.includes(a)) out.push(a);
  return out;
}
function emptyHypervisor(id: string): HypervisorConfig {
  return { id, name: id, ownPaths: [], predicateCalls: [], configSymbols: [], featureBits: [], typeConstants: [], suggestion: "", aliases: [] };
}
