import type { HypervisorConfig } from "../config/types.js";

// Names that say whose code they are: `xen_pv_setup`, `DECLARE_IDTENTRY_XEN`,
// `VMW_PORT`, `hv_get_vp_index`. Read by words of the identifier (split at
// `_`), not by regular expressions, so a tree's config cannot make the scan
// slow. A word anywhere names the hypervisor when it can mean nothing else
// (`xen`, `hyperv`, `vmware`); a short or shared one only as the first word
// (`hv_` is Hyper-V's at the start of a name, but "hv" inside one is often
// "hypervisor" in general).

interface NameWords {
  anywhere: string[];
  first: string[];
}

/** Defaults per hypervisor id; a hypervisor the tree's config adds names none until it says. */
const DEFAULT_NAME_WORDS: Record<string, NameWords> = {
  xen: { anywhere: ["xen", "xenpv", "xenhvm"], first: [] },
  hyperv: { anywhere: ["hyperv", "mshyperv", "vmbus"], first: ["hv"] },
  vmware: { anywhere: ["vmware"], first: ["vmw"] },
  kvm: { anywhere: [], first: ["kvm"] },
  acrn: { anywhere: ["acrn"], first: [] },
  jailhouse: { anywhere: ["jailhouse"], first: [] },
};

/** A test of whether a name is this hypervisor's, or null when it names none. */
export function hypervisorNamePatterns(hv: HypervisorConfig): ((name: string) => boolean) | null {
  const words = DEFAULT_NAME_WORDS[hv.id];
  if (!words) return null;
  const anywhere = new Set(words.anywhere);
  const first = new Set(words.first);
  return (name) => {
    const parts = name.toLowerCase().split("_").filter((p) => p !== "");
    if (parts.length === 0) return false;
    return first.has(parts[0]!) || parts.some((p) => anywhere.has(p));
  };
}
