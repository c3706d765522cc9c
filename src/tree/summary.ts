import { changedCodeLines } from "../analysis/code-lines.js";
import { hvTestDetector, preferSpecific } from "../analysis/hv-tests.js";
import { pathMapFor } from "../config/paths.js";
import type { PatchwardenConfig } from "../config/types.js";
import { directoryOf } from "../history/dirs.js";
import { viewOf } from "../patch/source-view.js";
import { displayPath, type Series } from "../patch/types.js";
import type { TreeFacts } from "./types.js";

// "One lonely #ifdef CONFIG_KVM_CLOCK in arch/x86 against ten CONFIG_XEN*":
// the count that made the argument, shown with every review that has a
// tree. Per area the series touches and per hypervisor: conditionals at the
// base, and after the series (the base count plus the tests it adds, minus
// those it removes, counted as census counts: one per line and hypervisor).

export interface CensusDelta {
  area: string;
  hypervisor: string;
  name: string;
  before: number;
  added: number;
  removed: number;
  after: number;
}

/** Rows worth showing: a hypervisor the series adds or removes tests of, or whose conditionals stand in an area it touches. */
export function censusDelta(series: Series, facts: TreeFacts, config: PatchwardenConfig): CensusDelta[] {
  if (!facts.census) return [];
  const paths = pathMapFor(config);
  const detector = hvTestDetector(config);
  const change = new Map<string, { added: number; removed: number }>();
  for (const file of series.files) {
    const path = displayPath(file);
    if (file.binary || !paths.inSpecialCaseScope(path) || paths.ownersOf(path).length > 0) continue;
    const view = viewOf(file, config.limits.maxParseBytes);
    for (const side of ["new", "old"] as const) {
      for (const line of changedCodeLines(view, side)) {
        const hvs = new Set(preferSpecific(detector.find(line)).map((t) => t.hypervisor));
        for (const hv of hvs) {
          const key = `${directoryOf(path, 2)}\0${hv}`;
          const c = change.get(key) ?? { added: 0, removed: 0 };
          if (side === "new") c.added++;
          else c.removed++;
          change.set(key, c);
        }
      }
    }
  }
  const out: CensusDelta[] = [];
  for (const row of facts.census) {
    const c = change.get(`${row.area}\0${row.hypervisor}`) ?? { added: 0, removed: 0 };
    if (row.count === 0 && c.added === 0 && c.removed === 0) continue;
    const name = config.hypervisors.find((h) => h.id === row.hypervisor)?.name ?? row.hypervisor;
    out.push({ area: row.area, hypervisor: row.hypervisor, name, before: row.count, added: c.added, removed: c.removed, after: Math.max(0, row.count + c.added - c.removed) });
  }
  return out;
}

/** `arch/x86: 41 Xen conditionals at the base, 43 after this series (+2)`; the series that removes some says so. */
export function describeDelta(d: CensusDelta): string {
  const noun = (n: number) => `${n} ${d.name} conditional${n === 1 ? "" : "s"}`;
  if (d.added === 0 && d.removed === 0) return `${d.area}: ${noun(d.before)} at the base; this series adds and removes none`;
  const net = d.after - d.before;
  const sign = net > 0 ? `+${net}` : `${net}`;
  const detail = d.removed > 0 && d.added > 0 ? `; ${d.added} added, ${d.removed} removed` : "";
  const praise = net < 0 ? " — fewer special cases in shared code" : "";
  return `${d.area}: ${noun(d.before)} at the base, ${d.after} after this series (${sign}${detail})${praise}`;
}
