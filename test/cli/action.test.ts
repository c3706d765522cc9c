// The GitHub Action's step on the real script, with a fake pull_request
// event over a local repository, as the runner would set it up.
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { spawnSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { parse as parseYaml } from "yaml";
import { TestRepo } from "../history/test-repo.js";

const root = path.resolve(import.meta.dirname ?? path.dirname(new URL(import.meta.url).pathname), "../..");
const script = path.join(root, "bin/patchwarden-action.js");
let repo: TestRepo;
let base: string;
let head: string;

beforeAll(() => {
  repo = new TestRepo("patchwarden-action-");
  base = repo.commit("base", "2021-01-01T00:00:00Z", { "arch/x86/mm/init.c": "void f(void)\n{\n}\n" });
  head = repo.commit("x86/mm: skip for Xen PV\n\nXen PV guests have no such table, so reading it faults.\n\nSigned-off-by: Test Runner <runner@example.org>", "2021-02-01T00:00:00Z", {
    "arch/x86/mm/init.c": "void f(void)\n{\n\tif (xen_pv_domain())\n\t\treturn;\n}\n",
  });
});
afterAll(() => repo.remove());

function action(env: Record<string, string>, event: unknown = { pull_request: { number: 7, base: { sha: base }, head: { sha: head } } }) {
  const eventPath = path.join(repo.root, "event.json");
  writeFileSync(eventPath, JSON.stringify(event));
  const output = path.join(repo.root, "output");
  const summary = path.join(repo.root, "summary.md");
  writeFileSync(output, "");
  writeFileSync(summary, "");
  const r = spawnSync(process.execPath, [script], {
    cwd: repo.dir,
    encoding: "utf8",
    env: { PATH: process.env.PATH!, GIT_CONFIG_GLOBAL: "/dev/null", GIT_CONFIG_NOSYSTEM: "1", GITHUB_EVENT_PATH: eventPath, GITHUB_WORKSPACE: repo.dir, GITHUB_OUTPUT: output, GITHUB_STEP_SUMMARY: summary, ...env },
  });
  return { status: r.status, stderr: r.stderr, output: readFileSync(output, "utf8"), summary: readFileSync(summary, "utf8") };
}

describe("the GitHub Action's step", () => {
  it("checks base..head, writes SARIF, the step's outputs and summary, and fails on an error", () => {
    const r = action({});
    expect(r.status).toBe(1);
    const sarifFile = path.join(repo.dir, "patchwarden.sarif");
    expect(r.output).toBe(`sarif-file=${sarifFile}\nfindings=1\n`);
    const sarif = JSON.parse(readFileSync(sarifFile, "utf8")) as { version: string; runs: { results: { ruleId: string; locations: { physicalLocation: { artifactLocation: { uri: string }; region: { startLine: number } } }[] }[] }[] };
    expect(sarif.version).toBe("2.1.0");
    expect(sarif.runs[0]!.results.map((x) => [x.ruleId, x.locations[0]!.physicalLocation.artifactLocation.uri, x.locations[0]!.physicalLocation.region.startLine])).toEqual([["hv-special-case", "arch/x86/mm/init.c", 3]]);
    expect(r.summary).toContain(`1 finding in ${base.slice(0, 12)}..${head.slice(0, 12)}.`);
    expect(r.summary).toContain("| error | `arch/x86/mm/init.c:3` |");
  });

  it("fail-on never passes the step and still writes the findings", () => {
    const r = action({ INPUT_FAIL_ON: "never", INPUT_SARIF_FILE: "out/../pw.sarif" });
    expect(r.status).toBe(0);
    expect(r.output).toContain(`sarif-file=${path.join(repo.dir, "pw.sarif")}`);
  });

  it("an event without a pull request, or a missing commit, is an annotated error (exit 2)", () => {
    const push = action({}, { ref: "refs/heads/main" });
    expect(push.status).toBe(2);
    expect(push.stderr).toContain("::error title=patchwarden::the event has no pull_request.base.sha and head.sha");
    const shallow = action({}, { pull_request: { base: { sha: "1".repeat(40) }, head: { sha: head } } });
    expect(shallow.status).toBe(2);
    expect(shallow.stderr).toContain("fetch-depth: 0");
  });

  it("action.yml runs this script and passes its inputs", () => {
    const spec = parseYaml(readFileSync(path.join(root, "action.yml"), "utf8")) as { inputs: Record<string, unknown>; runs: { using: string; steps: { run?: string; env?: Record<string, string> }[] } };
    expect(spec.runs.using).toBe("composite");
    const step = spec.runs.steps.find((s) => s.run?.includes("bin/patchwarden-action.js"))!;
    for (const name of Object.keys(spec.inputs).filter((n) => n !== "upload-sarif")) expect(step.env![`INPUT_${name.toUpperCase().replace(/-/g, "_")}`]).toBe(`\${{ inputs.${name} }}`);
  });
});
