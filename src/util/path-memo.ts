// Answers about paths remembered for as long as what asks lives (a config,
// a MAINTAINERS map: a whole `stats` run): bounded, and keyed by copies. A
// path sliced out of a commit's text would keep all of that text alive (a
// 58 MB subtree import held 120 MB after its turn).

/** Paths remembered per function; past that, it starts over. */
export const MAX_REMEMBERED_PATHS = 20_000;

/** A string that shares no memory with the text it was cut from. */
function ownCopy(s: string): string {
  // Slicing a concatenation makes V8 flatten it into a new string first; a plain slice would point into the original.
  return ` ${s}`.slice(1);
}

/** `f`, remembering its answer for each path (at most MAX_REMEMBERED_PATHS at a time). */
export function memoByPath<T>(f: (path: string) => T): (path: string) => T {
  let seen = new Map<string, T>();
  return (path) => {
    let v = seen.get(path);
    if (v === undefined && !seen.has(path)) {
      if (seen.size >= MAX_REMEMBERED_PATHS) seen = new Map();
      seen.set(ownCopy(path), (v = f(path)));
    }
    return v as T;
  };
}
