import { StatementLine, walkStatements } from "../analysis/code-lines.js";
import { hvTestDetector, preferSpecific, type CodeLine, type HvTestKind } from "../analysis/hv-tests.js";
import { pathMapFor } from "../config/paths.js";
import type { PatchwardenConfig } from "../config/types.js";
import { directoryOf, isUnder, topCounts } from "../history/dirs.js";
import { languageOf, lexSnippet, type Language } from "../patch/lex.js";

// The hypervisor conditionals standing in a tree, found the way
// hv-special-case finds them in a patch: the same detector over lexed lines
// with the same statement context, one per line and hypervisor, a specific
// hypervisor preferred over "generic" on the same line. Unlike the rule it
// does not fold a test nested under another test of the same hypervisor
// (`if (xen_initial_domain())` inside `#ifdef CONFIG_XEN` counts twice):
// that needs the C parser, and a census counts lines, not findings.

export interface CensusOptions {
  /** Also count in each hypervisor's own directories (still only in scope). */
  all: boolean;
  /** Path components per directory row. */
  depth: number;
}

export interface CensusLocation {
  path: string;
  line: number;
  hypervisor: string;
  token: string;
  kind: HvTestKind;
  /** In a directory some hypervisor owns (only with `all`). */
  own: boolean;
}

export interface CensusReport {
  scope: "special-case" | "all";
  depth: number;
  filesRead: number;
  /** Every configured hypervisor, in config order, zeros included. */
  hypervisors: { id: string; name: string; count: number; own: number }[];
  /** Most conditionals first. */
  directories: { dir: string; total: number; byHypervisor: Record<string, number> }[];
  /** By path, then line. */
  locations: CensusLocation[];
}

const COUNTED: ReadonlySet<Language> = new Set(["c", "asm", "make"]);

/**
 * Which files a census reads: C, assembly and Makefiles within `paths`,
 * in the special-case scope, and (unless `all`) owned by no hypervisor.
 * Decided from the path alone, before anything is read.
 */
export function censusFileFilter(config: PatchwardenConfig, options: Pick<CensusOptions, "all">, paths: string[] = []): (path: string) => boolean {
  const map = pathMapFor(config);
  return (path) =>
    COUNTED.has(languageOf(path)) &&
    (paths.length === 0 || paths.some((p) => (p === "." ? !path.includes("/") : isUnder(path, p)))) &&
    map.inSpecialCaseScope(path) &&
    (options.all || map.ownersOf(path).length === 0);
}

/** File names languageOf takes for a counted language (c, asm, make), as git globs. */
const COUNTED_NAMES = ["*.[chSs]", "Makefile*", "Kbuild*", "*.mk"];

/**
 * git pathspecs (for `git --glob-pathspecs`) of the files censusFileFilter
 * may take under `paths`: the whole tree when there are none, and for "."
 * the files at the top, as directoryOf names their directory. A superset:
 * the filter still decides. git then reads only these, not the device
 * trees and documents beside them (most of U-Boot's arch/ is .dts).
 */
export function countedPathspecs(paths: string[]): string[] {
  const named = (prefix: string) => COUNTED_NAMES.map((n) => prefix + n);
  if (paths.length === 0) return named("**/");
  return paths.flatMap((p) => {
    // glob's * stops at a slash: these are the top's own files.
    if (p === ".") return named("");
    const literal = p.replace(/[*?[\]\\]/g, "\\$&");
    // A path that may be a counted file itself is kept whole.
    return [...named(`${literal}/**/`), ...(COUNTED.has(languageOf(p)) ? [literal] : [])];
  });
}

/**
 * Every line of a whole file with its code and statement context, cut the
 * way src/analysis/code-lines.ts cuts it for a hunk: at `;`, `{`, `}`, a
 * blank line, and a preprocessor line that does not continue.
 */
export function fileCodeLines(text: string, language: Language): (CodeLine & { line: number })[] {
  const texts = text.split("\n");
  if (texts.at(-1) === "") texts.pop();
  // lexSnippet guesses whether a snippet starts inside a comment; a whole
  // file never does, and a leading closed comment makes the guess "no".
  const cLike = language === "c" || language === "asm";
  const lexed = cLike ? lexSnippet(["/**/", ...texts], language).slice(1) : lexSnippet(texts, language);
  const out: (CodeLine & { line: number })[] = [];
  const codes = lexed.map((l) => l.code);
  walkStatements(lexed, (i, start) => out.push(new StatementLine(codes, i, start, language, i + 1)));
  return out;
}

/** The hypervisor conditionals in one file, one per line and hypervisor. */
export function locationsInFile(path: string, text: string, config: PatchwardenConfig): CensusLocation[] {
  const detector = hvTestDetector(config);
  // Most files read name no hypervisor at all: skip lexing them.
  if (!detector.mentions(text)) return [];
  const own = pathMapFor(config).ownersOf(path).length > 0;
  const out: CensusLocation[] = [];
  for (const cl of fileCodeLines(text, languageOf(path))) {
    if (!detector.mentions(cl.code)) continue;
    const seen = new Set<string>();
    // The leftmost test names the location.
    for (const t of preferSpecific(detector.find(cl)).sort((a, b) => a.column - b.column)) {
      if (seen.has(t.hypervisor)) continue;
      seen.add(t.hypervisor);
      out.push({ path, line: cl.line, hypervisor: t.hypervisor, token: t.token, kind: t.kind, own });
    }
  }
  return out;
}


export interface CensusTally {
  /** Counts one file (already chosen by censusFileFilter). */
  add(path: string, text: string): void;
  readonly filesRead: number;
  report(): CensusReport;
}

export function censusTally(config: PatchwardenConfig, options: CensusOptions): CensusTally {
  const locations: CensusLocation[] = [];
  let filesRead = 0;
  return {
    get filesRead() {
      return filesRead;
    },
    add(path, text) {
      filesRead++;
      for (const l of locationsInFile(path, text, config)) locations.push(l);
    },
    report() {
      const sorted = [...locations].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : a.line - b.line));
      const byDir = new Map<string, Record<string, number>>();
      const totals = new Map<string, number>();
      for (const l of sorted) {
        const dir = directoryOf(l.path, options.depth);
        const row = byDir.get(dir) ?? {};
        row[l.hypervisor] = (row[l.hypervisor] ?? 0) + 1;
        byDir.set(dir, row);
        totals.set(dir, (totals.get(dir) ?? 0) + 1);
      }
      return {
        scope: options.all ? "all" : "special-case",
        depth: options.depth,
        filesRead,
        hypervisors: config.hypervisors.map((h) => ({
          id: h.id,
          name: h.name,
          count: sorted.filter((l) => l.hypervisor === h.id).length,
          own: sorted.filter((l) => l.hypervisor === h.id && l.own).length,
        })),
        directories: topCounts(totals, totals.size).map(([dir, total]) => ({ dir, total, byHypervisor: byDir.get(dir)! })),
        locations: sorted,
      };
    },
  };
}

/** A census over (path, text) pairs: what the command does once it has read the files. */
export function census(files: Iterable<{ path: string; text: string }>, config: PatchwardenConfig, options: CensusOptions): CensusReport {
  const filter = censusFileFilter(config, options);
  const tally = censusTally(config, options);
  for (const f of files) if (filter(f.path)) tally.add(f.path, f.text);
  return tally.report();
}

/**
 * Fixed strings every hypervisor token contains, for `git grep -F`: a
 * file without any of them cannot hold a conditional. Null when a
 * configured pattern has no literal start (then every file is read).
 */
export function prefilterStrings(config: PatchwardenConfig): string[] | null {
  const out = new Set<string>();
  for (const h of config.hypervisors) {
    for (const s of [...h.predicateCalls, ...h.featureBits, ...h.typeConstants]) out.add(s);
    for (const re of h.configSymbols) {
      const lit = literalPrefix(re);
      if (lit === null) return null;
      out.add(lit);
    }
  }
  return [...out];
}

/** `CONFIG_XEN\w*` -> `CONFIG_XEN`; a last character made optional by `?`, `*` or `{` is dropped. */
export function literalPrefix(re: string): string | null {
  if (re.includes("|")) return null;
  // A leading lookbehind (U-Boot's `(?<=CONFIG_IS_ENABLED\()XEN\w*`) only narrows where the literal after it may stand.
  if (re.startsWith("(?<=")) {
    let k = 4;
    while (k < re.length && re[k] !== ")" && re[k] !== "(") k += re[k] === "\\" ? 2 : 1;
    if (re[k] !== ")") return null;
    re = re.slice(k + 1);
  }
  const m = /^[A-Za-z0-9_]+/.exec(re);
  if (!m) return null;
  const lit = /^[?*{]/.test(re.slice(m[0].length)) ? m[0].slice(0, -1) : m[0];
  return lit === "" ? null : lit;
}
