// Helpers shared by sprawl and census: both group files by the directory
// a maintainer would name ("arch/x86/include", "mm") and rank the groups.

/** The first `depth` components of the file's directory; "." for a file at the top. */
export function directoryOf(path: string, depth: number): string {
  const slash = path.lastIndexOf("/");
  if (slash === -1) return ".";
  const parts = path.slice(0, slash).split("/");
  return parts.slice(0, depth).join("/");
}

/** The top-level directory a file is in, or null for a file at the top (MAINTAINERS). */
export function topLevelDir(path: string): string | null {
  const slash = path.indexOf("/");
  return slash === -1 ? null : path.slice(0, slash);
}

/** True when `path` is `dir` itself or lies under it. */
export function isUnder(path: string, dir: string): boolean {
  return path === dir || (path.startsWith(dir) && path.charCodeAt(dir.length) === 47 /* / */);
}

/**
 * A user's PATH as git prints paths: from the top of the tree, no "./",
 * no trailing "/". Returns null for what cannot name a path in the tree
 * (absolute, "..", empty).
 */
export function normalizeTreePath(raw: string): string | null {
  const parts = raw.split("/").filter((p) => p !== "" && p !== ".");
  if (raw.startsWith("/") || parts.length === 0 || parts.includes("..")) return null;
  return parts.join("/");
}

/** The `n` largest counts, ties broken by name so the output is stable. */
export function topCounts(counts: Map<string, number>, n: number): [string, number][] {
  return [...counts].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0)).slice(0, n);
}

/** "u-boot" for /src/u-boot or /mirrors/u-boot.git (a bare repository's "repo" directory is named by its parent): what a chart's title calls the tree. */
export function repoName(repo: string): string {
  const parts = repo.split("/").filter((p) => p !== "");
  let name = parts.at(-1) ?? repo;
  if ((name === "repo" || name === ".git") && parts.length > 1) name = parts.at(-2)!;
  return name.replace(/\.git$/, "") || repo;
}
