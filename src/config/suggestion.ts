import picomatch from "picomatch";
import type { HypervisorConfig } from "./types.js";

const matchers = new WeakMap<object, (path: string) => boolean>();

/**
 * The suggestion for a special case in `file`: the first of the
 * hypervisor's path-specific ones that matches (the x86 hooks for
 * arch/x86/), else its general one, so an ARM board file is never told to
 * use a hook in arch/x86/.
 */
export function suggestionFor(hv: HypervisorConfig, file: string): string {
  for (const s of hv.suggestions ?? []) {
    let match = matchers.get(s);
    if (!match) {
      match = picomatch(s.paths, { dot: true });
      matchers.set(s, match);
    }
    if (match(file)) return s.text;
  }
  return hv.suggestion;
}
