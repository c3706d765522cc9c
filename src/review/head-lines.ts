import { displayPath, type FileChange, type Series } from "../patch/types.js";

// A finding names a line of the commit that introduced it; GitHub takes
// review comments on lines of the pull request's whole diff, that is, of the
// head. Later commits of the series may have moved the line or removed it.

export interface HeadLocation {
  path: string;
  line: number;
}

/**
 * Where `line` of `path` after commit `commitIndex` ends up at the head of
 * the series, or null when a later commit deletes or rewrites it (or the file).
 */
export function lineAtHead(series: Series, commitIndex: number, path: string, line: number): HeadLocation | null {
  let current: HeadLocation | null = { path, line };
  for (let c = commitIndex + 1; c < series.commits.length && current; c++) {
    for (const file of series.commits[c]!.files) {
      if ((file.oldPath ?? file.newPath) !== current.path) continue;
      current = throughFile(file, current.line);
      break;
    }
  }
  return current;
}

function throughFile(file: FileChange, line: number): HeadLocation | null {
  if (file.kind === "deleted" || file.newPath === null) return null;
  let delta = 0;
  for (const hunk of file.hunks) {
    const oldEnd = hunk.oldStart + hunk.oldCount;
    if (line >= oldEnd) {
      delta += hunk.newCount - hunk.oldCount;
      continue;
    }
    if (line < hunk.oldStart) break;
    // Inside the hunk: only an unchanged (context) line survives.
    const same = hunk.lines.find((l) => l.kind === "context" && l.oldLine === line);
    return same?.newLine !== undefined ? { path: displayPath(file), line: same.newLine } : null;
  }
  return { path: displayPath(file), line: line + delta };
}

/** New-side lines each file's changes add, at the head of the series: the lines a review comment can sit on. */
export function addedLinesAtHead(series: Series): Map<string, Set<number>> {
  const out = new Map<string, Set<number>>();
  series.commits.forEach((commit, index) => {
    for (const file of commit.files) {
      const path = displayPath(file);
      for (const hunk of file.hunks) {
        for (const l of hunk.lines) {
          if (l.kind !== "added" || l.newLine === undefined) continue;
          const head = lineAtHead(series, index, path, l.newLine);
          if (!head) continue;
          let set = out.get(head.path);
          if (!set) out.set(head.path, (set = new Set()));
          set.add(head.line);
        }
      }
    }
  });
  return out;
}
