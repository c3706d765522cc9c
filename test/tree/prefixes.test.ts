// The subject prefixes the touched files' history uses (src/tree/gather.ts):
// a few paths are given to git as pathspecs, many are picked from the whole
// history read once. Both must count the same commits, and stop after the
// same number of them.
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { LINUX_DEFAULTS } from "../../src/config/defaults.js";
import { parseSeries } from "../../src/patch/series.js";
import { DEFAULT_TREE_BUDGET, gatherTreeFacts } from "../../src/tree/gather.js";
import { TestRepo } from "../history/test-repo.js";

const FILES = Array.from({ length: 24 }, (_v, k) => `drivers/foo/f${k}.c`);
const signed = "\n\nSigned-off-by: Test Runner <runner@example.org>";

let repo: TestRepo;
let base: string;

beforeAll(() => {
  repo = new TestRepo("patchwarden-prefixes-");
  const all: Record<string, string> = Object.fromEntries(FILES.map((f) => [f, "int x;\n"]));
  repo.commit(`foo: Add the driver${signed}`, "2024-01-01T00:00:00Z", { ...all, "net/core.c": "int y;\n" });
  // Three commits with the driver's newer prefix, each touching every file; one to net only.
  for (let k = 1; k <= 3; k++) {
    repo.commit(`drivers/foo: Rework ${k}${signed}`, `2024-01-0${k + 1}T00:00:00Z`, Object.fromEntries(FILES.map((f) => [f, `int x${k};\n`])));
  }
  base = repo.commit(`net: Tidy${signed}`, "2024-01-06T00:00:00Z", { "net/core.c": "int z;\n" });
});
afterAll(() => repo.remove());

/** A series of one commit with no subject prefix (so prefixes are looked up) touching `files`, one new file among them. */
function seriesTouching(files: string[]) {
  const diffs = files.map((f) => `diff --git a/${f} b/${f}\nindex 1111111..2222222 100644\n--- a/${f}\n+++ b/${f}\n@@ -1 +1 @@\n-int x3;\n+int w;\n`).join("");
  const added = "diff --git a/drivers/foo/new.c b/drivers/foo/new.c\nnew file mode 100644\nindex 0000000..3333333\n--- /dev/null\n+++ b/drivers/foo/new.c\n@@ -0,0 +1 @@\n+int n;\n";
  const text = `From 1234567890123456789012345678901234567890 Mon Sep 17 00:00:00 2001\nFrom: A <a@example.org>\nDate: Mon, 1 Jan 2024 00:00:00 +0000\nSubject: [PATCH] Change the files\n\nThey needed it.${signed}\n---\n${diffs}${added}-- \n2.40.0\n`;
  return parseSeries([{ name: "t.patch", bytes: Buffer.from(text) }], LINUX_DEFAULTS.limits);
}

async function prefixes(files: string[], maxLogCommits = DEFAULT_TREE_BUDGET.maxLogCommits) {
  const facts = await gatherTreeFacts(seriesTouching(files), { repo: repo.dir, commit: base, from: "test" }, LINUX_DEFAULTS, { ...DEFAULT_TREE_BUDGET, maxLogCommits });
  return facts.prefixes;
}

describe("prefixes of the touched files' history", () => {
  it("a few paths (git's pathspecs) and many (one read of the history) count the same commits", async () => {
    const few = await prefixes(FILES.slice(0, 3));
    const many = await prefixes(FILES);
    const expected = [{ prefix: "drivers/foo", commits: 3 }, { prefix: "foo", commits: 1 }];
    expect(few.get("drivers/foo/f0.c")).toEqual(expected);
    expect(many.get("drivers/foo/f0.c")).toEqual(expected);
    expect(many.get("drivers/foo/f23.c")).toEqual(expected);
    // The new file: its directory's history speaks for it, in both ways.
    expect(few.get("drivers/foo/new.c")).toEqual(expected);
    expect(many.get("drivers/foo/new.c")).toEqual(expected);
    // net/core.c is not touched: its history is not asked for.
    expect(many.has("net/core.c")).toBe(false);
  });

  it("both stop after the latest maxLogCommits commits that touch the paths", async () => {
    const latestTwo = [{ prefix: "drivers/foo", commits: 2 }];
    expect((await prefixes(FILES.slice(0, 3), 2)).get("drivers/foo/f1.c")).toEqual(latestTwo);
    expect((await prefixes(FILES, 2)).get("drivers/foo/f1.c")).toEqual(latestTwo);
  });
});
