// `patchwarden config [--print]`: which file over which preset, and with
// --print every effective value marked with where it came from.
import { stringify } from "yaml";
import type { LoadedConfig } from "./file.js";

export async function describeConfig(loaded: LoadedConfig, opts: { print: boolean; format: "yaml" | "json" }): Promise<string> {
  const { parseConfigText, resolveConfig } = await import("./load.js");
  const user = loaded.text === null || loaded.source === null ? {} : parseConfigText(loaded.text, loaded.source);
  const resolved = resolveConfig(user, loaded.source ?? "(none)");
  if (opts.format === "json") {
    return `${JSON.stringify({ source: loaded.source, presets: resolved.presets, origin: resolved.origin, ...(opts.print ? { config: resolved.config } : {}) }, null, 2)}\n`;
  }
  const out: string[] = [];
  out.push(`# configuration file: ${loaded.source ?? "none (defaults only)"}`);
  out.push(`# presets, outermost last: ${resolved.presets.join(" <- ")}`);
  if (!opts.print) {
    const fromFile = Object.entries(resolved.origin).filter(([, o]) => o !== `preset ${resolved.presets[0]}`);
    out.push(fromFile.length === 0 ? "# every value is the preset's" : `# set over the preset: ${fromFile.map(([k, o]) => `${k} (${o})`).join(", ")}`);
    out.push("# (--print shows every value)");
    return `${out.join("\n")}\n`;
  }
  const { subsystemMap: _ignored, ...config } = resolved.config;
  for (const [key, value] of Object.entries(config)) {
    out.push("");
    out.push(`# ${key}: ${resolved.origin[key] ?? `preset ${resolved.presets[0]}`}`);
    out.push(stringify({ [key]: value }, { lineWidth: 0 }).trimEnd());
  }
  return `${out.join("\n")}\n`;
}
