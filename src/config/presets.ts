// Named starting points for `extends:`. linux is the defaults themselves
// (src/config/defaults.ts); every other preset is a config laid over the
// one it extends, written in the same {add, remove} forms a tree's own file
// may use, so a preset reads as what it changes.
import type { PartialConfig } from "./load.js";
import { U_BOOT_PRESET } from "./presets/u-boot.js";

const PRESETS: Record<string, PartialConfig> = {
  "u-boot": U_BOOT_PRESET,
};

export function presetNames(): string[] {
  return ["linux", ...Object.keys(PRESETS)];
}

/** The preset's config (linux: the defaults, so an empty layer), or undefined for an unknown name. */
export function presetOf(name: string): PartialConfig | undefined {
  if (name === "linux") return {};
  return Object.hasOwn(PRESETS, name) ? PRESETS[name] : undefined;
}
