import type { PatchwardenConfig } from "../config/types.js";
import { isUnder } from "../history/dirs.js";
import { gitOutput } from "../history/git-run.js";
import { censusFileFilter, locationsInFile, prefilterStrings, type CensusLocation } from "./census.js";
import { grepFiles, listTree, readBlobs, resolveCommit, type TreeEntry } from "./git-tree.js";

// The census at several revisions (`census --at REV...`, `--by release`).
// Consecutive releases share most of their files, so a file's conditionals
// are counted once per blob and path: the first revision is narrowed by git
// grep as a single census is, and each later one reads only the blobs it
// does not share with those before it.

export interface CensusRevision {
  /** What the user named: "v2024.04", "HEAD~100". */
  label: string;
  rev: string;
}

export interface CensusAtRevision {
  label: string;
  rev: string;
  commit: string;
  /** Committer date of the commit, Unix seconds. */
  time: number;
  /** Every configured hypervisor, in config order. */
  hypervisors: { id: string; name: string; count: number }[];
  /** Per PATH given (or "." for the whole scope) and hypervisor id. */
  byPath: Record<string, Record<string, number>>;
  /** Files of the revision in scope (C, assembly, Makefiles). */
  filesConsidered: number;
}

export interface CensusSeries {
  scope: "special-case" | "all";
  paths: string[];
  revisions: CensusAtRevision[];
}

export interface CensusSeriesOptions {
  all: boolean;
  paths: string[];
  /** Called after each revision, for a progress line. */
  onRevision?: (done: number, total: number) => void;
}

/**
 * git grep reads every blob of the revision; worth it only when most of
 * them are new (the first revision). Between two releases a few thousand
 * files change, and reading just those is cheaper than grepping the tree.
 */
const GREP_ABOVE = 2000;
const GREP_SHARE = 0.5;

export async function censusSeries(repo: string, revisions: CensusRevision[], config: PatchwardenConfig, options: CensusSeriesOptions): Promise<CensusSeries> {
  const filter = censusFileFilter(config, options, options.paths);
  // Releases share most of their paths: each is matched against the scope's globs once.
  const decided = new Map<string, boolean>();
  const wanted = (path: string) => {
    let yes = decided.get(path);
    if (yes === undefined) decided.set(path, (yes = filter(path)));
    return yes;
  };
  const strings = prefilterStrings(config);
  // Keyed by blob and path: the path decides the language and whose own directory it is.
  const counted = new Map<string, CensusLocation[]>();
  const key = (e: TreeEntry) => `${e.oid}\0${e.path}`;
  const out: CensusAtRevision[] = [];
  const groups = options.paths.length > 0 ? options.paths : ["."];
  for (const r of revisions) {
    const commit = await resolveCommit(repo, r.rev);
    const [tree, time] = await Promise.all([listTree(repo, commit), commitTime(repo, commit)]);
    const considered = tree.filter((e) => wanted(e.path));
    let unread = considered.filter((e) => !counted.has(key(e)));
    if (unread.length > GREP_ABOVE && unread.length > considered.length * GREP_SHARE && strings !== null) {
      const hits = await grepFiles(repo, commit, strings, options.paths);
      for (const e of unread) if (!hits.has(e.path)) counted.set(key(e), []);
      unread = unread.filter((e) => hits.has(e.path));
    }
    await readBlobs(
      repo,
      unread.map((e) => e.oid),
      // What git grep -F would have said, on the bytes: most changed files name no hypervisor, and are neither decoded nor lexed.
      (i, body) => counted.set(key(unread[i]!), strings !== null && !strings.some((s) => body.includes(s)) ? [] : locationsInFile(unread[i]!.path, body.toString("utf8"), config)),
    );
    const byPath: Record<string, Record<string, number>> = {};
    for (const g of groups) byPath[g] = Object.fromEntries(config.hypervisors.map((h) => [h.id, 0]));
    const totals = new Map<string, number>();
    for (const e of considered) {
      for (const l of counted.get(key(e)) ?? []) {
        totals.set(l.hypervisor, (totals.get(l.hypervisor) ?? 0) + 1);
        for (const g of groups) if (g === "." || isUnder(l.path, g)) byPath[g]![l.hypervisor] = (byPath[g]![l.hypervisor] ?? 0) + 1;
      }
    }
    out.push({
      label: r.label,
      rev: r.rev,
      commit,
      time,
      hypervisors: config.hypervisors.map((h) => ({ id: h.id, name: h.name, count: totals.get(h.id) ?? 0 })),
      byPath,
      filesConsidered: considered.length,
    });
    options.onRevision?.(out.length, revisions.length);
  }
  return { scope: options.all ? "all" : "special-case", paths: options.paths, revisions: out };
}

async function commitTime(repo: string, commit: string): Promise<number> {
  const { stdout } = await gitOutput(repo, ["log", "-1", "--format=%ct", commit]);
  return Number(stdout.toString("utf8").trim());
}

/**
 * The columns worth showing: per PATH (or the whole scope) and hypervisor,
 * those with a conditional at some revision, as "Xen" or "arch/x86 Xen".
 */
export function censusColumns(series: CensusSeries): { group: string; hypervisor: string; name: string; label: string; values: number[] }[] {
  const first = series.revisions[0];
  if (!first) return [];
  const groups = Object.keys(first.byPath);
  const out = [];
  for (const g of groups) {
    for (const h of first.hypervisors) {
      const values = series.revisions.map((r) => r.byPath[g]?.[h.id] ?? 0);
      if (values.every((v) => v === 0)) continue;
      out.push({ group: g, hypervisor: h.id, name: h.name, label: g === "." ? h.name : `${g} ${h.name}`, values });
    }
  }
  return out;
}
