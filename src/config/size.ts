import { ConfigError } from "./errors.js";

/**
 * A config is a few kilobytes; the YAML reader's duplicate-key check is
 * quadratic in the keys of a mapping (16,000 keys: 1.6 s; 32 KiB holds ~3,700: 0.1 s), so the size is
 * refused before anything parses it.
 */
export const MAX_CONFIG_BYTES = 32 * 1024;

export function assertConfigSize(bytes: number, source: string): void {
  if (bytes > MAX_CONFIG_BYTES) throw new ConfigError(source, `${bytes} bytes; a config file may have at most ${MAX_CONFIG_BYTES} bytes`);
}
