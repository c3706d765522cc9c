// The symbol lookup's one expression for many names (src/tree/word-trie.ts):
// it must find exactly the lines where one of the names stands as a whole
// word, in both of git's dialects it is written for.
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { execFileSync } from "node:child_process";
import { chmodSync } from "node:fs";
import path from "node:path";
import fc from "fast-check";
import { grepFiles } from "../../src/census/git-tree.js";
import { withPcreFallback, wordPatterns, wordTrie } from "../../src/tree/word-trie.js";
import { TestRepo } from "../history/test-repo.js";

const hasWord = (line: string, words: string[]) => words.some((w) => new RegExp(`(^|\\W)${w}(\\W|$)`).test(line));
// Few letters, so that words share starts and one word is often the start of another.
const word = fc.stringMatching(/^[ab_][ab1_]{0,5}$/);
const line = fc.array(fc.constantFrom("a", "b", "_", "1", " ", "(", "->", "ab", "ba_"), { maxLength: 12 }).map((parts) => parts.join(""));

describe("wordTrie", () => {
  it("builds a trie, not a list", () => {
    expect(wordTrie(["read", "readl", "readw", "write"], "(?:")).toBe("(?:read(?:l|w)?|write)");
    expect(wordTrie(["ab", "ab"], "(")).toBe("(ab)");
  });

  it.each(["(?:", "("] as const)("with %s groups, matches a line exactly when a word stands in it whole", (open) => {
    fc.assert(
      fc.property(fc.uniqueArray(word, { minLength: 1, maxLength: 8 }), line, (words, text) => {
        const re = new RegExp(`\\b${wordTrie(words, open)}\\b`);
        expect(re.test(text)).toBe(hasWord(text, words));
      }),
      { numRuns: 2000 },
    );
  });

  it("refuses what is not a plain word (nothing is escaped)", () => {
    expect(() => wordTrie(["a|b"], "(")).toThrow("not a plain word");
    expect(() => wordTrie([""], "(")).toThrow("not a plain word");
  });
});

describe("wordTrie with git grep", () => {
  let repo: TestRepo;
  const text = ["read(x);", "readl(y);", "unread(z);", "a->readw = 1;", "write_it();", "write();", "nothing here"];
  beforeAll(() => {
    repo = new TestRepo("patchwarden-word-trie-");
    repo.commit("Add a file", "2024-01-01T00:00:00Z", { "a.c": `${text.join("\n")}\n` });
  });
  afterAll(() => repo.remove());
  const grep = (args: string[]) => {
    try {
      return execFileSync("git", ["grep", "-h", ...args, "HEAD", "--", "*.c"], { cwd: repo.dir, encoding: "utf8" }).trimEnd().split("\n");
    } catch (err) {
      if ((err as { status?: number }).status === 1) return [];
      throw err;
    }
  };
  const words = ["read", "readw", "write"];
  const expected = ["read(x);", "a->readw = 1;", "write();"];

  it("ERE with -w finds the lines of whole words", () => {
    expect(grep(["-w", "-E", "-e", wordTrie(words, "(")])).toEqual(expected);
  });

  it("PCRE with word boundaries finds the same lines, where git has PCRE", () => {
    let pcre = true;
    try {
      execFileSync("git", ["grep", "-P", "-e", "x", "HEAD"], { cwd: repo.dir, stdio: "ignore" });
    } catch (err) {
      pcre = (err as { status?: number }).status === 1;
    }
    if (!pcre) return console.warn("git has no PCRE here: the -P form is not checked");
    expect(grep(["-P", "-e", `\\b${wordTrie(words, "(?:")}\\b`])).toEqual(expected);
  });
});

describe("wordPatterns", () => {
  it("a few words, or any that is not a plain word, go as fixed strings", () => {
    expect(wordPatterns(["a", "b"], "whole", true)).toEqual(["-w", "-F", "-e", "a", "-e", "b"]);
    expect(wordPatterns(["a-b", "c", "d", "e", "f"], "anywhere", true)).toEqual(["-F", "-e", "a-b", "-e", "c", "-e", "d", "-e", "e", "-e", "f"]);
  });

  it("more go as the trie: PCRE with word edges, or ERE with -w", () => {
    const words = ["read", "readl", "write", "open", "close"];
    expect(wordPatterns(words, "whole", true)).toEqual(["-P", "-e", "\\b(?:read(?:l)?|write|open|close)\\b"]);
    expect(wordPatterns(words, "whole", false)).toEqual(["-w", "-E", "-e", "(read(l)?|write|open|close)"]);
    expect(wordPatterns(words, "anywhere", true)).toEqual(["-P", "-e", "(?:read(?:l)?|write|open|close)"]);
  });
});

describe("a git without PCRE", () => {
  let repo: TestRepo;
  beforeAll(() => {
    repo = new TestRepo("patchwarden-no-pcre-");
    repo.commit("Add files", "2024-01-01T00:00:00Z", { "a/x.c": "if (xen_pv_domain())\n", "a/y.c": "int CONFIG_XENBUS_X;\n", "a/z.c": "nothing\n", "b/w.c": "xen_pv_domain\n" });
  });
  afterAll(() => repo.remove());

  /** The PCRE flag of each run withPcreFallback makes, each run failing with `said`. */
  const runsWhen = async (said: string | null) => {
    const runs: boolean[] = [];
    await withPcreFallback(async (pcre) => void runs.push(pcre), () => said);
    return runs;
  };

  it("is not taken for one when an unreadable blob's path names perl", async () => {
    expect(await runsWhen("error: 'abc:tools/perf/scripts/perl/x.pl': unable to read 0123")).toEqual([true]);
    expect(await runsWhen(null)).toEqual([true]);
  });

  it("the census finds the same files with ERE, once git said so", async () => {
    const strings = ["xen_pv_domain", "CONFIG_XEN", "kvm_para_available", "hv_is_isolation_supported", "X86_FEATURE_XENPV"];
    const commit = repo.git(["rev-parse", "HEAD"]);
    const withPcre = await grepFiles(repo.dir, commit, strings, ["a"]);
    expect([...withPcre].sort()).toEqual(["a/x.c", "a/y.c"]);
    const bin = path.join(repo.root, "bin");
    repo.write("../bin/git", `#!/bin/sh\ncase " $* " in *" grep "*" -P "*) echo "fatal: cannot use Perl-compatible regexes when not compiled with USE_LIBPCRE" >&2; exit 128;; esac\nexec ${execFileSync("sh", ["-c", "command -v git"], { encoding: "utf8" }).trim()} "$@"\n`);
    chmodSync(path.join(bin, "git"), 0o755);
    const saved = process.env.PATH;
    process.env.PATH = `${bin}:${saved}`;
    try {
      expect([...(await grepFiles(repo.dir, commit, strings, ["a"]))].sort()).toEqual(["a/x.c", "a/y.c"]);
      expect(await runsWhen(null)).toEqual([false]);
    } finally {
      process.env.PATH = saved;
    }
  });
});
