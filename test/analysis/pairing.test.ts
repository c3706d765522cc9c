import { describe, expect, it } from "@jest/globals";
import { unpairedAdditions, type Pairable } from "../../src/analysis/pairing.js";
import { growthRatio, LINEAR_GROWTH_LIMIT } from "../security/growth.js";

const item = (key: string, path: string, normalized: string): Pairable => ({ key, path, normalized });

describe("unpairedAdditions", () => {
  it("pairs same text first, then same file, then anywhere, each removed line once", () => {
    const a1 = item("xen:run", "a.c", "if (xen_pv_domain())");
    const a2 = item("xen:run", "b.c", "if (xen_hvm_domain())");
    const a3 = item("xen:run", "c.c", "if (xen_domain())");
    const a4 = item("kvm:run", "a.c", "if (kvm_para_available())");
    const removed = [item("xen:run", "z.c", "if (xen_pv_domain())"), item("xen:run", "b.c", "if (xen_initial_domain())")];
    // a1 pairs by text, a2 by file; nothing is left for a3; a4 has no key to pair with.
    expect(unpairedAdditions([a1, a2, a3, a4], removed)).toEqual([a3, a4]);
  });

  it("costs the sum of added and removed, not their product", () => {
    // The inputs are built outside the timed call: only pairing is measured.
    const inputs = new Map<string, { added: Pairable[]; removed: Pairable[] }>();
    const make = (n: number) => {
      const key = String(n);
      if (!inputs.has(key)) {
        inputs.set(key, {
          added: Array.from({ length: n }, (_, i) => item("kvm:run", "a.c", `b${i}`)),
          removed: Array.from({ length: n }, (_, i) => item("xen:run", "a.c", `a${i}`)),
        });
      }
      return key;
    };
    const run = (key: string) => {
      const { added, removed } = inputs.get(key)!;
      return unpairedAdditions(added, removed).length;
    };
    expect(growthRatio(run, make, 2000)).toBeLessThan(LINEAR_GROWTH_LIMIT);
  });
});
