import { directoryOf, isUnder, topCounts, topLevelDir } from "./dirs.js";
import type { LogCommit } from "./log-parse.js";

// Linus's question, counted: of the files touched by commits that touch
// arch/x86/kvm, how many lie outside it, and where. Treewide commits (SPDX
// tags, header moves, API renames) touch thousands of files each and would
// swamp the figures, so they are counted apart and left out of the rest.

export interface SprawlOptions {
  /** Directories (or files) from the top of the tree, already normalised. */
  paths: string[];
  /** A commit touching more files than this is treewide. */
  treewideFiles: number;
  /** ...or files in more top-level directories than this. */
  treewideDirs: number;
  /** Path components kept when grouping outside files by directory. */
  depth: number;
  /** How many outside directories to report per path. */
  top: number;
  /**
   * What lies inside each column, when it is more than the one path (a
   * subsystem of several directories, as MAINTAINERS gives it); parallel
   * to `paths`, which then only name the columns.
   */
  inside?: ((file: string) => boolean)[];
}

export interface DirCount {
  dir: string;
  files: number;
}

export interface SprawlColumn {
  path: string;
  /** Commits touching the path, treewide ones left out. */
  commits: number;
  /** Of those, commits that also touch something outside it. */
  commitsReachingOutside: number;
  filesInside: number;
  filesOutside: number;
  /** filesOutside / (filesInside + filesOutside), 4 decimals; 0 when nothing was touched. */
  share: number;
  topOutside: DirCount[];
  treewide: { commits: number; files: number };
}

export interface TreewideCommit {
  hash: string;
  subject: string;
  files: number;
  topLevelDirs: number;
  /** The PATHs it touches. */
  paths: string[];
}

export interface SprawlReport {
  treewideFiles: number;
  treewideDirs: number;
  depth: number;
  /** Commits git listed: those touching any of the paths. */
  commitsRead: number;
  columns: SprawlColumn[];
  /** Largest first. */
  treewide: TreewideCommit[];
}

interface Column {
  path: string;
  holds: (file: string) => boolean;
  commits: number;
  reaching: number;
  inside: number;
  outside: number;
  dirs: Map<string, number>;
  twCommits: number;
  twFiles: number;
}

export interface SprawlTally {
  add(commit: LogCommit): void;
  readonly commitsRead: number;
  report(): SprawlReport;
}

export function sprawlTally(options: SprawlOptions): SprawlTally {
  const columns: Column[] = options.paths.map((path, i) => ({ path, holds: options.inside?.[i] ?? ((f: string) => isUnder(f, path)), commits: 0, reaching: 0, inside: 0, outside: 0, dirs: new Map(), twCommits: 0, twFiles: 0 }));
  const treewide: TreewideCommit[] = [];
  let commitsRead = 0;

  const isTreewide = (files: string[]): { dirs: number } | null => {
    const dirs = new Set<string>();
    for (const f of files) {
      const top = topLevelDir(f);
      if (top !== null) dirs.add(top);
    }
    return files.length > options.treewideFiles || dirs.size > options.treewideDirs ? { dirs: dirs.size } : null;
  };

  return {
    get commitsRead() {
      return commitsRead;
    },
    add(commit) {
      commitsRead++;
      const files = commit.files;
      const touched: { col: Column; inside: number }[] = [];
      for (const col of columns) {
        let inside = 0;
        for (const f of files) if (col.holds(f)) inside++;
        if (inside > 0) touched.push({ col, inside });
      }
      if (touched.length === 0) return;
      const tw = isTreewide(files);
      if (tw) {
        for (const { col } of touched) {
          col.twCommits++;
          col.twFiles += files.length;
        }
        treewide.push({ hash: commit.hash, subject: commit.subject, files: files.length, topLevelDirs: tw.dirs, paths: touched.map((t) => t.col.path) });
        return;
      }
      for (const { col, inside } of touched) {
        col.commits++;
        col.inside += inside;
        col.outside += files.length - inside;
        if (inside < files.length) col.reaching++;
        for (const f of files) {
          if (col.holds(f)) continue;
          const dir = directoryOf(f, options.depth);
          col.dirs.set(dir, (col.dirs.get(dir) ?? 0) + 1);
        }
      }
    },
    report() {
      return {
        treewideFiles: options.treewideFiles,
        treewideDirs: options.treewideDirs,
        depth: options.depth,
        commitsRead,
        columns: columns.map((c) => ({
          path: c.path,
          commits: c.commits,
          commitsReachingOutside: c.reaching,
          filesInside: c.inside,
          filesOutside: c.outside,
          share: c.inside + c.outside === 0 ? 0 : Math.round((c.outside / (c.inside + c.outside)) * 10000) / 10000,
          topOutside: topCounts(c.dirs, options.top).map(([dir, files]) => ({ dir, files })),
          treewide: { commits: c.twCommits, files: c.twFiles },
        })),
        treewide: [...treewide].sort((a, b) => b.files - a.files || a.hash.localeCompare(b.hash)),
      };
    },
  };
}
