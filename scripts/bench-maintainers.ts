// How fast the MAINTAINERS subsystem map is on a real-size file: parse once,
// build the matcher once, then many path lookups. Reads --maintainers FILE
// (a kernel tree's MAINTAINERS), else synthesizes one of the real file's size
// and shape (~3,100 sections, ~27,000 lines, mostly drivers/, Documentation/
// and include/linux/ patterns, a few hundred globs, X: and N: lines).
// Lookup paths come from --paths FILE (one per line, e.g. `git ls-files`),
// else half are derived from the file's own F: patterns (so they hit) and
// half are made-up tree paths. Reports figures only; exits 0 unless it cannot run.
//
//   tsc -p tsconfig.build.json && node --expose-gc dist/scripts/bench-maintainers.js \
//     [--maintainers FILE] [--paths FILE] [--lookups N] [--write-synthetic FILE] [--json]
import { readFileSync, writeFileSync } from "node:fs";
import os from "node:os";
import { parseArgs } from "node:util";
import { buildMatcher } from "../src/maintainers/match.js";
import { parseMaintainers } from "../src/maintainers/parse.js";
import { compileGlob, compileNRegex, countSlashes, globMatches } from "../src/maintainers/patterns.js";
import { pick, rng, type Rng } from "./random.js";

const SYL = ["ax", "bo", "cy", "da", "el", "fi", "gu", "ho", "io", "ju", "ka", "lo", "mi", "nu", "ov", "pe", "qu", "ro", "si", "tu"];
const word = (r: Rng, n = 2 + Math.floor(r() * 2)): string => Array.from({ length: n }, () => pick(r, SYL)).join("");

/** A made-up kernel tree: directories by weight, roughly as MAINTAINERS spreads over them. */
function syntheticDirs(r: Rng): Array<{ dir: string; weight: number }> {
  const dirs: Array<{ dir: string; weight: number }> = [];
  const arches = ["x86", "arm64", "arm", "riscv", "powerpc", "s390", "mips", "loongarch", "sparc", "parisc", "m68k", "sh", "xtensa", "um", "alpha", "csky", "hexagon", "microblaze", "nios2", "openrisc", "arc"];
  for (const a of arches) {
    dirs.push({ dir: `arch/${a}/`, weight: 2 });
    for (let i = 0; i < 8; i++) dirs.push({ dir: `arch/${a}/${word(r)}/`, weight: 1 });
  }
  for (let i = 0; i < 140; i++) {
    const sub = `drivers/${word(r)}/`;
    dirs.push({ dir: sub, weight: 6 });
    for (let j = 0; j < 6; j++) {
      const d = `${sub}${word(r)}/`;
      dirs.push({ dir: d, weight: 4 });
      if (r() < 0.4) dirs.push({ dir: `${d}${word(r)}/`, weight: 2 });
    }
  }
  for (let i = 0; i < 120; i++) dirs.push({ dir: `Documentation/devicetree/bindings/${word(r)}/`, weight: 5 });
  for (let i = 0; i < 60; i++) dirs.push({ dir: `Documentation/${word(r)}/`, weight: 2 });
  dirs.push({ dir: "include/linux/", weight: 70 }, { dir: "include/uapi/linux/", weight: 15 }, { dir: "include/net/", weight: 8 });
  for (let i = 0; i < 30; i++) dirs.push({ dir: `include/linux/${word(r)}/`, weight: 2 });
  for (let i = 0; i < 60; i++) dirs.push({ dir: `fs/${word(r)}/`, weight: 2 });
  for (let i = 0; i < 50; i++) dirs.push({ dir: `net/${word(r)}/`, weight: 2 });
  for (let i = 0; i < 40; i++) dirs.push({ dir: `sound/soc/${word(r)}/`, weight: 2 });
  for (let i = 0; i < 40; i++) dirs.push({ dir: `tools/testing/selftests/${word(r)}/`, weight: 1 });
  for (const top of ["kernel/", "mm/", "lib/", "block/", "crypto/", "security/", "virt/kvm/", "scripts/", "rust/kernel/"]) {
    dirs.push({ dir: top, weight: 3 });
  }
  return dirs;
}

function weighted(r: Rng, dirs: Array<{ dir: string; weight: number }>, total: number): string {
  let x = r() * total;
  for (const d of dirs) if ((x -= d.weight) < 0) return d.dir;
  return dirs[dirs.length - 1]!.dir;
}

const EXT = [".c", ".c", ".c", ".h", ".h", ".yaml", ".rst", ".S"];

/** A MAINTAINERS of the real file's size and mix of pattern kinds. */
export function synthesizeMaintainers(seed = 1, sections = 3100): string {
  const r = rng(seed);
  const dirs = syntheticDirs(r);
  const total = dirs.reduce((s, d) => s + d.weight, 0);
  const out: string[] = ["List of maintainers", "===================", "", "\tF: *Files* and directories wildcard patterns.", "", "Maintainers List", "----------------", ""];
  const titles = new Set<string>();
  for (let i = 0; i < sections; i++) {
    let title = `${word(r, 3).toUpperCase()} ${pick(r, ["DRIVER", "SUBSYSTEM", "SUPPORT", "FILESYSTEM", "DRIVERS"])}`;
    while (titles.has(title)) title += " X";
    titles.add(title);
    out.push(title);
    const people = 1 + Math.floor(r() * 3);
    for (let p = 0; p < people; p++) out.push(`${r() < 0.7 ? "M" : "R"}:\t${word(r)} ${word(r)} <${word(r)}@example.org>`);
    out.push(`L:\tlinux-${word(r)}@vger.example.org`);
    out.push(`S:\t${pick(r, ["Maintained", "Maintained", "Supported", "Odd Fixes", "Orphan"])}`);
    if (r() < 0.35) out.push(`T:\tgit git://git.example.org/pub/scm/${word(r)}.git`);
    if (r() < 0.15) out.push(`W:\thttps://${word(r)}.example.org/`);
    const patterns = 1 + Math.floor(r() * r() * 8);
    for (let f = 0; f < patterns; f++) {
      const dir = weighted(r, dirs, total);
      const k = r();
      let value: string;
      if (k < 0.42) value = `${dir}${word(r)}${pick(r, EXT)}`;
      // Real entries mostly own a directory of their own; a few share a parent.
      else if (k < 0.72) value = r() < 0.15 ? dir : `${dir}${word(r)}/`;
      else if (k < 0.9) value = `${dir}${word(r, 1)}*`;
      else if (k < 0.97) value = `${dir}*${word(r, 1)}*`;
      // Globs in a directory name (`drivers/*/*acpi*`) are rare in the real file.
      else if (k < 0.975) value = `${dir.split("/")[0]}/*/${word(r, 1)}*`;
      else value = `${dir}**/*${word(r, 1)}*${pick(r, EXT)}`;
      out.push(`F:\t${value}`);
    }
    if (r() < 0.08) out.push(`X:\t${weighted(r, dirs, total)}${word(r)}/`);
    if (r() < 0.05) out.push(`N:\t${pick(r, ["[^a-z]", "\\b", "", "/"])}${word(r)}`);
    if (r() < 0.03) out.push(`K:\t\\b${word(r)}\\b`);
    out.push("");
  }
  out.push("THE REST", "M:\tLinus <linus@example.org>", "S:\tBuried alive in reporters", "F:\t*", "F:\t*/", "");
  return out.join("\n");
}

/** Paths to look up: half derived from F: patterns (hits), half random tree paths. */
function lookupPaths(text: string, count: number, seed = 2): string[] {
  const r = rng(seed);
  const file = parseMaintainers(text, "paths");
  const patterns = file.sections.flatMap((s) => s.files).filter((f) => f !== "*" && f !== "*/");
  const dirs = syntheticDirs(rng(1)).map((d) => d.dir);
  const concretize = (p: string): string =>
    p.replace(/\*\*/g, word(r)).replace(/\*/g, word(r, 1)).replace(/\?/g, "x").replace(/\[[^\]]*\]/g, "a");
  const out: string[] = [];
  for (let i = 0; i < count; i++) {
    if (i % 2 === 0 && patterns.length > 0) {
      const p = concretize(pick(r, patterns));
      out.push(p.endsWith("/") ? `${p}${r() < 0.5 ? `${word(r)}/` : ""}${word(r)}${pick(r, EXT)}` : p);
    } else {
      const d = pick(r, dirs);
      out.push(`${d}${r() < 0.3 ? `${word(r)}/` : ""}${word(r)}${pick(r, EXT)}`);
    }
  }
  return out;
}

const peakMB = (): number => (process.resourceUsage().maxRSS * 1024) / 1e6;

function main(argv: string[]): number {
  const { values } = parseArgs({
    args: argv,
    options: {
      maintainers: { type: "string" },
      paths: { type: "string" },
      lookups: { type: "string", default: "80000" },
      "write-synthetic": { type: "string" },
      json: { type: "boolean", default: false },
    },
  });
  const lookups = Math.max(1, Number.parseInt(values.lookups!, 10) || 80000);
  let text: string;
  let label: string;
  try {
    text = values.maintainers ? readFileSync(values.maintainers, "utf8") : synthesizeMaintainers();
    label = values.maintainers ?? "synthetic";
  } catch (e) {
    console.error(`bench-maintainers: ${(e as Error).message}`);
    return 2;
  }
  if (values["write-synthetic"]) writeFileSync(values["write-synthetic"], text);
  const rssBefore = peakMB();
  // With --expose-gc, the heap the parsed file and matcher keep alive.
  const gc = (globalThis as { gc?: () => void }).gc;
  gc?.();
  const heapBefore = process.memoryUsage().heapUsed;

  const t0 = performance.now();
  const file = parseMaintainers(text, label);
  const parseMs = performance.now() - t0;
  const t1 = performance.now();
  const matcher = buildMatcher(file);
  const buildMs = performance.now() - t1;

  gc?.();
  const retainedMB = gc ? (process.memoryUsage().heapUsed - heapBefore) / 1e6 : null;

  let paths: string[];
  if (values.paths) {
    const listed = readFileSync(values.paths, "utf8").split("\n").filter((l) => l.trim() !== "");
    paths = Array.from({ length: lookups }, (_, i) => listed[i % listed.length]!);
  } else paths = lookupPaths(text, lookups);

  // A short warm-up so the figure is steady-state, as in a long review run.
  for (let i = 0; i < Math.min(2000, paths.length); i++) matcher.subsystemsFor(paths[i]!);
  let matches = 0;
  let unmatched = 0;
  const t2 = performance.now();
  for (const p of paths) {
    const n = matcher.subsystemsFor(p).length;
    matches += n;
    if (n <= 1) unmatched++; // only THE REST
  }
  const lookupMs = performance.now() - t2;
  // Before the scan below, which makes garbage of its own.
  const peakAfterLookups = peakMB();

  // What the index saves: the same patterns, compiled once, tried section by
  // section as get_maintainer.pl does, on a sample of the paths.
  const compiled = file.sections.map((s) => ({
    f: s.files.map(compileGlob).filter((g) => g !== null),
    x: s.excludes.map(compileGlob).filter((g) => g !== null),
    n: s.regexes.map(compileNRegex).filter((re) => typeof re !== "string"),
  }));
  const sample = paths.slice(0, 5000);
  let scanHits = 0;
  const t3 = performance.now();
  for (const p of sample) {
    const slashes = countSlashes(p);
    for (const c of compiled) {
      if (c.x.some((g) => globMatches(g, p, slashes))) continue;
      if (c.f.some((g) => globMatches(g, p, slashes)) || c.n.some((re) => re.test(p))) scanHits++;
    }
  }
  const scanPerLookupMs = (performance.now() - t3) / sample.length;

  const count = (k: "files" | "excludes" | "regexes"): number => file.sections.reduce((n, s) => n + s[k].length, 0);
  const result = {
    maintainers: label,
    bytes: Buffer.byteLength(text),
    lines: text.split("\n").length,
    sections: file.sections.length,
    fPatterns: count("files"),
    xPatterns: count("excludes"),
    nRegexes: count("regexes"),
    warnings: file.warnings.length,
    parseMs: +parseMs.toFixed(1),
    buildMs: +buildMs.toFixed(1),
    lookups: paths.length,
    lookupMs: +lookupMs.toFixed(1),
    lookupsPerSec: Math.round(paths.length / (lookupMs / 1000)),
    meanMatchesPerPath: +(matches / paths.length).toFixed(2),
    onlyCatchAll: unmatched,
    naiveScanPerLookupMs: +scanPerLookupMs.toFixed(3),
    naiveScanAgrees: scanHits === sample.reduce((n, p) => n + matcher.subsystemsFor(p).length, 0),
    peakRssMB: +peakAfterLookups.toFixed(1),
    rssBeforeParseMB: +rssBefore.toFixed(1),
    retainedHeapMB: retainedMB === null ? null : +retainedMB.toFixed(1),
  };
  if (values.json) {
    console.log(JSON.stringify(result, null, 2));
    return 0;
  }
  console.log(`bench-maintainers: node ${process.version}, ${os.cpus()[0]?.model ?? "unknown CPU"}, load ${os.loadavg()[0]!.toFixed(2)}`);
  console.log(`input: ${label}: ${result.lines} lines, ${(result.bytes / 1e3).toFixed(0)} kB, ${result.sections} sections, ${result.fPatterns} F:, ${result.xPatterns} X:, ${result.nRegexes} N:, ${result.warnings} warnings`);
  console.log(`parse:   ${result.parseMs} ms`);
  console.log(`build:   ${result.buildMs} ms`);
  console.log(`lookups: ${result.lookups} in ${result.lookupMs} ms = ${result.lookupsPerSec.toLocaleString("en")} /s (mean ${result.meanMatchesPerPath} sections per path, ${result.onlyCatchAll} with at most one)`);
  console.log(
    `         scanning every section instead: ${result.naiveScanPerLookupMs} ms per lookup, ${Math.round(1000 / result.naiveScanPerLookupMs).toLocaleString("en")} /s (sample of ${sample.length}; same answers: ${result.naiveScanAgrees ? "yes" : "NO"})`,
  );
  console.log(`peak RSS: ${result.peakRssMB} MB after the lookups (${result.rssBeforeParseMB} MB before parsing, input and paths included)`);
  console.log(`retained heap of file + matcher: ${result.retainedHeapMB === null ? "run with node --expose-gc to measure" : `${result.retainedHeapMB} MB`}`);
  return 0;
}

process.exitCode = main(process.argv.slice(2));
