import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

// Where the installed package keeps its files (rules/*.md), found by walking
// up from the running module to patchwarden's package.json: the same answer
// from dist/src/cli/ (tsc's output) and from dist/cli/ (the bundle).

let root: string | null | undefined;

export function packageRoot(from: string = import.meta.url): string | null {
  if (root !== undefined) return root;
  let dir = path.dirname(fileURLToPath(from));
  for (;;) {
    const manifest = path.join(dir, "package.json");
    if (existsSync(manifest)) {
      try {
        if ((JSON.parse(readFileSync(manifest, "utf8")) as { name?: string }).name === "patchwarden") return (root = dir);
      } catch {
        // An unreadable package.json above us is not ours; keep looking.
      }
    }
    const up = path.dirname(dir);
    if (up === dir) return (root = null);
    dir = up;
  }
}
