import { Ajv, type ErrorObject } from "ajv";
import { parse as parseYaml, YAMLParseError } from "yaml";
import { LINUX_DEFAULTS } from "./defaults.js";
import { ConfigError } from "./errors.js";
import { assertConfigSize } from "./size.js";
import { configSchema } from "./schema.js";
import type { HypervisorConfig, PatchwardenConfig } from "./types.js";

export { ConfigError };

export type PartialConfig = Partial<Omit<PatchwardenConfig, "hypervisors" | "limits" | "app">> & {
  app?: Partial<PatchwardenConfig["app"]>;
  hypervisors?: (Partial<HypervisorConfig> & { id: string })[];
  limits?: Partial<PatchwardenConfig["limits"]>;
};

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
    const errors = validate.errors ?? [];
    const shown = errors.slice(0, MAX_REPORTED_ERRORS).map(describeSchemaError).join("; ");
    throw new ConfigError(source, errors.length > MAX_REPORTED_ERRORS ? `${shown}; and ${errors.length - MAX_REPORTED_ERRORS} more errors` : shown);
  }
  checkRegexes(data, source);
  return data;
}

function describeSchemaError(e: ErrorObject): string {
  const where = e.instancePath ? e.instancePath.slice(1).replace(/\//g, ".") : "(top level)";
  if (e.keyword === "additionalProperties") {
    return `${where === "(top level)" ? "" : `${where}.`}${String(e.params.additionalProperty)}: unknown key`;
  }
  if (e.keyword === "enum") return `${where}: must be one of ${(e.params.allowedValues as unknown[]).join(", ")}`;
  return `${where}: ${e.message ?? "invalid"}`;
}

function checkRegexes(cfg: PartialConfig, source: string): void {
  const check = (key: string, patterns: string[] | undefined) => {
    for (const p of patterns ?? []) {
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

/**
 * Lays a user's config over the Linux defaults. Lists replace the default
 * list (a tree that names its own paths wants exactly those); hypervisors
 * merge by id, so a tree can adjust one without repeating the others; rule
 * settings merge by rule id.
 */
export function mergeConfig(user: PartialConfig, base: PatchwardenConfig = LINUX_DEFAULTS): PatchwardenConfig {
  const hypervisors = base.hypervisors.map((h) => ({ ...h }));
  for (const u of user.hypervisors ?? []) {
    const existing = hypervisors.find((h) => h.id === u.id);
    if (existing) Object.assign(existing, u);
    else hypervisors.push({ ...emptyHypervisor(u.id), ...u });
  }
  const merged: PatchwardenConfig = {
    ...base,
    ...user,
    hypervisors,
    rules: { ...base.rules },
    limits: { ...base.limits, ...user.limits },
    // overrideLabels replaces the default map: a tree that names its labels wants exactly those.
    app: { ...base.app, ...user.app },
  };
  for (const [id, settings] of Object.entries(user.rules ?? {})) merged.rules[id] = { ...base.rules[id], ...settings };
  return merged;
}

function emptyHypervisor(id: string): HypervisorConfig {
  return { id, name: id, ownPaths: [], predicateCalls: [], configSymbols: [], featureBits: [], typeConstants: [], suggestion: "", aliases: [] };
}
