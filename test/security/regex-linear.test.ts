// Every regular expression that reads input must run in time linear in the
// line's length (issue 8: one of them stalled the app for a minute on 81
// characters). Each literal in src/ and rules/, and each expression built
// from the Linux defaults, goes through the recheck ReDoS analyzer.
import { describe, expect, it } from "@jest/globals";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import ts from "typescript";
import { detectorRegexes } from "../../src/analysis/hv-tests.js";
import { aliasRegex, archSymbolsRegex, opsStructInCodeRegex, opsStructNameRegex } from "../../src/config/config-regexes.js";
import { LINUX_DEFAULTS } from "../../src/config/defaults.js";

type Check = (source: string, flags: string, params: { timeout: number }) => Promise<{ status: string; complexity?: { summary?: string } }>;
const { check } = createRequire(import.meta.url)("recheck") as { check: Check };

const ROOT = path.resolve(import.meta.dirname ?? path.dirname(new URL(import.meta.url).pathname), "../..");

function tsFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) return tsFiles(full);
    return name.endsWith(".ts") && !name.endsWith(".d.ts") ? [full] : [];
  });
}

interface Literal {
  where: string;
  source: string;
  flags: string;
}

export function regexLiterals(file: string, text = readFileSync(file, "utf8")): Literal[] {
  const sf = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  const out: Literal[] = [];
  const visit = (node: ts.Node) => {
    if (node.kind === ts.SyntaxKind.RegularExpressionLiteral) {
      const literal = node.getText(sf);
      const slash = literal.lastIndexOf("/");
      const line = sf.getLineAndCharacterOfPosition(node.getStart(sf)).line + 1;
      out.push({ where: `${path.relative(ROOT, file)}:${line}`, source: literal.slice(1, slash), flags: literal.slice(slash + 1) });
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return out;
}

async function unsafe(items: Literal[]): Promise<string[]> {
  const bad: string[] = [];
  // One at a time: recheck's agent answers in turn anyway, and a queue of 200 would only hold memory.
  for (const item of items) {
    // Generous: under a loaded test run the big alternations take seconds, and "unknown" is not "safe".
    const d = await check(item.source, item.flags, { timeout: 60_000 });
    if (d.status !== "safe") bad.push(`${item.where}: ${d.status} ${d.complexity?.summary ?? ""} /${item.source}/${item.flags}`);
  }
  return bad;
}

describe("linear-time regular expressions", () => {
  it("the scan finds literals and the analyzer flags a backtracking one (this test can fail)", async () => {
    const found = regexLiterals("probe.ts", "const a = /(a+)+X/; const b = /^\\d+$/; const c = `/not/`;");
    expect(found.map((l) => l.source)).toEqual(["(a+)+X", "^\\d+$"]);
    expect(await unsafe(found)).toEqual([expect.stringContaining("vulnerable")]);
  });

  it("every regex literal in src/ and rules/ is linear", async () => {
    const literals = [...tsFiles(path.join(ROOT, "src")), ...tsFiles(path.join(ROOT, "rules"))].flatMap((f) => regexLiterals(f));
    expect(literals.length).toBeGreaterThan(100);
    expect(await unsafe(literals)).toEqual([]);
  }, 600_000);

  it("every expression built from the Linux defaults is linear", async () => {
    // The lists run joined into one expression each, and aliases one by one: check what runs.
    const d = LINUX_DEFAULTS;
    const regexes: [string, RegExp][] = [
      ["archConfigSymbols", archSymbolsRegex(d.archConfigSymbols)],
      ["paravirtOpsStructs", opsStructNameRegex(d.paravirtOpsStructs)],
      ["paravirtOpsStructs", opsStructInCodeRegex(d.paravirtOpsStructs)],
      ...d.hypervisors.flatMap((h) => h.aliases.map((a): [string, RegExp] => [`${h.id} alias`, aliasRegex(a)])),
      ...detectorRegexes(d).map((re): [string, RegExp] => ["hv-tests detector", re]),
    ];
    const built = regexes.map(([where, re]) => ({ where, source: re.source, flags: re.flags }));
    expect(built.length).toBeGreaterThan(10);
    expect(await unsafe(built)).toEqual([]);
  }, 600_000);
});
