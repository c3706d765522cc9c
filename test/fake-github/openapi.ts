// Request-body validation against GitHub's own OpenAPI description
// (@octokit/openapi). The 13 MB description is read at most once per
// process, lazily, and boiled down to the request-body schemas of the write
// operations (~300 KB, $refs resolved, descriptions dropped); that digest is
// cached in the OS temp directory keyed by the package version and file
// stamp, so later processes (other jest workers) load it in milliseconds.
// Each operation's schema is compiled with ajv on first use.
import fs from "node:fs";
import { createRequire } from "node:module";
import os from "node:os";
import path from "node:path";
import { Ajv, type ErrorObject, type ValidateFunction } from "ajv";

const DIGEST_FORMAT = 1;
const WRITE_METHODS = ["post", "patch", "put", "delete"] as const;

interface OperationDigest {
  operationId: string;
  docUrl: string | null;
  bodyRequired: boolean;
  schema: unknown;
}

interface Digest {
  format: number;
  spec: string;
  operations: Record<string, OperationDigest>;
}

export interface OpenApiLoadStats {
  /** "cache": the digest came from the temp-dir cache; "spec": the description was parsed (and the cache written). */
  source: "cache" | "spec";
  ms: number;
  specFile: string;
  cacheFile: string;
  operations: number;
}

let digest: Digest | null = null;
let stats: OpenApiLoadStats | null = null;
let ajv: Ajv | null = null;
const compiled = new Map<string, ValidateFunction>();

function specFile(): string {
  const require = createRequire(import.meta.url);
  return path.join(path.dirname(require.resolve("@octokit/openapi/package.json")), "generated", "api.github.com.json");
}

/** How the digest was loaded in this process (null until the first validation). */
export function openApiLoadStats(): OpenApiLoadStats | null {
  return stats;
}

function loadDigest(): Digest {
  if (digest) return digest;
  const started = performance.now();
  const spec = specFile();
  const st = fs.statSync(spec);
  const pkg = JSON.parse(fs.readFileSync(path.join(path.dirname(spec), "..", "package.json"), "utf8")) as { version?: string };
  const cacheFile = path.join(os.tmpdir(), `patchwarden-fake-github-openapi-f${DIGEST_FORMAT}-${pkg.version ?? "x"}-${st.size}-${Math.trunc(st.mtimeMs)}.json`);
  let source: OpenApiLoadStats["source"] = "cache";
  try {
    digest = JSON.parse(fs.readFileSync(cacheFile, "utf8")) as Digest;
    if (digest.format !== DIGEST_FORMAT) digest = null;
  } catch {
    digest = null;
  }
  if (!digest) {
    source = "spec";
    digest = buildDigest(JSON.parse(fs.readFileSync(spec, "utf8")) as Spec, spec);
    try {
      const tmp = `${cacheFile}.${process.pid}.tmp`;
      fs.writeFileSync(tmp, JSON.stringify(digest));
      fs.renameSync(tmp, cacheFile);
    } catch {
      // a read-only temp dir only costs the next process the full parse
    }
  }
  stats = { source, ms: Math.round(performance.now() - started), specFile: spec, cacheFile, operations: Object.keys(digest.operations).length };
  return digest;
}

interface Spec {
  paths: Record<string, Record<string, { operationId?: string; externalDocs?: { url?: string }; requestBody?: { required?: boolean; content?: Record<string, { schema?: unknown }> } }>>;
  components: { schemas: Record<string, unknown> };
}

const DROP = new Set(["description", "example", "examples", "readOnly", "writeOnly", "deprecated", "externalDocs", "xml", "title"]);

/** Resolves $refs (a cycle becomes `{}`), drops documentation, turns `nullable` into a JSON Schema type union. */
function simplify(node: unknown, spec: Spec, seen: readonly string[]): unknown {
  if (Array.isArray(node)) return node.map((n) => simplify(n, spec, seen));
  if (node === null || typeof node !== "object") return node;
  const obj = node as Record<string, unknown>;
  if (typeof obj.$ref === "string") {
    const name = obj.$ref.replace(/^#\/components\/schemas\//, "");
    if (seen.includes(name) || !(name in spec.components.schemas)) return {};
    return simplify(spec.components.schemas[name], spec, [...seen, name]);
  }
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(obj)) {
    if (DROP.has(k) || k.startsWith("x-")) continue;
    if (k === "properties" && v && typeof v === "object") {
      out[k] = Object.fromEntries(Object.entries(v as Record<string, unknown>).map(([p, s]) => [p, simplify(s, spec, seen)]));
    } else {
      out[k] = simplify(v, spec, seen);
    }
  }
  if (out.nullable === true) {
    delete out.nullable;
    if (typeof out.type === "string") out.type = [out.type, "null"];
    if (Array.isArray(out.enum) && !out.enum.includes(null)) out.enum = [...out.enum, null];
  } else if ("nullable" in out) {
    delete out.nullable;
  }
  return out;
}

function buildDigest(spec: Spec, file: string): Digest {
  const operations: Record<string, OperationDigest> = {};
  for (const [template, item] of Object.entries(spec.paths)) {
    for (const m of WRITE_METHODS) {
      const op = item[m];
      if (!op) continue;
      const schema = op.requestBody?.content?.["application/json"]?.schema;
      operations[`${m.toUpperCase()} ${template}`] = {
        operationId: op.operationId ?? "",
        docUrl: op.externalDocs?.url ?? null,
        bodyRequired: op.requestBody?.required === true,
        schema: schema === undefined ? null : simplify(schema, spec, []),
      };
    }
  }
  return { format: DIGEST_FORMAT, spec: path.basename(file), operations };
}

/** True when the description has this operation (e.g. "POST /repos/{owner}/{repo}/check-runs"). */
export function hasOperation(key: string): boolean {
  return key in loadDigest().operations;
}

export function operationDocUrl(key: string): string | null {
  return loadDigest().operations[key]?.docUrl ?? null;
}

const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:?\d{2})$/;

function validatorFor(key: string): ValidateFunction | null {
  const cached = compiled.get(key);
  if (cached) return cached;
  const op = loadDigest().operations[key];
  if (!op) throw new Error(`fake GitHub: no operation ${key} in the OpenAPI description`);
  if (op.schema === null) return null;
  if (!ajv) {
    ajv = new Ajv({ strict: false, allErrors: true, logger: false });
    ajv.addFormat("date-time", DATE_TIME);
  }
  const a = ajv;
  walk(op.schema, (n) => {
    if (typeof n.format === "string" && !a.formats[n.format]) a.addFormat(n.format, true);
  });
  const v = a.compile(op.schema as object);
  compiled.set(key, v);
  return v;
}

function walk(node: unknown, fn: (n: Record<string, unknown>) => void): void {
  if (Array.isArray(node)) node.forEach((n) => walk(n, fn));
  else if (node && typeof node === "object") {
    fn(node as Record<string, unknown>);
    Object.values(node).forEach((n) => walk(n, fn));
  }
}

/**
 * Validates a request body for an operation key ("PATCH /repos/{owner}/{repo}/check-runs/{check_run_id}").
 * Returns null when valid, else GitHub's 422 message ("Invalid request.\n\n...").
 * A missing body counts as `{}`, as GitHub reads it.
 */
export function validateBody(key: string, body: unknown): string | null {
  const v = validatorFor(key);
  if (!v) return null;
  const data = body === undefined ? {} : body;
  if (v(data)) return null;
  return `Invalid request.\n\n${describe(v.errors ?? [], data).join("\n")}`;
}

/** Ruby's `inspect`, which GitHub uses to show the offending value. */
export function rubyInspect(v: unknown, limit = 200): string {
  const s = inspect(v);
  return s.length > limit ? `${s.slice(0, limit)}...` : s;
}

function inspect(v: unknown): string {
  if (v === null || v === undefined) return "nil";
  if (typeof v === "string") return JSON.stringify(v);
  if (typeof v === "number" || typeof v === "boolean") return String(v);
  if (Array.isArray(v)) return `[${v.map(inspect).join(", ")}]`;
  return `{${Object.entries(v as Record<string, unknown>)
    .map(([k, x]) => `${JSON.stringify(k)} => ${inspect(x)}`)
    .join(", ")}}`;
}

function valueAt(data: unknown, pointer: string): unknown {
  let cur = data;
  for (const part of pointer.split("/").slice(1)) {
    const key = part.replace(/~1/g, "/").replace(/~0/g, "~");
    if (cur === null || typeof cur !== "object") return undefined;
    cur = (cur as Record<string, unknown>)[key];
  }
  return cur;
}

/** The part of the schema path GitHub names: 'properties/<name>' or 'items'. */
function schemaPlace(e: ErrorObject): string {
  const parts = e.schemaPath.replace(/^#\//, "").split("/");
  parts.pop(); // the keyword
  const last = parts[parts.length - 1];
  const before = parts[parts.length - 2];
  if (before === "properties" && last !== undefined) return `properties/${last}`;
  if (last === "items") return "items";
  return parts.length ? parts.slice(-2).join("/") : "root";
}

const ARTICLE: Record<string, string> = { object: "an object", array: "an array", integer: "an integer", string: "a string", number: "a number", boolean: "a boolean", null: "null" };

function describeType(t: unknown): string {
  const types = Array.isArray(t) ? t : [t];
  const names = types.map((x) => ARTICLE[String(x)] ?? String(x));
  // GitHub: "is not a string or null."
  return names.length > 1 ? `${names.slice(0, -1).join(", ")} or ${types[types.length - 1] === "null" ? "null" : names[names.length - 1]}` : (names[0] ?? "valid");
}

function describe(errors: readonly ErrorObject[], data: unknown): string[] {
  const out: string[] = [];
  const missing = new Map<string, string[]>();
  for (const e of errors) {
    const value = rubyInspect(valueAt(data, e.instancePath));
    const place = schemaPlace(e);
    switch (e.keyword) {
      case "required": {
        const list = missing.get(e.instancePath) ?? [];
        list.push(String((e.params as { missingProperty?: string }).missingProperty));
        missing.set(e.instancePath, list);
        break;
      }
      case "type":
        out.push(`For '${place}', ${value} is not ${describeType((e.params as { type?: unknown }).type)}.`);
        break;
      case "enum":
        out.push(`For '${place}', ${value} is not a member of ${inspect((e.params as { allowedValues?: unknown }).allowedValues)}.`);
        break;
      case "maxItems":
        out.push(`For '${place}', ${value} has more than ${String((e.params as { limit?: number }).limit)} items.`);
        break;
      case "minItems":
        out.push(`For '${place}', ${value} has fewer than ${String((e.params as { limit?: number }).limit)} items.`);
        break;
      case "maxLength":
        out.push(`For '${place}', ${value} is longer than ${String((e.params as { limit?: number }).limit)} characters.`);
        break;
      case "minLength":
        out.push(`For '${place}', ${value} is shorter than ${String((e.params as { limit?: number }).limit)} characters.`);
        break;
      case "additionalProperties":
        out.push(`"${String((e.params as { additionalProperty?: string }).additionalProperty)}" is not a permitted key.`);
        break;
      case "format":
        out.push(`For '${place}', ${value} is not a valid ${String((e.params as { format?: string }).format)}.`);
        break;
      case "anyOf":
      case "oneOf":
        out.push(`No subschema in "${e.keyword}" matched.`);
        break;
      default:
        out.push(`For '${place}', ${value} ${e.message ?? "is invalid"}.`);
    }
  }
  const lines: string[] = [];
  for (const names of missing.values()) {
    const uniq = [...new Set(names)];
    lines.push(uniq.length === 1 ? `"${uniq[0]!}" wasn't supplied.` : `${uniq.map((n) => `"${n}"`).join(", ")} weren't supplied.`);
  }
  return [...new Set([...out, ...lines])];
}
