import { readFile } from "node:fs/promises";
import path from "node:path";
import { LINUX_DEFAULTS } from "./defaults.js";
import { ConfigError } from "./errors.js";
import type { PatchwardenConfig } from "./types.js";

/** The config from `--config FILE` laid over the Linux defaults, or the defaults alone. */
export async function loadConfigFile(file: string | undefined, cwd: string): Promise<PatchwardenConfig> {
  if (file === undefined) return LINUX_DEFAULTS;
  let text: string;
  try {
    text = await readFile(path.resolve(cwd, file), "utf8");
  } catch (err) {
    throw new ConfigError(file, `cannot read: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
  // ajv and yaml cost ~150 ms to load and compile; only a run with --config pays for them.
  const { mergeConfig, parseConfigText } = await import("./load.js");
  const user = parseConfigText(text, file);
  await (await import("./regex-safety.js")).assertLinearPatterns(user, file);
  return mergeConfig(user);
}
