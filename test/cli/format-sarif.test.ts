import { describe, expect, it } from "@jest/globals";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import Ajv2020 from "ajv/dist/2020.js";
import { formatSarif, pascalCase } from "../../src/cli/format-sarif.js";
import type { Finding, RuleMeta } from "../../src/findings/types.js";

const SHA = "abcdef1234567890abcdef1234567890abcdef12";

function finding(over: Partial<Finding>): Finding {
  return {
    rule: "hv-special-case",
    severity: "error",
    file: "arch/x86/kernel/setup.c",
    line: 42,
    commitIndex: 0,
    commit: SHA,
    commitSubject: "x86/xen: add special case",
    message: "Do not special-case Xen in generic setup code.",
    fingerprint: "fp-line",
    ...over,
  };
}

const rules: RuleMeta[] = [
  { id: "one-hv-interface", defaultSeverity: "info", description: "Interface that serves one hypervisor.", docPath: "rules/one-hv-interface.md" },
  { id: "hv-special-case", defaultSeverity: "error", description: "Hypervisor special case in generic code.", docPath: "rules/hv-special-case.md" },
  { id: "arch-ifdef-core", defaultSeverity: "warning", description: "Architecture conditional in core code.", docPath: "rules/arch-ifdef-core.md" },
];

// One of each location kind the formatter must handle.
const mixed: Finding[] = [
  finding({}),
  finding({ rule: "arch-ifdef-core", severity: "warning", file: "kernel/sched/core.c", line: null, message: "File-level.", fingerprint: "fp-file" }),
  finding({ rule: "one-hv-interface", severity: "info", file: null, line: null, message: "Commit-level.", fingerprint: "fp-commit" }),
];

const render = (findings: Finding[], docBaseUrl?: string): any =>
  JSON.parse(formatSarif(findings, { rules, toolVersion: "1.2.3", ...(docBaseUrl === undefined ? {} : { docBaseUrl }) }));

describe("formatSarif structure", () => {
  it("is a single-run SARIF 2.1.0 log with a trailing newline", () => {
    const out = formatSarif(mixed, { rules, toolVersion: "1.2.3" });
    expect(out.endsWith("}\n")).toBe(true);
    const log = JSON.parse(out);
    expect(log.$schema).toBe("https://json.schemastore.org/sarif-2.1.0.json");
    expect(log.version).toBe("2.1.0");
    expect(log.runs).toHaveLength(1);
    expect(log.runs[0].tool.driver).toMatchObject({
      name: "patchwarden",
      version: "1.2.3",
      informationUri: "https://github.com/patchwarden/patchwarden",
    });
  });

  it("describes every rule, sorted by id, with GitHub's required fields", () => {
    const driver = render([]).runs[0].tool.driver;
    expect(driver.rules.map((r: any) => r.id)).toEqual(["arch-ifdef-core", "hv-special-case", "one-hv-interface"]);
    const hv = driver.rules[1];
    expect(hv).toMatchObject({
      id: "hv-special-case",
      name: "HvSpecialCase",
      shortDescription: { text: "Hypervisor special case in generic code." },
      fullDescription: { text: "Hypervisor special case in generic code." },
      helpUri: "https://github.com/patchwarden/patchwarden/blob/main/rules/hv-special-case.md",
      defaultConfiguration: { level: "error" },
      properties: { tags: ["maintainability"] },
    });
    expect(hv.help.text).toContain(hv.helpUri);
    expect(driver.rules.map((r: any) => r.defaultConfiguration.level)).toEqual(["warning", "error", "note"]);
  });

  it("joins docBaseUrl and docPath with exactly one slash", () => {
    for (const base of ["https://example.org/docs", "https://example.org/docs/"]) {
      expect(render([], base).runs[0].tool.driver.rules[0].helpUri).toBe("https://example.org/docs/rules/arch-ifdef-core.md");
    }
  });

  it("maps findings to results with matching ruleIndex, level, message and fingerprint", () => {
    const run = render(mixed).runs[0];
    expect(run.results.map((r: any) => r.ruleId)).toEqual(["one-hv-interface", "hv-special-case", "arch-ifdef-core"]);
    for (const r of run.results) expect(run.tool.driver.rules[r.ruleIndex].id).toBe(r.ruleId);
    expect(run.results.map((r: any) => r.level)).toEqual(["note", "error", "warning"]);
    expect(run.results[1].message).toEqual({ text: "Do not special-case Xen in generic setup code." });
    expect(run.results.map((r: any) => r.partialFingerprints)).toEqual([
      { "patchwarden/v1": "fp-commit" },
      { "patchwarden/v1": "fp-line" },
      { "patchwarden/v1": "fp-file" },
    ]);
  });

  it("gives every result a location: region only with a line, COMMIT_MSG without a file", () => {
    const [commit, line, file] = render(mixed).runs[0].results.map((r: any) => r.locations);
    expect(line).toEqual([{ physicalLocation: { artifactLocation: { uri: "arch/x86/kernel/setup.c", uriBaseId: "%SRCROOT%" }, region: { startLine: 42 } } }]);
    expect(file).toEqual([{ physicalLocation: { artifactLocation: { uri: "kernel/sched/core.c", uriBaseId: "%SRCROOT%" } } }]);
    expect(commit).toEqual([{ physicalLocation: { artifactLocation: { uri: "COMMIT_MSG", uriBaseId: "%SRCROOT%" } } }]);
  });

  it("omits ruleIndex for a finding whose rule is not in opts.rules", () => {
    const [r] = render([finding({ rule: "not-registered" })]).runs[0].results;
    expect(r.ruleId).toBe("not-registered");
    expect(r).not.toHaveProperty("ruleIndex");
  });

  it("is byte-identical for any input order of findings and rules", () => {
    const a = formatSarif(mixed, { rules, toolVersion: "1" });
    const b = formatSarif([...mixed].reverse(), { rules: [...rules].reverse(), toolVersion: "1" });
    expect(b).toBe(a);
  });

  it("PascalCases rule ids", () => {
    expect(pascalCase("hv-special-case")).toBe("HvSpecialCase");
    expect(pascalCase("arch_ifdef--core2")).toBe("ArchIfdefCore2");
  });
});

// The validator is a .NET binary inside the platform package; spawning it
// directly (rather than via the npm shim, which uses a shell) keeps paths and
// the `;`-separated --level list from being re-parsed by /bin/sh.
const require = createRequire(import.meta.url);
const MULTITOOL = require("@microsoft/sarif-multitool") as string;
const SCHEMA_PATH = join(dirname(MULTITOOL), "sarif-2.1.0.json");

interface Verdict {
  status: number | null;
  problems: string[];
}

function validateWithMultitool(sarif: string): Verdict {
  const dir = mkdtempSync(join(tmpdir(), "patchwarden-sarif-"));
  try {
    const input = join(dir, "in.sarif");
    const output = join(dir, "out.sarif"); // must not exist: the tool refuses to overwrite
    writeFileSync(input, sarif);
    const run = spawnSync(
      MULTITOOL,
      ["validate", "--rule-kind", "Gh", "--level", "Error;Warning", "-o", output, input],
      { encoding: "utf8", timeout: 120_000 },
    );
    if (run.error) throw run.error;
    // The tool exits 0 even when it reports errors, so the verdict comes from the log.
    const log = JSON.parse(readFileSync(output, "utf8"));
    const results: any[] = log.runs[0].results ?? [];
    const printed = `${run.stdout}\n${run.stderr}`.split("\n").filter((l) => /\b(error|warning)\b/.test(l));
    const problems = results
      .filter((r) => (r.level ?? "warning") !== "note")
      .map((r) => `${r.ruleId}: ${(r.message.arguments ?? []).join(" | ")}`);
    const failed = (log.runs[0].invocations ?? []).some((i: any) => i.executionSuccessful === false);
    return { status: run.status, problems: failed || problems.length > 0 ? [...problems, ...printed] : [] };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe("formatSarif against the official validator", () => {
  it("passes sarif-multitool --rule-kind Gh with line, file and commit findings", () => {
    const verdict = validateWithMultitool(formatSarif(mixed, { rules, toolVersion: "0.1.0" }));
    expect(verdict.problems).toEqual([]);
    expect(verdict.status).toBe(0);
  }, 120_000);

  it("passes with no findings", () => {
    expect(validateWithMultitool(formatSarif([], { rules, toolVersion: "0.1.0" })).problems).toEqual([]);
  }, 120_000);

  // Guards against a harness that can never fail (wrong flags, unread log).
  it("harness does report a result without locations", () => {
    const log = render(mixed);
    delete log.runs[0].results[0].locations;
    const verdict = validateWithMultitool(JSON.stringify(log));
    expect(verdict.problems.some((p) => p.startsWith("GH"))).toBe(true);
  }, 120_000);

  // The multitool silently accepts enum violations (e.g. level "info"), so the
  // schema it ships is also checked directly.
  it("conforms to the SARIF 2.1.0 JSON schema", () => {
    const schema = JSON.parse(readFileSync(SCHEMA_PATH, "utf8"));
    const ajv = new Ajv2020.default({ strict: false, allErrors: true, validateFormats: false });
    const validate = ajv.compile(schema);
    const ok = validate(render(mixed));
    expect(validate.errors ?? []).toEqual([]);
    expect(ok).toBe(true);
    expect(validate({ ...render(mixed), version: "2.0.0" })).toBe(false);
  });
});
