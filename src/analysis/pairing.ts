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
  const used = new Set<T>();
  // Each pass indexes what is left of `removed` by the fields that must be
  // equal, so a series that removes and adds thousands of tests costs their
  // sum, not their product; within a bucket the first removed one is taken,
  // as a scan in order would.
  const pair = (field: (x: T) => string) => {
    const buckets = new Map<string, { items: T[]; next: number }>();
    for (const r of removed) {
      if (used.has(r)) continue;
      const k = `${r.key}\0${field(r)}`;
      const b = buckets.get(k);
      if (b) b.items.push(r);
      else buckets.set(k, { items: [r], next: 0 });
    }
    for (const a of left) {
      const b = buckets.get(`${a.key}\0${field(a)}`);
      if (!b || b.next >= b.items.length) continue;
      used.add(b.items[b.next++]!);
      left.delete(a);
    }
  };
  pair((x) => x.normalized);
  pair((x) => x.path);
  pair(() => "");
  return added.filter((a) => left.has(a));
}

export function normalizeCode(code: string): string {
  return code.replace(/\s+/g, " ").trim();
}
