import { subjectPrefix } from "../analysis/changelog.js";
import { identifiersIn } from "../analysis/c-declarations.js";
import { namesToLookUp } from "../analysis/interfaces.js";
import { censusFileFilter, censusTally, countedPathspecs, prefilterStrings } from "../census/census.js";
import { readBlobs } from "../census/git-tree.js";
import { pathMapFor } from "../config/paths.js";
import type { PatchwardenConfig } from "../config/types.js";
import { directoryOf } from "../history/dirs.js";
import { displayPath, type Series } from "../patch/types.js";
import { pushTo } from "../util/multimap.js";
import { gitBounded, type BoundedOptions, type BoundedResult } from "./git-bounded.js";
import { withPcreFallback, wordPatterns, wordTrie } from "./word-trie.js";
import type { AreaCount, PrefixUse, SymbolLookup, TreeFacts, TreeLine } from "./types.js";

// Reads what rules may know of the base tree: who uses the symbols the
// series adds, which subject prefixes the touched files' history uses, and
// how many hypervisor conditionals stand in the areas it touches. Only git's
// object store is read (git grep and git log at a commit, cat-file); nothing
// is checked out and nothing in the repository runs. Every step has its
// share of one time budget and a result cap; what did not fit is said in
// `notes`, never guessed.

export interface TreeBudget {
  /** For all lookups of one series together. */
  timeMs: number;
  /** Symbols looked up per series. */
  maxSymbols: number;
  /** Lines kept per symbol; more mark it truncated. */
  maxLinesPerSymbol: number;
  /** Lines read from git grep in all (each name keeps at most maxLinesPerSymbol of them). */
  maxGrepLines: number;
  /** Latest commits read for subject prefixes. */
  maxLogCommits: number;
  /** Files read for the census of the touched areas. */
  maxCensusFiles: number;
}

export const DEFAULT_TREE_BUDGET: TreeBudget = {
  timeMs: 5000,
  maxSymbols: 100,
  maxLinesPerSymbol: 200,
  maxGrepLines: 200000,
  maxLogCommits: 100,
  maxCensusFiles: 3000,
};

/** Above this many paths the history is read whole and the paths picked here (see latestPrefixes). */
const MAX_PATHSPECS = 16;
/** Lines of history a scan reads at most (names and subjects): about two years of Linux. */
const MAX_SCAN_LINES = 1_000_000;

export interface TreeBase {
  repo: string;
  /** A full commit id. */
  commit: string;
  /** How it was found, for the output. */
  from: string;
}

/**
 * `started` is called once every lookup has its git running: a caller that
 * runs other work on this thread meanwhile (the rules, src/engine/run.ts)
 * waits for it, or the lookups' first steps would wait for that work.
 */
export async function gatherTreeFacts(
  series: Series,
  base: TreeBase,
  config: PatchwardenConfig,
  budget: TreeBudget = DEFAULT_TREE_BUDGET,
  started: () => void = () => {},
): Promise<TreeFacts> {
  const deadline = Date.now() + budget.timeMs;
  const notes: string[][] = [[], [], []];
  const when = await gitBounded(base.repo, ["log", "-1", "--format=%ct", base.commit], { deadline, maxLines: 2 });
  const baseTime = Number(when.lines[0]);
  // Independent reads of the object store, run side by side: the wall time
  // is the slowest one's (git grep over the tree, usually). The symbols'
  // names take a while to collect (every added line of a long range is
  // read): the history starts its git first.
  const prefixesRead = latestPrefixes(series, base, baseTime, config, budget, deadline, notes[1]!);
  const grepsRead = lookUpSymbolsAndCensus(series, base, config, budget, deadline, notes[0]!, notes[2]!);
  started();
  const [{ symbols, census }, prefixes] = await Promise.all([grepsRead, prefixesRead]);
  return { base: base.commit, baseFrom: base.from, symbols, prefixes, census, notes: notes.flat() };
}

/** What the census of the touched areas reads: the areas, the strings a conditional needs, which files count. */
interface CensusPlan {
  areas: string[];
  /** null: a configured pattern has no literal to grep for. */
  strings: string[] | null;
  counted: (path: string) => boolean;
}

function censusPlan(series: Series, config: PatchwardenConfig): CensusPlan {
  const paths = pathMapFor(config);
  const areas = [...new Set(series.files.map(displayPath).filter((p) => paths.inSpecialCaseScope(p) && paths.ownersOf(p).length === 0).map((p) => directoryOf(p, 2)))];
  return { areas, strings: areas.length > 0 ? prefilterStrings(config) : [], counted: censusFileFilter(config, { all: false }, areas) };
}

/** The C files the symbol lookup reads, as globs (git --glob-pathspecs). */
const SYMBOL_FILES = ["**/*.c", "**/*.h", "**/*.S"];
const inSymbolFiles = (path: string) => /\.[chS]$/.test(path);

/**
 * The symbols' users and the census, from one git grep where git has PCRE:
 * the areas' C files are most of what the census reads, and were read and
 * decompressed twice (0.5 s of git's CPU on a 1,781-commit U-Boot range).
 * With ERE, two greps: its whole-word option would hold for the census'
 * strings too.
 */
async function lookUpSymbolsAndCensus(
  series: Series,
  base: TreeBase,
  config: PatchwardenConfig,
  budget: TreeBudget,
  deadline: number,
  symbolNotes: string[],
  censusNotes: string[],
): Promise<{ symbols: Map<string, SymbolLookup>; census: AreaCount[] | null }> {
  const plan = censusPlan(series, config);
  const names = symbolsToLookUp(series, config, budget, symbolNotes);
  const plain = (words: string[]) => words.every((w) => /^\w+$/.test(w));
  const census = plan.areas.length > 0 && plan.strings !== null && plain(plan.strings) ? { plan, strings: plan.strings } : null;
  if (names.length === 0 || !census) {
    const [symbols, counted] = await Promise.all([lookUpSymbols(names, base, budget, deadline, symbolNotes, null), censusOfAreas(plan, base, config, budget, deadline, censusNotes)]);
    return { symbols: symbols.lookups, census: counted };
  }
  let separately: Promise<AreaCount[] | null> | null = null;
  const symbols = await lookUpSymbols(names, base, budget, deadline, symbolNotes, census, () => (separately = censusOfAreas(plan, base, config, budget, deadline, censusNotes)));
  if (separately) return { symbols: symbols.lookups, census: await separately };
  // Stopped at its cap of lines read (a flood of one common name): the census reads its files on its own.
  if (symbols.censusFiles.stopped === "lines") return { symbols: symbols.lookups, census: await censusOfAreas(plan, base, config, budget, deadline, censusNotes) };
  return { symbols: symbols.lookups, census: await countCensus(plan, symbols.censusFiles, base, config, budget, deadline, censusNotes) };
}

/**
 * git grep for any of `words` (src/tree/word-trie.ts wordPatterns): PCRE
 * where git has it, ERE where it says it has not.
 */
function grepWords(repo: string, words: string[], match: "whole" | "anywhere", options: string[], rest: string[], bounds: BoundedOptions): Promise<BoundedResult> {
  return withPcreFallback(
    (pcre) => gitBounded(repo, ["grep", ...options, ...wordPatterns(words, match, pcre), ...rest], bounds),
    (result) => (result.read === 0 ? result.failed : null),
  );
}

/** The names the series adds, at most maxSymbols of them (the rest said in a note), that can be grepped for. */
function symbolsToLookUp(series: Series, config: PatchwardenConfig, budget: TreeBudget, notes: string[]): string[] {
  const all = namesToLookUp(series, config);
  const names = all.slice(0, budget.maxSymbols);
  if (all.length > names.length) notes.push(`${all.length - names.length} of the ${all.length} symbols the series adds were not looked up in the tree (at most ${budget.maxSymbols} per series)`);
  return names.filter((n) => /^[A-Za-z_][A-Za-z0-9_]*$/.test(n));
}

/** The files a grep found that may hold a conditional; `stopped`: the grep did not read all it had to. */
type CensusFiles = { files: Set<string>; stopped: "deadline" | "lines" | "failed" | null };

/**
 * The names' users in the tree's C files; with `census`, also the files in
 * the census' areas that hold one of its strings (lookUpSymbolsAndCensus).
 * `withoutPcre` is called when git has no PCRE and the census was not read.
 */
async function lookUpSymbols(
  names: string[],
  base: TreeBase,
  budget: TreeBudget,
  deadline: number,
  notes: string[],
  census: { plan: CensusPlan; strings: string[] } | null,
  withoutPcre: () => void = () => {},
): Promise<{ lookups: Map<string, SymbolLookup>; censusFiles: CensusFiles }> {
  const censusFiles: CensusFiles = { files: new Set(), stopped: null };
  const answer = (lookups: Map<string, SymbolLookup>) => ({ lookups, censusFiles });
  if (names.length === 0) return answer(new Map());
  const wanted = new Set(names);
  const prefix = `${base.commit}:`;
  let out = new Map<string, SymbolLookup>();
  let open = 0;
  let read = 0;
  // Whether this run's lines hold the census' too (PCRE only).
  let both = false;
  let lastPath = "";
  let lastCounted = false;
  // Each name keeps its first lines; one with more is truncated (its users
  // are not all known) and its later lines are passed over. A common name
  // (an ops member called "read") once filled one cap for all, and every
  // name after it in the tree went unanswered. git is stopped when every
  // name is truncated (unless the census still reads), or at the cap of
  // lines read (a bound on the time spent passing over them).
  const take = (raw: string): boolean => {
    if (++read > budget.maxGrepLines) return true;
    // "<commit>:<path>\0<line>\0<text>"
    const a = raw.indexOf("\0");
    const b = a === -1 ? -1 : raw.indexOf("\0", a + 1);
    if (b === -1 || !raw.startsWith(prefix)) return false;
    const path = raw.slice(prefix.length, a);
    const text = raw.slice(b + 1);
    if (both && !censusFiles.files.has(path)) {
      // A file's lines come together: its verdict is asked once.
      if (path !== lastPath) [lastPath, lastCounted] = [path, census!.plan.counted(path)];
      if (lastCounted && census!.strings.some((s) => text.includes(s))) censusFiles.files.add(path);
    }
    if (!inSymbolFiles(path)) return false;
    let line: TreeLine | null = null;
    for (const id of identifiersIn(text)) {
      const entry = wanted.has(id) ? out.get(id) : undefined;
      if (!entry || entry.truncated || entry.lines.at(-1) === line) continue;
      if (entry.lines.length >= budget.maxLinesPerSymbol) {
        entry.truncated = true;
        open--;
        continue;
      }
      line ??= { path, line: Number(raw.slice(a + 1, b)), text };
      entry.lines.push(line);
    }
    return open === 0 && !both;
  };
  const result = await withPcreFallback(
    (pcre) => {
      // A git that refuses -P does so before it prints a line; a second run starts afresh all the same.
      out = new Map(names.map((n) => [n, { lines: [], truncated: false }]));
      open = names.length;
      read = 0;
      both = census !== null && pcre;
      if (census && !pcre) withoutPcre();
      const patterns = both ? ["-P", "-e", `\\b${wordTrie(names, "(?:")}\\b|${wordTrie(census!.strings, "(?:")}`] : wordPatterns(names, "whole", pcre);
      const files = both ? [...SYMBOL_FILES, ...countedPathspecs(census!.plan.areas)] : SYMBOL_FILES;
      return gitBounded(base.repo, ["grep", "-n", "-z", "-I", ...patterns, "--no-color", "--no-textconv", base.commit, "--", ...files], {
        deadline,
        maxLines: budget.maxGrepLines,
        globs: true,
        retain: false,
        enough: take,
      });
    },
    (r) => (r.read === 0 ? r.failed : null),
  );
  if (result.stopped === "deadline") {
    notes.push(`the tree lookup of the series' symbols stopped at its time limit (${budget.timeMs} ms): their users in the tree are not known`);
    censusFiles.stopped = "deadline";
    return answer(new Map());
  }
  if (result.failed && result.read === 0) {
    notes.push(`the tree lookup failed: ${result.failed}`);
    censusFiles.stopped = "failed";
    return answer(new Map());
  }
  if (result.failed) notes.push(`the tree lookup read only part of the tree: ${result.failed}`);
  if (read > budget.maxGrepLines) {
    censusFiles.stopped = "lines";
    if (open > 0) {
      for (const entry of out.values()) entry.truncated = true;
      notes.push(`the tree lookup stopped after ${budget.maxGrepLines} lines: the users of the series' symbols are not all known`);
    }
  }
  return answer(out);
}

/**
 * Prefixes are only suggested for a subject with none, or for a commit
 * confined to one hypervisor's code (whose prefix may hide it): the history
 * of other commits' files is not read.
 */
function filesWantingPrefixes(series: Series, config: PatchwardenConfig) {
  const paths = pathMapFor(config);
  return series.commits.flatMap((commit) => {
    if (commit.isCoverLetter) return [];
    const files = commit.files;
    const confined = files.length > 0 && files.every((f) => paths.ownersOf(displayPath(f)).some((id) => id !== "generic"));
    return subjectPrefix(commit.subject) === null || confined ? files : [];
  });
}

async function latestPrefixes(series: Series, base: TreeBase, baseTime: number, config: PatchwardenConfig, budget: TreeBudget, deadline: number, notes: string[]): Promise<Map<string, PrefixUse[]>> {
  const out = new Map<string, PrefixUse[]>();
  const files = filesWantingPrefixes(series, config);
  const existing = [...new Set(files.map((f) => f.oldPath).filter((p): p is string => p !== null))];
  // A new file has no history of its own: its directory's history speaks for it.
  const added = [...new Set(files.filter((f) => f.oldPath === null && f.newPath !== null).map((f) => f.newPath!))];
  const dirOf = (p: string) => (p.includes("/") ? p.slice(0, p.lastIndexOf("/")) : "");
  const all = [...new Set([...existing, ...added.map(dirOf).filter((d) => d !== "")])];
  if (all.length === 0) return out;
  // git matches every pathspec against every path of every commit it walks:
  // 200 of them took 2.6 s on U-Boot where reading the same history whole
  // and picking the paths here took 0.3 s. A few paths stay with git, which
  // then diffs only what they need. The scan also reads side branches that
  // git's history simplification skips for a pathspec (a subtree's own
  // commits): more of the same history, as --full-history reads it.
  const scan = all.length > MAX_PATHSPECS;
  const pathspecs = scan ? [] : all;
  // The last two years before the base: a file that moved has few commits
  // under its new path, and finding 100 of them walked all of U-Boot's
  // history (0.5 s) where the window takes 60 ms.
  const window = Number.isFinite(baseTime) && baseTime > 0 ? [`--since=@${baseTime - 2 * 365 * 86400}`] : [];
  const existingSet = new Set(existing);
  // Added files by the directory whose history speaks for them: a path is theirs when it lies anywhere under it.
  const addedUnder = new Map<string, string[]>();
  for (const p of added) if (dirOf(p) !== "") pushTo(addedUnder, dirOf(p), p);
  const wanted = (name: string) => {
    if (existingSet.has(name)) return true;
    for (let d = dirOf(name); d !== ""; d = dirOf(d)) if (addedUnder.has(d)) return true;
    return false;
  };
  let matched = 0;
  let hit = false;
  // Scanning, git reads commits until this has found as many that touch the paths as git's own -n would.
  const enough = (line: string) => {
    if (line.startsWith("\x1e")) {
      if (hit) matched++;
      hit = false;
      return matched >= budget.maxLogCommits;
    }
    if (!hit && line !== "" && wanted(line)) hit = true;
    return false;
  };
  const args = scan
    ? ["log", "--no-merges", ...window, "--format=%x1e%s", "--name-only", base.commit]
    : ["log", "--no-merges", `-n${budget.maxLogCommits}`, ...window, "--format=%x1e%s", "--name-only", base.commit, "--", ...pathspecs];
  const result = await gitBounded(base.repo, args, scan ? { deadline, maxLines: MAX_SCAN_LINES, enough } : { deadline, maxLines: budget.maxLogCommits * 50 });
  if (result.failed) {
    notes.push(`the history of the touched files could not be read: ${result.failed}`);
    return out;
  }
  if (result.stopped === "deadline") notes.push("the history of the touched files was read only in part (time limit): prefix suggestions come from fewer commits");
  const counts = new Map<string, Map<string, number>>();
  const bump = (path: string, prefix: string) => {
    const m = counts.get(path) ?? new Map<string, number>();
    m.set(prefix, (m.get(prefix) ?? 0) + 1);
    counts.set(path, m);
  };
  let prefix: string | null = null;
  let seen = new Set<string>();
  for (const line of result.lines) {
    if (line.startsWith("\x1e")) {
      prefix = subjectPrefix(line.slice(1));
      seen = new Set();
      continue;
    }
    if (!prefix || line === "") continue;
    if (existingSet.has(line) && !seen.has(line)) (seen.add(line), bump(line, prefix));
    for (let d = dirOf(line); d !== ""; d = dirOf(d)) for (const p of addedUnder.get(d) ?? []) if (!seen.has(p)) (seen.add(p), bump(p, prefix));
  }
  for (const [path, m] of counts) out.set(path, [...m].map(([p, n]) => ({ prefix: p, commits: n })).sort((a, b) => b.commits - a.commits || (a.prefix < b.prefix ? -1 : 1)));
  return out;
}

/**
 * The census the review shows: hypervisor conditionals at the base in each
 * area (two path levels: `arch/x86`, `kernel/sched`) of shared code the
 * series touches. Its own git grep, when the symbol lookup's cannot find
 * its files too (lookUpSymbolsAndCensus).
 */
async function censusOfAreas(plan: CensusPlan, base: TreeBase, config: PatchwardenConfig, budget: TreeBudget, deadline: number, notes: string[]): Promise<AreaCount[] | null> {
  if (plan.areas.length === 0) return [];
  // Which files can hold a conditional: git grep -l over the areas' counted files only.
  const grep = plan.strings
    ? await grepWords(base.repo, plan.strings, "anywhere", ["-l", "-z", "-I", "--no-color", "--no-textconv"], [base.commit, "--", ...countedPathspecs(plan.areas)], {
        deadline,
        maxLines: budget.maxCensusFiles + 1,
        separator: "\0",
        globs: true,
      })
    : null;
  if (!grep || grep.stopped || (grep.failed && grep.lines.length === 0)) {
    notes.push(grep?.stopped === "lines" ? `the census of the touched areas has more than ${budget.maxCensusFiles} files to read: not counted` : "the census of the touched areas did not finish within its time: not counted");
    return null;
  }
  const prefix = `${base.commit}:`;
  const files = grep.lines.filter((l) => l.startsWith(prefix)).map((l) => l.slice(prefix.length));
  return countCensus(plan, { files: new Set(files), stopped: null }, base, config, budget, deadline, notes);
}

/** Reads the files a grep found and counts their conditionals per area. */
async function countCensus(plan: CensusPlan, found: CensusFiles, base: TreeBase, config: PatchwardenConfig, budget: TreeBudget, deadline: number, notes: string[]): Promise<AreaCount[] | null> {
  if (found.stopped) {
    notes.push("the census of the touched areas did not finish within its time: not counted");
    return null;
  }
  const files = [...found.files].filter(plan.counted).sort();
  if (files.length > budget.maxCensusFiles) {
    notes.push(`the census of the touched areas has more than ${budget.maxCensusFiles} files to read: not counted`);
    return null;
  }
  const oids = await blobIds(base, files, deadline);
  if (!oids) {
    notes.push("the census of the touched areas did not finish within its time: not counted");
    return null;
  }
  const tally = censusTally(config, { all: false, depth: 2 });
  await readBlobs(base.repo, oids.map((o) => o.oid), (index, body) => tally.add(oids[index]!.path, body.toString("utf8")));
  if (Date.now() > deadline) {
    notes.push("the census of the touched areas did not finish within its time: not counted");
    return null;
  }
  const report = tally.report();
  const out: AreaCount[] = [];
  for (const area of plan.areas) {
    const row = report.directories.find((d) => d.dir === area);
    for (const h of config.hypervisors) out.push({ area, hypervisor: h.id, count: row?.byHypervisor[h.id] ?? 0 });
  }
  return out;
}

async function blobIds(base: TreeBase, files: string[], deadline: number): Promise<{ path: string; oid: string }[] | null> {
  if (files.length === 0) return [];
  const result = await gitBounded(base.repo, ["ls-tree", "-z", "--full-tree", base.commit, "--", ...files], { deadline, maxLines: files.length + 1, separator: "\0" });
  if (result.stopped || result.failed) return null;
  const out: { path: string; oid: string }[] = [];
  for (const rec of result.lines) {
    const tab = rec.indexOf("\t");
    const [, type, oid] = rec.slice(0, tab).split(" ");
    if (tab !== -1 && type === "blob" && oid) out.push({ path: rec.slice(tab + 1), oid });
  }
  return out;
}
