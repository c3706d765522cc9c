// Which MAINTAINERS sections cover a path, ranked as get_maintainer.pl ranks
// them, without scanning all ~3,000 sections per lookup.
//
// Every F:/X: pattern hangs off a trie node named by its leading literal
// directories (`arch/x86/kvm/x86.c` under arch → x86 → kvm). A lookup walks
// the path's directories down the trie and only looks at what hangs off the
// nodes it passes: literal directory patterns match by being reached at all,
// literal file patterns are found by name, and only globs run a regex. N:
// regexes (about 150 in the real file) have no directory to index by; they
// are tried sixteen at a time behind one joined regex.
//
// Differences from get_maintainer.pl, all deliberate:
//   - A section's rank is its deepest matching pattern; the script keeps
//     whichever matching F: line came last, and an N: match resets it to 0.
//   - Equal ranks keep file order; the script's order there is Perl hash order.
//   - No pattern-depth limit, no K: keywords (those read file contents).
import { compileGlob, compileNRegex, countSlashes, globMatches, type CompiledGlob } from "./patterns.js";
import type { MaintainersFile, MaintainersSection, SubsystemMatch } from "./types.js";

interface Entry {
  section: number;
  glob: CompiledGlob;
  exclude: boolean;
}

interface TrieNode {
  children: Map<string, TrieNode>;
  /** Literal `dir/` patterns ending exactly here: reaching the node is the match. */
  trees: Entry[];
  /** Literal non-directory patterns by last component: a file name prefix, or a directory. */
  leaves: Map<string, Entry[]>;
  /** Everything with a glob at or below this node: tested by regex. */
  globs: Entry[];
}

interface RegexEntry {
  section: number;
  raw: string;
  re: RegExp;
}

/** N: regexes tried together: members are only run when the gate matches. */
interface RegexGroup {
  gate: RegExp | null;
  members: RegexEntry[];
}

// Sixteen per gate measured best on the bench's real-size file: one gate for
// all lets through every path any N: matches, single regexes cost a call each.
const GATE_SIZE = 16;

export interface MaintainersMatcher {
  readonly file: MaintainersFile;
  /** Sections covering `path` (repository-relative, "/"-separated), most specific first. */
  subsystemsFor(path: string): SubsystemMatch[];
}

const newNode = (): TrieNode => ({ children: new Map(), trees: [], leaves: new Map(), globs: [] });

/** Strip what callers commonly leave on a repository path: "./" and a leading "/". */
export function normalizePath(path: string): string {
  let p = path.trim();
  while (p.startsWith("./")) p = p.slice(2);
  while (p.startsWith("/")) p = p.slice(1);
  return p;
}

/**
 * The directory prefixes ("arch/x86/xen/") a section's F: patterns cover: its
 * `dir/` patterns, and `dir/*` read as `dir/`. File patterns and patterns with
 * a glob in a directory name own no directory. Nested prefixes are folded into
 * the outer one. X: exclusions are not subtracted.
 */
export function directoriesOf(section: MaintainersSection): string[] {
  const dirs = new Set<string>();
  for (const value of section.files) {
    const g = compileGlob(value);
    if (!g) continue;
    if (g.isDir && g.literal) dirs.add(g.raw);
    else if (!g.isDir && g.leaf === "*" && g.anchor.length > 0 && g.anchor.length === g.slashes) {
      dirs.add(g.anchor.join("/") + "/");
    }
  }
  const sorted = [...dirs].sort();
  const out: string[] = [];
  for (const d of sorted) {
    // Sorted order puts a prefix right before everything under it.
    const last = out[out.length - 1];
    if (last === undefined || !d.startsWith(last)) out.push(d);
  }
  return out;
}

export function buildMatcher(file: MaintainersFile): MaintainersMatcher {
  const root = newNode();
  const regexes: RegexEntry[] = [];

  const insert = (section: number, value: string, exclude: boolean): void => {
    const glob = compileGlob(value);
    if (!glob) return;
    let node = root;
    for (const part of glob.anchor) {
      let next = node.children.get(part);
      if (!next) node.children.set(part, (next = newNode()));
      node = next;
    }
    const entry: Entry = { section, glob, exclude };
    if (!glob.literal) node.globs.push(entry);
    else if (glob.isDir) node.trees.push(entry);
    else {
      const list = node.leaves.get(glob.leaf);
      if (list) list.push(entry);
      else node.leaves.set(glob.leaf, [entry]);
    }
  };

  // Internally a section is its position in file.sections (its `index` field
  // only orders ties), so a caller may hand in a filtered file.
  file.sections.forEach((s, si) => {
    for (const f of s.files) insert(si, f, false);
    for (const x of s.excludes) insert(si, x, true);
    for (const n of s.regexes) {
      const re = compileNRegex(n);
      if (typeof re !== "string") regexes.push({ section: si, raw: n, re }); // bad ones were warned about at parse time
    }
  });

  // N: regexes are few but each is a call: an alternation of a group of them
  // answers "does any match?" in one pass, and most paths stop there. Ones that
  // cannot join one (a flag, a backreference or named group that would clash)
  // are tried alone.
  const joinable = (r: RegexEntry): boolean => r.re.flags === "" && !/\\[1-9]|\(\?<[^=!]/.test(r.re.source);
  const groups: RegexGroup[] = regexes.filter((r) => !joinable(r)).map((r) => ({ gate: null, members: [r] }));
  const joined = regexes.filter(joinable);
  for (let i = 0; i < joined.length; i += GATE_SIZE) {
    const members = joined.slice(i, i + GATE_SIZE);
    let gate: RegExp | null = null;
    try {
      gate = new RegExp(members.map((r) => `(?:${r.re.source})`).join("|"));
    } catch {
      // Should not happen for sources that compiled alone; fall back to trying each.
    }
    groups.push({ gate, members });
  }

  const count = file.sections.length;
  const directories: Array<string[] | undefined> = new Array(count);
  const directoriesFor = (i: number): string[] => (directories[i] ??= directoriesOf(file.sections[i]!));

  // Per-lookup scratch, stamped with a generation so nothing is cleared between lookups.
  let gen = 0;
  const seenGen = new Uint32Array(count);
  const excludedGen = new Uint32Array(count);
  const bestDepth = new Int32Array(count);
  const bestPattern: string[] = new Array(count);
  const bestKind: Array<"F" | "N"> = new Array(count);
  let touched: number[] = [];

  const consider = (e: Entry): void => {
    const i = e.section;
    const depth = e.glob.depth;
    if (e.exclude) {
      excludedGen[i] = gen;
      return;
    }
    if (seenGen[i] !== gen) {
      seenGen[i] = gen;
      touched.push(i);
    } else if (bestDepth[i]! >= depth) return;
    bestDepth[i] = depth;
    bestPattern[i] = e.glob.raw;
    bestKind[i] = "F";
  };

  const subsystemsFor = (input: string): SubsystemMatch[] => {
    const path = normalizePath(input);
    if (path === "") return [];
    gen = (gen + 1) >>> 0 || 1;
    touched = [];
    const parts = path.split("/");
    const name = parts[parts.length - 1]!;
    const dirCount = parts.length - 1;
    const slashes = dirCount;

    let node: TrieNode | undefined = root;
    for (let depth = 0; node; depth++) {
      for (const e of node.trees) consider(e);
      for (const e of node.globs) if (globMatches(e.glob, path, slashes)) consider(e);
      if (node.leaves.size > 0) {
        if (depth < dirCount) {
          // `F: drivers/acpi/arm64` with no "/" names the directory here.
          const hits = node.leaves.get(parts[depth]!);
          if (hits) for (const e of hits) consider(e);
        } else {
          // A file pattern is a name prefix (get_maintainer.pl's unanchored ^regex).
          // include/linux/ has ~1,000 of them: look the name's prefixes up instead.
          if (node.leaves.size > name.length) {
            for (let k = 1; k <= name.length; k++) {
              const hits = node.leaves.get(name.slice(0, k));
              if (hits) for (const e of hits) consider(e);
            }
          } else {
            for (const [leaf, hits] of node.leaves) {
              if (name.startsWith(leaf)) for (const e of hits) consider(e);
            }
          }
        }
      }
      if (depth >= dirCount) break;
      node = node.children.get(parts[depth]!);
    }

    for (const g of groups) {
      if (g.gate !== null && !g.gate.test(path)) continue;
      for (const r of g.members) {
        if (!r.re.test(path)) continue;
        const i = r.section;
        if (seenGen[i] !== gen) {
          seenGen[i] = gen;
          touched.push(i);
        } else if (bestDepth[i]! >= 0) continue;
        bestDepth[i] = 0;
        bestPattern[i] = r.raw;
        bestKind[i] = "N";
      }
    }

    const out: SubsystemMatch[] = [];
    for (const i of touched) {
      if (excludedGen[i] === gen) continue;
      const section = file.sections[i]!;
      const kind = bestKind[i]!;
      const specificity = bestDepth[i]!;
      out.push({
        name: section.title,
        source: "maintainers",
        pattern: bestPattern[i]!,
        patternKind: kind,
        specificity,
        exact: kind === "F" && specificity >= slashes,
        directories: directoriesFor(i),
        section,
      });
    }
    out.sort((a, b) => b.specificity - a.specificity || a.section!.index - b.section!.index);
    return out;
  };

  return { file, subsystemsFor };
}

/** Exposed for tests: the reference answer, one pattern at a time over every section. */
export function matchesSection(section: MaintainersSection, path: string): { depth: number; pattern: string } | null {
  const p = normalizePath(path);
  const slashes = countSlashes(p);
  for (const x of section.excludes) {
    const g = compileGlob(x);
    if (g && globMatches(g, p, slashes)) return null;
  }
  let best: { depth: number; pattern: string } | null = null;
  for (const f of section.files) {
    const g = compileGlob(f);
    if (g && globMatches(g, p, slashes) && (!best || g.depth > best.depth)) best = { depth: g.depth, pattern: g.raw };
  }
  for (const n of section.regexes) {
    const re = compileNRegex(n);
    if (typeof re !== "string" && re.test(p) && (!best || best.depth < 0)) best = { depth: 0, pattern: n };
  }
  return best;
}
