// Who in the base tree uses the names a series adds, and how many
// hypervisor conditionals stand in the areas it touches (src/tree/gather.ts):
// one git grep each, with PCRE where git has it and ERE where it does not,
// finding the same either way.
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { chmodSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { LINUX_DEFAULTS } from "../../src/config/defaults.js";
import { parseSeries } from "../../src/patch/series.js";
import { DEFAULT_TREE_BUDGET, gatherTreeFacts } from "../../src/tree/gather.js";
import { TestRepo } from "../history/test-repo.js";
import { renderSeries } from "../rules/rule-tester.js";

// Five names: more than the few that go to git as fixed strings.
const NAMES = ["hook_one", "hook_onex", "hook_two", "other_hook", "last_hook"];

function seriesAdding(names: string[]) {
  const hunk = names.flatMap((n) => [`+void ${n}(void)`, "+{", "+}"]).join("\n");
  const text = renderSeries([{ subject: "x86: Add hooks", body: "Boards need them.", files: [{ path: "arch/x86/kernel/hooks.c", added: true, hunk }] }]);
  return parseSeries([{ name: "t.patch", bytes: Buffer.from(text) }], LINUX_DEFAULTS.limits);
}

let repo: TestRepo;
let base: string;
const users = ["\thook_one();", "\thook_onex();", "\tunhook_two();", "\tp->last_hook = f;", "\tother_hook_x();"];

beforeAll(() => {
  repo = new TestRepo("patchwarden-symbols-");
  base = repo.commit("Add users", "2024-01-01T00:00:00Z", {
    "drivers/a.c": `void f(void)\n{\n${users.join("\n")}\n}\n`,
    "README": "hook_one\n",
    // For the census of arch/x86, the area the series touches: a C file and a
    // Makefile count; the same test outside the area and in a text file in it do not.
    "arch/x86/kernel/setup.c": "void g(void)\n{\n\tif (xen_pv_domain())\n\t\th();\n}\n",
    "arch/x86/Makefile": "ifdef CONFIG_XEN\nobj-y += x.o\nendif\n",
    "arch/x86/notes.txt": "#ifdef CONFIG_XEN\n",
    "drivers/b.c": "void h(void)\n{\n\tif (xen_pv_domain())\n\t\thook_two();\n}\n",
  });
});
afterAll(() => repo.remove());

async function lookup() {
  const facts = await gatherTreeFacts(seriesAdding(NAMES), { repo: repo.dir, commit: base, from: "test" }, LINUX_DEFAULTS);
  const symbols = Object.fromEntries(NAMES.map((n) => [n, facts.symbols.get(n)?.lines.map((l) => `${l.path}:${l.line}`)]));
  return { symbols, census: facts.census?.filter((c) => c.count > 0), notes: facts.notes };
}

const EXPECTED = {
  symbols: {
    hook_one: ["drivers/a.c:3"],
    hook_onex: ["drivers/a.c:4"],
    hook_two: ["drivers/b.c:4"],
    other_hook: [],
    last_hook: ["drivers/a.c:6"],
  },
  census: [{ area: "arch/x86", hypervisor: "xen", count: 2 }],
  notes: [],
};

describe("the symbol lookup", () => {
  it("finds each name's whole-word users in the tree's C files, and the conditionals of the touched area", async () => {
    expect(await lookup()).toEqual(EXPECTED);
  });

  it("with a git that has no PCRE, finds the same with ERE, and asks no more once told", async () => {
    // A git on PATH that fails -P as a git built without PCRE does.
    const bin = path.join(repo.root, "bin");
    const log = path.join(repo.root, "calls.log");
    const realGit = process.env.PATH!.split(":").map((d) => path.join(d, "git")).find((p) => { try { return readFileSync(p).length > 0; } catch { return false; } })!;
    repo.write("../bin/git", `#!/bin/sh\ncase " $* " in *" grep "*" -P "*) echo grep-P >> ${log}; echo "fatal: cannot use Perl-compatible regexes when not compiled with USE_LIBPCRE" >&2; exit 128;; *" grep "*) echo grep >> ${log};; esac\nexec ${realGit} "$@"\n`);
    chmodSync(path.join(bin, "git"), 0o755);
    writeFileSync(log, "");
    const saved = process.env.PATH;
    process.env.PATH = `${bin}:${saved}`;
    const asked = () => readFileSync(log, "utf8").split("\n").filter((l) => l === "grep-P").length;
    try {
      expect(await lookup()).toEqual(EXPECTED);
      // The two greps of the first lookup run side by side: each may ask before the answer is known.
      expect(asked()).toBeGreaterThanOrEqual(1);
      expect(asked()).toBeLessThanOrEqual(2);
      const first = asked();
      expect(await lookup()).toEqual(EXPECTED);
      expect(asked()).toBe(first);
    } finally {
      process.env.PATH = saved;
    }
  });

  it("passes over a name once it has more users than it keeps, and still answers for the names after it in the tree", async () => {
    // hook_one is on 25,000 lines of drivers/a.c, before the others' users
    // in the tree's order. It keeps its first 200 and is passed over after;
    // the others are answered. (Reading stopped at 20,000 lines for all
    // names once, and none of them was answered.)
    const flood = Array.from({ length: 25000 }, () => "\thook_one();").join("\n");
    const crowded = repo.commit("Many users of one", "2024-02-01T00:00:00Z", {
      "drivers/a.c": `void f(void)\n{\n${flood}\n}\n`,
      "drivers/z.c": `void g(void)\n{\n${users.join("\n")}\n}\n`,
    });
    const lookUp = (budget = DEFAULT_TREE_BUDGET) => gatherTreeFacts(seriesAdding(NAMES), { repo: repo.dir, commit: crowded, from: "test" }, LINUX_DEFAULTS, budget);
    const facts = await lookUp();
    const seen = (n: string) => ({ lines: facts.symbols.get(n)?.lines.length, first: facts.symbols.get(n)?.lines[0]?.path, truncated: facts.symbols.get(n)?.truncated });
    expect(Object.fromEntries(NAMES.map((n) => [n, seen(n)]))).toEqual({
      hook_one: { lines: 200, first: "drivers/a.c", truncated: true },
      hook_onex: { lines: 1, first: "drivers/z.c", truncated: false },
      hook_two: { lines: 1, first: "drivers/b.c", truncated: false },
      other_hook: { lines: 0, first: undefined, truncated: false },
      last_hook: { lines: 1, first: "drivers/z.c", truncated: false },
    });
    expect(facts.notes).toEqual([]);
    // Over 25,002 lines name one of them (or hold a census string); with 25,002 read, no name's users are all known.
    const capped = await lookUp({ ...DEFAULT_TREE_BUDGET, maxGrepLines: 25002 });
    expect(NAMES.map((n) => capped.symbols.get(n)?.truncated)).toEqual(NAMES.map(() => true));
    expect(capped.notes).toEqual(["the tree lookup stopped after 25002 lines: the users of the series' symbols are not all known"]);
    // The census, which read with it, reads its own files then: the same count.
    expect(capped.census).toEqual(facts.census);
    expect(facts.census?.filter((c) => c.count > 0)).toEqual([{ area: "arch/x86", hypervisor: "xen", count: 2 }]);
  });
});
