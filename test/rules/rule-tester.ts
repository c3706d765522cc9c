// A table-driven tester in the spirit of ESLint's RuleTester: each case is a
// small patch written as hunks, run through the real parser and the engine,
// and compared with the findings the case expects (rule, file, line,
// severity, and words the message must contain).
import { describe, expect, it } from "@jest/globals";
import { LINUX_DEFAULTS } from "../../src/config/defaults.js";
import { mergeConfig, type PartialConfig } from "../../src/config/load.js";
import { runRules } from "../../src/engine/run.js";
import type { Finding, Severity } from "../../src/findings/types.js";
import { parseSeries } from "../../src/patch/series.js";
import type { Rule } from "../../rules/types.js";
import type { SymbolLookup, TreeFacts } from "../../src/tree/types.js";

export interface FileSpec {
  path: string;
  /** Hunk body: each line starts with " ", "+" or "-". Leading/trailing blank lines are dropped. */
  hunk: string;
  /** Hunk section text (git's function context). */
  section?: string;
  oldStart?: number;
  /** A new file (`new file mode`, `--- /dev/null`): the hunk may only add lines. */
  added?: boolean;
  /** A deleted file as `git format-patch -D` writes it: no hunk, the hunk text is ignored. */
  deleted?: boolean;
  /** When several hunks of one file are needed, repeat the path in several specs. */
}

export interface CommitSpec {
  subject?: string;
  body?: string;
  files: FileSpec[];
}

export interface Case {
  name: string;
  commits?: CommitSpec[];
  files?: FileSpec[];
  config?: PartialConfig;
  /** The base tree's answers: per symbol, the lines naming it, each "path:line:text". */
  tree?: { symbols?: Record<string, string[]>; truncated?: string[]; prefixes?: Record<string, Record<string, number>> };
}

/** Facts of a base tree written as "path:line:text" lines per symbol. */
export function treeFacts(spec: NonNullable<Case["tree"]>): TreeFacts {
  const symbols = new Map<string, SymbolLookup>();
  for (const [name, lines] of Object.entries(spec.symbols ?? {})) {
    symbols.set(name, {
      truncated: spec.truncated?.includes(name) ?? false,
      lines: lines.map((l) => {
        const [path, line, ...text] = l.split(":");
        return { path: path!, line: Number(line), text: text.join(":") };
      }),
    });
  }
  const prefixes = new Map(Object.entries(spec.prefixes ?? {}).map(([path, uses]) => [path, Object.entries(uses).map(([prefix, commits]) => ({ prefix, commits }))]));
  return { base: "b".repeat(40), baseFrom: "a test", symbols, prefixes, census: null, notes: [] };
}

export interface ExpectedFinding {
  file?: string | null;
  line?: number | null;
  severity?: Severity;
  /** Words the message must contain (case-insensitive). */
  message?: string[];
}

export interface InvalidCase extends Case {
  errors: ExpectedFinding[];
}

export function hunkBody(text: string): string[] {
  const lines = text.split("\n");
  while (lines.length && lines[0]!.trim() === "") lines.shift();
  while (lines.length && lines[lines.length - 1]!.trim() === "") lines.pop();
  return lines.map((l) => (l === "" ? " " : l));
}

function fileDiff(spec: FileSpec): string {
  const body = hunkBody(spec.hunk);
  const oldCount = body.filter((l) => l[0] !== "+").length;
  const newCount = body.filter((l) => l[0] !== "-").length;
  const start = spec.oldStart ?? 10;
  if (spec.deleted) return [`diff --git a/${spec.path} b/${spec.path}`, "deleted file mode 100644", "index 1111111..0000000"].join("\n");
  if (spec.added) {
    return [`diff --git a/${spec.path} b/${spec.path}`, "new file mode 100644", "index 0000000..2222222", "--- /dev/null", `+++ b/${spec.path}`, `@@ -0,0 +1,${newCount} @@`, ...body].join("\n");
  }
  return [
    `diff --git a/${spec.path} b/${spec.path}`,
    "index 1111111..2222222 100644",
    `--- a/${spec.path}`,
    `+++ b/${spec.path}`,
    `@@ -${start},${oldCount} +${start},${newCount} @@${spec.section ? ` ${spec.section}` : ""}`,
    ...body,
  ].join("\n");
}

/** Renders commits as one mbox of `git format-patch` messages. */
export function renderSeries(commits: CommitSpec[]): string {
  return commits
    .map((c, i) => {
      const sha = (i + 1).toString(16).padStart(40, "a");
      return [
        `From ${sha} Mon Sep 17 00:00:00 2001`,
        "From: Test Author <author@example.org>",
        "Date: Mon, 1 Jan 2024 00:00:00 +0000",
        `Subject: [PATCH ${i + 1}/${commits.length}] ${c.subject ?? "x86/test: change something"}`,
        "",
        c.body ?? "The old code did the wrong thing under some condition; this changes it.",
        "",
        "Signed-off-by: Test Author <author@example.org>",
        "---",
        ...c.files.map(fileDiff),
        "-- ",
        "2.43.0",
        "",
      ].join("\n");
    })
    .join("\n");
}

export function runCase(rule: Rule, c: Case): Finding[] {
  const commits = c.commits ?? [{ files: c.files ?? [] }];
  const series = parseSeries([{ name: c.name, bytes: Buffer.from(renderSeries(commits)) }]);
  const config = c.config ? mergeConfig(c.config) : LINUX_DEFAULTS;
  return runRules(series, config, { only: [rule.meta.id], ...(c.tree ? { tree: treeFacts(c.tree) } : {}) });
}

export function ruleTester(rule: Rule, cases: { valid: Case[]; invalid: InvalidCase[] }): void {
  describe(rule.meta.id, () => {
    describe("valid", () => {
      for (const c of cases.valid) {
        it(c.name, () => {
          const found = runCase(rule, c);
          expect(found.map((f) => `${f.file}:${f.line}: ${f.message}`)).toEqual([]);
        });
      }
    });
    describe("invalid", () => {
      for (const c of cases.invalid) {
        it(c.name, () => {
          const found = runCase(rule, c);
          expect(found.map((f) => `${f.file}:${f.line}`)).toHaveLength(c.errors.length);
          c.errors.forEach((want, k) => {
            const got = found[k]!;
            expect(got.rule).toBe(rule.meta.id);
            if (want.file !== undefined) expect(got.file).toBe(want.file);
            if (want.line !== undefined) expect(got.line).toBe(want.line);
            if (want.severity !== undefined) expect(got.severity).toBe(want.severity);
            for (const word of want.message ?? []) expect(got.message.toLowerCase()).toContain(word.toLowerCase());
            expect(got.fingerprint).toMatch(/^[0-9a-f]{20}(-\d+)?$/);
          });
        });
      }
    });
  });
}
