import type { CensusReport } from "./census.js";

export interface CensusHeader {
  rev: string;
  commit: string;
  paths: string[];
  filesInTree: number;
  /** C, assembly and Makefiles in scope: the files that could count. */
  filesConsidered: number;
}

export function formatCensusJson(report: CensusReport, header: CensusHeader): string {
  return `${JSON.stringify({ ...header, ...report }, null, 2)}\n`;
}

const table = (rows: string[][]): string[] => {
  const widths = rows[0]!.map((_, k) => Math.max(...rows.map((r) => (r[k] ?? "").length)));
  return rows.map((r) => r.map((cell, k) => (k === 0 ? cell.padEnd(widths[0]!) : cell.padStart(widths[k]!))).join("  ").trimEnd());
};

export function formatCensusText(report: CensusReport, header: CensusHeader, topDirs: number, list = false): string {
  const total = report.locations.length;
  const files = new Set(report.locations.map((l) => l.path)).size;
  const where =
    report.scope === "all"
      ? "arch, core and driver-core code, hypervisors' own directories included"
      : "arch, core and driver-core code outside each hypervisor's own directories";
  const out = [
    `Hypervisor conditionals in ${header.rev} (${header.commit.slice(0, 12)})${header.paths.length ? ` under ${header.paths.join(", ")}` : ""}: ${total} in ${files} files, ${where}.`,
    `${header.filesConsidered} of ${header.filesInTree} files are C, assembly or Makefiles in scope; ${report.filesRead} name a hypervisor token and were read.`,
    "",
  ];
  const all = report.scope === "all";
  out.push(...table([["hypervisor", "conditionals", ...(all ? ["in own dirs"] : [])], ...report.hypervisors.map((h) => [h.name, String(h.count), ...(all ? [String(h.own)] : [])]), ["total", String(total), ...(all ? [String(report.locations.filter((l) => l.own).length)] : [])]]));

  if (report.directories.length > 0) {
    const hvs = report.hypervisors.filter((h) => h.count > 0);
    const shown = report.directories.slice(0, topDirs);
    out.push("", `By directory (${report.depth} path components), most first:`);
    out.push(...table([["directory", ...hvs.map((h) => h.name), "total"], ...shown.map((d) => [d.dir, ...hvs.map((h) => String(d.byHypervisor[h.id] ?? "")), String(d.total)])]));
    if (report.directories.length > shown.length) out.push(`... and ${report.directories.length - shown.length} more directories (--format json lists all, with every location)`);
  }
  if (list && report.locations.length > 0) {
    // path:line first, as compilers and checkpatch print it, so editors jump there.
    out.push("", "Locations:");
    const names = new Map(report.hypervisors.map((h) => [h.id, h.name]));
    for (const l of report.locations) out.push(`${l.path}:${l.line}: ${names.get(l.hypervisor) ?? l.hypervisor}: ${l.token}${l.own ? " (own directory)" : ""}`);
  }
  return `${out.join("\n")}\n`;
}
