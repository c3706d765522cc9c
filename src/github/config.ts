import { ConfigError } from "../config/errors.js";
import type { PatchwardenConfig } from "../config/types.js";

/** The part of a Probot context that reads `.github/<file>` (with `_extends` and the org's `.github` repo). */
export interface ConfigReader {
  config<T>(fileName: string, defaultConfig?: T): Promise<T | null>;
}

export const CONFIG_FILE = "patchwarden.yml";

/**
 * `.github/patchwarden.yml` laid over the Linux defaults. A file that does not
 * parse or validate becomes a ConfigError whose message quotes the bad key,
 * for a failing check run that says what is wrong.
 */
export async function loadRepoConfig(reader: ConfigReader): Promise<PatchwardenConfig> {
  const { mergeConfig, validateConfigObject } = await import("../config/load.js");
  let data: unknown;
  try {
    data = await reader.config<Record<string, unknown>>(CONFIG_FILE);
  } catch (err) {
    // Probot's YAML reader throws on a syntax error; a network failure is not the user's to fix.
    const message = (err as Error).message ?? String(err);
    if ((err as { status?: number }).status !== undefined && (err as { status: number }).status >= 500) throw err;
    throw new ConfigError(`.github/${CONFIG_FILE}`, `cannot be read as YAML: ${message.split("\n")[0]}`);
  }
  return mergeConfig(validateConfigObject(data, `.github/${CONFIG_FILE}`));
}
