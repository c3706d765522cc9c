// check --git on a terminal says what it is doing; to a pipe it says nothing.
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { Writable } from "node:stream";
import { main } from "../../src/cli/main.js";
import { TestRepo } from "../history/test-repo.js";

let repo: TestRepo;
beforeAll(() => {
  repo = new TestRepo("patchwarden-progress-");
  repo.commit("base", "2021-01-01T00:00:00Z", { "mm/a.c": "int a;\n" });
  repo.commit("mm: add b\n\nb is needed by c.\n\nSigned-off-by: Test Runner <runner@example.org>", "2021-02-01T00:00:00Z", { "mm/a.c": "int a;\nint b;\n" });
});
afterAll(() => repo.remove());

async function check(tty: boolean) {
  let out = "";
  let err = "";
  const sink = (add: (s: string) => void) =>
    new Writable({
      write(chunk: Buffer | string, _enc, cb) {
        add(chunk.toString());
        cb();
      },
    });
  const stderr = Object.assign(sink((s) => (err += s)), { isTTY: tty });
  const code = await main(["check", "--no-config", "--git", "HEAD~1..HEAD", "--repo", repo.dir], { stdin: process.stdin, stdout: sink((s) => (out += s)), stderr, cwd: repo.dir, env: {} });
  return { code, out, err };
}

describe("progress of check --git", () => {
  it("on a terminal: each phase on one rewritten line, cleared at the end", async () => {
    const r = await check(true);
    expect(r.code).toBe(0);
    expect(r.err).toContain("\rcheck: git format-patch HEAD~1..HEAD\x1b[K");
    expect(r.err).toContain("\rcheck: running the rules over 1 commits\x1b[K");
    expect(r.err.endsWith("\r\x1b[K")).toBe(true);
    expect(r.out).toContain("no findings in 1 commit");
  });

  it("to a pipe: nothing", async () => {
    const r = await check(false);
    expect(r.err).toBe("");
  });
});
