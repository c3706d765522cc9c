// One regular expression for many words, shaped as a trie: `pre_init_device`
// and `post_init_device` share nothing, but `read` and `readl` share their
// start, and a regex engine then tries one branch per first letter instead
// of every word at every position. Given to git grep for the symbol lookup
// and the census (src/tree/gather.ts, src/census/git-tree.ts): over U-Boot's
// tree, 100 names as a trie took git 1.3 s of CPU with PCRE where the plain
// alternation took 2.0 s with ERE.
// Only literals, alternation and `?` on a whole group: no backtracking
// beyond the words' own length, at any position.

/**
 * The words as one group (without word boundaries): `open` is the group
 * opener, `(?:` for PCRE or `(` for POSIX ERE, which has no other. Words
 * must be plain identifiers (letters, digits, `_`): nothing is escaped.
 */
export function wordTrie(words: readonly string[], open: "(?:" | "("): string {
  for (const w of words) if (!/^\w+$/.test(w)) throw new Error(`not a plain word: ${JSON.stringify(w)}`);
  const root: TrieNode = new Map();
  for (const w of new Set(words)) {
    let node = root;
    for (const ch of w) {
      let next = node.get(ch);
      if (!next) node.set(ch, (next = new Map()));
      node = next;
    }
    node.set(END, new Map());
  }
  return `${open}${branches(root, open)})`;
}

type TrieNode = Map<string, TrieNode>;
/** Marks where a word ends: not a character any word has. */
const END = "";

function branches(node: TrieNode, open: string): string {
  const alternatives: string[] = [];
  for (const [ch, next] of node) if (ch !== END) alternatives.push(ch + rest(next, open));
  return alternatives.join("|");
}

/** What may follow after a node: nothing, one fixed run, or a group (optional where a word ends here). */
function rest(node: TrieNode, open: string): string {
  const ends = node.has(END);
  const more = [...node.keys()].filter((k) => k !== END).length;
  if (more === 0) return "";
  if (!ends && more === 1) return branches(node, open);
  return `${open}${branches(node, open)})${ends ? "?" : ""}`;
}

/**
 * git grep's pattern options for any of `words`, as whole words or anywhere
 * in a line: the trie, for PCRE (`pcre`) or ERE. A few words stay fixed
 * strings, git's fastest search for them, and so do words that are not
 * plain identifiers (the trie escapes nothing).
 */
export function wordPatterns(words: readonly string[], match: "whole" | "anywhere", pcre: boolean): string[] {
  const whole = match === "whole" ? ["-w"] : [];
  if (words.length <= 4 || !words.every((w) => /^\w+$/.test(w))) return [...whole, "-F", ...words.flatMap((w) => ["-e", w])];
  if (!pcre) return [...whole, "-E", "-e", wordTrie(words, "(")];
  const edge = match === "whole" ? "\\b" : "";
  return ["-P", "-e", `${edge}${wordTrie(words, "(?:")}${edge}`];
}

// Whether this machine's git was built without PCRE: it says so at once,
// before reading anything; from then on ERE, for the rest of the process.
let pcreMissing = false;

/**
 * Runs `grep` (a git grep built with wordPatterns) with PCRE unless git
 * said it has none; when this run is where it says so, runs it again
 * without. `refusal` is what a run's failure says, or null if it did not
 * fail before reading: only git's own words for missing PCRE count ("cannot
 * use Perl-compatible regexes when not compiled with USE_LIBPCRE"), not a
 * bare "perl", which an unreadable blob under scripts/perl/ names too.
 */
export async function withPcreFallback<R>(grep: (pcre: boolean) => Promise<R>, refusal: (result: R) => string | null): Promise<R> {
  if (pcreMissing) return grep(false);
  const result = await grep(true);
  if (!/Perl-compatible|USE_LIBPCRE/i.test(refusal(result) ?? "")) return result;
  pcreMissing = true;
  return grep(false);
}
