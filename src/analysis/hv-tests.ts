import { configSymbolsRegex } from "../config/config-regexes.js";
import type { HypervisorConfig, PatchwardenConfig } from "../config/types.js";
import type { Language } from "../patch/lex.js";

// Recognises a hypervisor test in one line of code: a predicate call, a
// Kconfig symbol under #if/IS_ENABLED, a feature bit under a feature test or
// ALTERNATIVE, a hypervisor type constant compared against. Mentions that
// are not tests (`#define X86_FEATURE_XENPV`, `x86_hyper_type =
// X86_HYPER_XEN_PV`, `obj-$(CONFIG_XEN) +=`) are not returned.

export type HvTestKind = "call" | "config" | "feature" | "type";

export interface HvTest {
  hypervisor: string;
  token: string;
  kind: HvTestKind;
  column: number;
}

export interface CodeLine {
  /** This line's code (comments blanked). */
  code: string;
  /** Code of the lines before it in the same statement or macro, joined. */
  before: string;
  language: Language;
}

export interface HvTestDetector {
  find(line: CodeLine): HvTest[];
  /** Matches any text naming a hypervisor test token (cheap pre-filter). */
  mentions(code: string): boolean;
}

interface CompiledHv {
  id: string;
  patterns: { kind: HvTestKind; re: RegExp }[];
}

const cache = new WeakMap<PatchwardenConfig, HvTestDetector>();

export function hvTestDetector(config: PatchwardenConfig): HvTestDetector {
  let d = cache.get(config);
  if (!d) {
    d = buildDetector(config);
    cache.set(config, d);
  }
  return d;
}

/**
 * A Kconfig symbol used as a condition: in an `#if`-family directive (or a
 * line continuing one), inside `IS_ENABLED()` and friends, or in a
 * Makefile's `ifdef`/`ifeq`. Not `obj-$(CONFIG_X) +=`, which only says
 * what to build.
 */
export function isConfigConditional(line: CodeLine, column: number): boolean {
  if (line.language === "make") return /^\s*(ifdef|ifndef|ifeq|ifneq)\b/.test(line.code);
  if (line.language !== "c" && line.language !== "asm") return false;
  const directive = line.before.trim() ? line.before : line.code;
  if (/^\s*#\s*(if|ifdef|ifndef|elif|elifdef|elifndef)\b/.test(directive)) return true;
  // CONFIG_IS_ENABLED(XEN) is U-Boot's IS_ENABLED, for SPL and TPL builds too.
  return /\b(IS_ENABLED|CONFIG_IS_ENABLED|IS_BUILTIN|IS_MODULE|IS_REACHABLE|defined)\s*\(\s*$/.test(line.code.slice(0, column));
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
const words = (list: string[]) => list.map(escape).join("|");

function compile(h: HypervisorConfig): CompiledHv {
  const patterns: CompiledHv["patterns"] = [];
  if (h.predicateCalls.length) patterns.push({ kind: "call", re: new RegExp(`\\b(${words(h.predicateCalls)})\\s*\\(`, "g") });
  if (h.configSymbols.length) patterns.push({ kind: "config", re: configSymbolsRegex(h.configSymbols) });
  if (h.featureBits.length) patterns.push({ kind: "feature", re: new RegExp(`\\b(${words(h.featureBits)})\\b`, "g") });
  if (h.typeConstants.length) patterns.push({ kind: "type", re: new RegExp(`\\b(${words(h.typeConstants)})\\b`, "g") });
  // X86_FEATURE_HYPERVISOR tested by hand: CPUID leaf 1, ECX bit 31 is the "running on a hypervisor" bit.
  if (h.featureBits.includes("X86_FEATURE_HYPERVISOR")) patterns.push({ kind: "type", re: CPUID_HYPERVISOR_BIT });
  return { id: h.id, patterns };
}

/** The answer for a line with no hypervisor test, shared (frozen: no caller may add to it). */
const NONE: HvTest[] = Object.freeze([]) as unknown as HvTest[];

const CPUID_HYPERVISOR_BIT = /\b(cpuid_ecx\s*\(\s*1\s*\)\s*&\s*(?:BIT\s*\(\s*31\s*\)|\(\s*1U?L?\s*<<\s*31\s*\)|0x80000000U?))/g;

/**
 * Each match costs a look at the line before it, so a line of thousands of
 * `xen_pv_domain()` would cost their square. A line is one finding per
 * hypervisor however many tests it holds; a real one has one to three.
 */
const MAX_MATCHES_PER_PATTERN = 32;

/** Every expression a detector for `config` runs, for the linear-time check of the built-in config. */
export function detectorRegexes(config: PatchwardenConfig): RegExp[] {
  const { hvs, featureCall, asmAlternative, anyToken } = compileAll(config);
  return [...hvs.flatMap((h) => h.patterns.map((p) => p.re)), featureCall, asmAlternative, anyToken];
}

function compileAll(config: PatchwardenConfig) {
  const hvs = config.hypervisors.map(compile);
  const featureCall = new RegExp(`\\b(${words([...config.featureTestCalls, ...config.alternativeMacros])})\\s*\\(`);
  const asmAlternative = new RegExp(`\\b(${words(config.alternativeMacros)})\\b`);
  const anyToken = new RegExp(hvs.flatMap((h) => h.patterns.map((p) => p.re.source)).join("|") || "(?!)");
  return { hvs, featureCall, asmAlternative, anyToken };
}

function buildDetector(config: PatchwardenConfig): HvTestDetector {
  const { hvs, featureCall, asmAlternative, anyToken } = compileAll(config);
  // "Inside a feature test that no `;` has closed yet": searched only after
  // the statement's last `;`, since `call\s*\([^;]*$` retried from every
  // call on the line is quadratic.
  const inFeatureTest = (statement: string) => featureCall.test(statement.slice(statement.lastIndexOf(";") + 1));

  const isConditionalUse = (kind: HvTestKind, line: CodeLine, column: number): boolean => {
    const head = line.code.slice(0, column);
    const statement = `${line.before} ${head}`;
    switch (kind) {
      case "call":
        return line.language === "c" || line.language === "asm";
      case "config":
        if (line.language === "make") return /^\s*(ifdef|ifndef|ifeq|ifneq)\b/.test(line.code);
        return isConfigConditional(line, column);
      case "feature":
        if (line.language === "asm" && asmAlternative.test(statement)) return true;
        if (line.language !== "c" && line.language !== "asm") return false;
        return inFeatureTest(statement);
      case "type":
        if (line.language !== "c") return false;
        if (/^\s*#\s*define\b/.test(line.code)) return false;
        if (/\bx86_hyper_type\s*=(?!=)/.test(line.code)) return false;
        if (/\.\s*\w+\s*=\s*$/.test(head)) return false; // designated initializer: `.type = X86_HYPER_KVM`
        if (/^\w+\s*(?:=[^=].*)?,?$/.test(line.code.trim())) return false; // enumerator
        return true;
    }
  };

  // hv-special-case, changelog-subsystem and census ask about the same lines.
  const answers = new WeakMap<CodeLine, HvTest[]>();
  return {
    mentions: (code) => anyToken.test(code),
    find(line) {
      // Most lines name no hypervisor token: the prefilter is the answer,
      // one shared empty list, and nothing is remembered for them.
      if (!anyToken.test(line.code)) return NONE;
      const known = answers.get(line);
      if (known) return known;
      const found = scan(line);
      answers.set(line, found);
      return found;
    },
  };

  function scan(line: CodeLine): HvTest[] {
    if (!anyToken.test(line.code)) return [];
    const found: HvTest[] = [];
    for (const hv of hvs) {
      for (const { kind, re } of hv.patterns) {
        re.lastIndex = 0;
        let seen = 0;
        for (let m = re.exec(line.code); m && seen < MAX_MATCHES_PER_PATTERN; m = re.exec(line.code), seen++) {
          if (isConditionalUse(kind, line, m.index)) found.push({ hypervisor: hv.id, token: m[1]!, kind, column: m.index });
        }
      }
    }
    return found;
  }
}

/**
 * `hypervisor_is_type(X86_HYPER_XEN_PV)` is a Xen test, not a generic one as
 * well: when a line tests a named hypervisor, its generic tests are dropped
 * (and each token is kept once).
 */
export function preferSpecific(tests: HvTest[]): HvTest[] {
  const specific = tests.filter((t) => t.hypervisor !== "generic");
  if (specific.length === 0) return tests;
  return specific.filter((t, i) => specific.findIndex((u) => u.hypervisor === t.hypervisor && u.token === t.token) === i);
}
