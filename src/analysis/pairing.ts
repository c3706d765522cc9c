/** Something a rule found on a changed line, reduced to what pairing needs. */
export interface Pairable {
  /** What kind of thing it is: only equal keys pair. */
  key: string;
  path: string;
  /** The line's code, whitespace collapsed. */
  normalized: string;
}

/**
 * A construct removed in one place and added in another (a move), or
 * rewritten in place (`boot_cpu_has` → `cpu_feature_enabled`), is not new.
 * Pairs removed with added occurrences of the same key: same text first,
 * then same file, then anywhere in the series. Returns the added ones left
 * unpaired, in their original order.
 */
export function unpairedAdditions<T extends Pairable>(added: T[], removed: T[]): T[] {
  const left = new Set(added);
  const pool = new Set(removed);
  const pair = (match: (a: T, r: T) => boolean) => {
    for (const a of left) {
      for (const r of pool) {
        if (r.key === a.key && match(a, r)) {
          left.delete(a);
          pool.delete(r);
          break;
        }
      }
    }
  };
  pair((a, r) => a.normalized === r.normalized);
  pair((a, r) => a.path === r.path);
  pair(() => true);
  return added.filter((a) => left.has(a));
}

export function normalizeCode(code: string): string {
  return code.replace(/\s+/g, " ").trim();
}
