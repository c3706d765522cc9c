// Bundle chunks are named by their content's hash, so every build that
// changes the code writes new ones beside the old: a working copy's dist/cli
// had grown to 820 files (23 MB), and `npm pack` ships the directory whole.
import { readdirSync, rmSync } from "node:fs";
import path from "node:path";

/**
 * Removes the bundle files (`*.mjs`) in `dir` that this build did not
 * write; nothing else there is touched. A command started before the build
 * has loaded its chunks within its first moments (main() imports the
 * command's chunk at once), so only one caught in that instant could miss
 * one. Returns the names removed.
 */
export function removeStaleOutputs(dir: string, written: ReadonlySet<string>): string[] {
  const removed: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (!entry.isFile() || !entry.name.endsWith(".mjs") || written.has(entry.name)) continue;
    rmSync(path.join(dir, entry.name), { force: true });
    removed.push(entry.name);
  }
  return removed.sort();
}
