import { ConfigError } from "../config/errors.js";
import { assertConfigSize } from "../config/size.js";
import type { PatchwardenConfig } from "../config/types.js";
import type { Octokit } from "./types.js";

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
    if (err instanceof ConfigError) throw err;
    // Probot's YAML reader throws on a syntax error; a network failure is not the user's to fix.
    const message = (err as Error).message ?? String(err);
    if ((err as { status?: number }).status !== undefined && (err as { status: number }).status >= 500) throw err;
    throw new ConfigError(`.github/${CONFIG_FILE}`, `cannot be read as YAML: ${message.split("\n")[0]}`);
  }
  const user = validateConfigObject(data, `.github/${CONFIG_FILE}`);
  await (await import("../config/regex-safety.js")).assertLinearPatterns(user, `.github/${CONFIG_FILE}`);
  return mergeConfig(user);
}

/**
 * Probot's config reader parses whatever the contents API returns, and its
 * YAML reader's duplicate-key check is quadratic (a 5 MB config with 250,000
 * keys held the server for 60 s). This refuses an oversized config file
 * between the download and the parse, with the same limit as the CLI.
 * (The download itself is bounded by GitHub: the contents API serves files up to 100 MB.)
 */
export function guardConfigReads(octokit: Octokit): void {
  octokit.hook.wrap("request", async (request, options) => {
    const response = await request(options);
    const path = typeof options.path === "string" ? options.path : "";
    if (String(options.url).includes("/contents/") && path.endsWith(CONFIG_FILE) && typeof response.data === "string") {
      assertConfigSize(Buffer.byteLength(response.data), path);
    }
    return response;
  });
}
