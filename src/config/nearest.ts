// "Did you mean": a typo in a rule id should name the id meant, not list all of them.

/** Edit distance (insertions, deletions, substitutions), capped work: ids are short. */
export function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_v, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      row[j] = Math.min(prev[j]! + 1, row[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = row;
  }
  return prev[b.length]!;
}

/** The known id closest to `id`, when it is close enough to be what was meant. */
export function nearest(id: string, known: Iterable<string>): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const k of known) {
    const d = editDistance(id.toLowerCase(), k);
    if (d < bestDistance) {
      best = k;
      bestDistance = d;
    }
  }
  // Past a third of the length it is another word, not a typo.
  return best !== undefined && bestDistance <= Math.max(2, Math.ceil(id.length / 3)) ? best : undefined;
}

/** `unknown rule "x"` plus the nearest known id, for every place that takes rule ids. */
export function unknownIdMessage(what: string, id: string, known: Iterable<string>): string {
  const near = nearest(id, known);
  return `unknown ${what} "${id}"${near ? ` (did you mean "${near}"?)` : ""}`;
}
