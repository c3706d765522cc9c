import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { rmSync } from "node:fs";
import path from "node:path";
import { main } from "../../src/cli/main.js";
import { captureIo, TestRepo } from "../history/test-repo.js";

// A small history: two ordinary commits, one on a side branch merged back
// (the merge itself is no patch, and is left out as format-patch leaves it).
let repo: TestRepo;
const h: Record<string, string> = {};

beforeAll(() => {
  repo = new TestRepo("patchwarden-stats-");
  h.base = repo.commit("init", "2020-01-01T00:00:00Z", { "mm/a.c": "int a;\n" });
  h.c1 = repo.commit(
    "mm/a: Initialise b before use\n\nb was read before it was set when the cache was cold, and the\nlookup returned garbage to the caller.\n\nSigned-off-by: Test Runner <runner@example.org>",
    "2021-01-01T00:00:00Z",
    { "mm/a.c": "int a;\nint b = 0;\n" },
  );
  repo.git(["checkout", "-q", "-b", "side"]);
  h.c2 = repo.commit("tweak", "2021-02-01T00:00:00Z", { "kernel/b.c": "int c;\n" });
  repo.git(["checkout", "-q", "main"]);
  h.c3 = repo.commit("mm: more\n\nSigned-off-by: Test Runner <runner@example.org>", "2021-03-01T00:00:00Z", { "mm/c.c": "int d;\n" });
  repo.git(["merge", "-q", "--no-ff", "-m", "Merge branch side", "side"], { GIT_AUTHOR_DATE: "2021-04-01T00:00:00Z", GIT_COMMITTER_DATE: "2021-04-01T00:00:00Z" });
  h.merge = repo.git(["rev-parse", "HEAD"]);
});
afterAll(() => repo.remove());

async function run(args: string[]) {
  const io = captureIo(repo.dir);
  const status = await main(args, io);
  return { status, out: io.out(), err: io.err() };
}

interface Json {
  series: { input: string; findings: { commit: string | null }[] }[];
  rules: Record<string, { commits: number; findings: number }>;
}

describe("patchwarden stats --git", () => {
  it("checks each commit of the range on its own, oldest first, merges left out, named by sha", async () => {
    const r = await run(["stats", "--format", "json", "--git", `${h.base}..HEAD`]);
    expect(r.status).toBe(0);
    const json = JSON.parse(r.out) as Json;
    expect(json.series.map((s) => s.input).sort()).toEqual([h.c1, h.c2, h.c3].sort());
    expect(json.series[0]!.input).toBe(h.c1);
    // Each commit's findings are exactly what `check --git <sha>` says of it.
    for (const s of json.series) {
      const one = await run(["check", "--format", "json", "--git", s.input]);
      expect(s.findings).toEqual((JSON.parse(one.out) as { findings: unknown[] }).findings);
      for (const f of s.findings) expect(f.commit).toBe(s.input);
    }
    // The subject-only, unsigned commit is noisy whatever the rules' wording.
    expect(json.series.find((s) => s.input === h.c2)!.findings.length).toBeGreaterThan(0);
  });

  it("a limit the whole range passes but each commit keeps changes nothing: each commit is read on its own", async () => {
    const whole = await run(["stats", "--format", "json", "--git", `${h.base}..HEAD`]);
    const size = (rev: string) => Buffer.byteLength(repo.git(["format-patch", "--stdout", rev]));
    const limit = Math.max(...[h.c1!, h.c2!, h.c3!].map((c) => size(`${c}^!`))) + 10;
    expect(size(`${h.base}..HEAD`)).toBeGreaterThan(limit);
    repo.write("../small.yml", `limits: { maxInputBytes: ${limit} }\n`);
    const apart = await run(["stats", "--format", "json", "--config", "../small.yml", "--git", `${h.base}..HEAD`]);
    expect(apart.err).toBe("");
    expect(apart.out).toBe(whole.out);
  });

  it("a commit longer than the input limit is unreadable, and the others are checked", async () => {
    const big = new TestRepo("patchwarden-stats-big-");
    try {
      const signed = "\n\nThe lookup returned garbage to the caller.\n\nSigned-off-by: Test Runner <runner@example.org>";
      const base = big.commit("init", "2020-01-01T00:00:00Z", { "mm/a.c": "int a;\n" });
      const c1 = big.commit(`mm/a: One${signed}`, "2021-01-01T00:00:00Z", { "mm/a.c": "int a1;\n" });
      const c2 = big.commit(`mm/b: Two${signed}`, "2021-01-02T00:00:00Z", { "mm/b.c": "int b;\n".repeat(2000) });
      const c3 = big.commit(`mm/a: Three${signed}`, "2021-01-03T00:00:00Z", { "mm/a.c": "int a3;\n" });
      big.write("../cut.yml", "limits: { maxInputBytes: 4000 }\n");
      const io = captureIo(big.dir);
      expect(await main(["stats", "--format", "json", "--config", "../cut.yml", "--git", `${base}..HEAD`], io)).toBe(0);
      expect(io.err()).toMatch(new RegExp(`git ${c2}: input is \\d+ bytes, over the limit of 4000`));
      expect((JSON.parse(io.out()) as Json).series.map((s) => s.input)).toEqual([c1, c3]);
    } finally {
      big.remove();
    }
  });

  it("a commit git cannot show (an object missing) is named, and the range goes on after it", async () => {
    const broken = new TestRepo("patchwarden-stats-broken-");
    try {
      const signed = "\n\nThe lookup returned garbage to the caller.\n\nSigned-off-by: Test Runner <runner@example.org>";
      const base = broken.commit("init", "2020-01-01T00:00:00Z", { "mm/a.c": "int a;\n" });
      const c1 = broken.commit(`mm/a: One${signed}`, "2021-01-01T00:00:00Z", { "mm/a.c": "int a1;\n" });
      const c2 = broken.commit(`mm/x: Two${signed}`, "2021-01-02T00:00:00Z", { "mm/x.c": "int lost_for_good;\n" });
      const c3 = broken.commit(`mm/a: Three${signed}`, "2021-01-03T00:00:00Z", { "mm/a.c": "int a3;\n" });
      const c4 = broken.commit(`mm/a: Four${signed}`, "2021-01-04T00:00:00Z", { "mm/a.c": "int a4;\n" });
      const blob = broken.git(["rev-parse", `${c2}:mm/x.c`]).trim();
      rmSync(path.join(broken.dir, ".git", "objects", blob.slice(0, 2), blob.slice(2)));
      const io = captureIo(broken.dir);
      expect(await main(["stats", "--format", "json", "--git", `${base}..HEAD`], io)).toBe(0);
      expect(io.err()).toContain(`git ${c2}: git format-patch failed`);
      expect((JSON.parse(io.out()) as Json).series.map((s) => s.input)).toEqual([c1, c3, c4]);
    } finally {
      broken.remove();
    }
  });

  it("reads the range from --repo, and one revision as that one commit", async () => {
    const io = captureIo("/");
    expect(await main(["stats", "--repo", repo.dir, "--git", h.c2!], io)).toBe(0);
    expect(io.out().split("\n")[0]).toBe("1 commit checked, each as its own series (1 input)");
  });

  it("reports a merge named alone as unreadable, and exits 2 with nothing to count", async () => {
    const r = await run(["stats", "--git", h.merge!]);
    expect(r.status).toBe(2);
    expect(r.err).toContain("merges are skipped");
  });

  it("fails cleanly on a range git does not know", async () => {
    const r = await run(["stats", "--git", "nosuch..HEAD"]);
    expect(r.status).toBe(2);
    expect(r.err).toMatch(/^patchwarden: .*git rev-list failed/m);
  });
});
