import picomatch from "picomatch";
import { memoByPath } from "../util/path-memo.js";
import type { HypervisorConfig, PatchwardenConfig } from "./types.js";

/**
 * Answers "whose code is this path?" for the rules. Built once per config:
 * compiling globs is the expensive part, matching is cheap.
 */
export interface PathMap {
  /** Hypervisors (ids) that own this path, e.g. ["xen"] for arch/x86/xen/mmu.c. */
  ownersOf(path: string): string[];
  /** True where an added hypervisor test is a finding: arch, core, driver-subsystem core. */
  inSpecialCaseScope(path: string): boolean;
  /** True for architecture-independent core code (mm/, kernel/, ...). */
  isCore(path: string): boolean;
  hypervisor(id: string): HypervisorConfig | undefined;
}

const cache = new WeakMap<PatchwardenConfig, PathMap>();

export function pathMapFor(config: PatchwardenConfig): PathMap {
  let map = cache.get(config);
  if (!map) {
    map = buildPathMap(config);
    cache.set(config, map);
  }
  return map;
}

function buildPathMap(config: PatchwardenConfig): PathMap {
  const opts = { dot: true };
  // A hypervisor's directory says more than a file name does: KVM's
  // arch/x86/kvm/hyperv.c (KVM emulating Hyper-V) and powerpc's
  // arch/powerpc/kvm/book3s_hv.c ("HV" for hypervisor mode) are KVM's, not
  // Hyper-V's, although `*hyperv*` and `*_hv.*` name Hyper-V files elsewhere.
  const byDirectory = (p: string) => p.includes("/**") || /^[^*?[]+\//.test(p);
  const matcher = (patterns: string[]) => (patterns.length ? picomatch(patterns, opts) : () => false);
  const owners = config.hypervisors.map((h) => ({ id: h.id, dir: matcher(h.ownPaths.filter(byDirectory)), name: matcher(h.ownPaths.filter((p) => !byDirectory(p))) }));
  const scope = picomatch(config.specialCaseScope, opts);
  const exclude = config.specialCaseExclude.length ? picomatch(config.specialCaseExclude, opts) : () => false;
  const core = picomatch(config.corePaths, opts);
  const byId = new Map(config.hypervisors.map((h) => [h.id, h]));
  // Every rule asks about the same few paths: the answers are remembered (src/util/path-memo.ts).
  return {
    ownersOf: memoByPath((path) => {
      const byDir = owners.filter((o) => o.dir(path)).map((o) => o.id);
      return byDir.length > 0 ? byDir : owners.filter((o) => o.name(path)).map((o) => o.id);
    }),
    inSpecialCaseScope: memoByPath((path) => scope(path) && !exclude(path)),
    isCore: memoByPath((path) => core(path)),
    hypervisor: (id) => byId.get(id),
  };
}
