// The symbol lookup's one expression for many names (src/tree/word-trie.ts):
// it must find exactly the lines where one of the names stands as a whole
// word, in both of git's dialects it is written for.
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { execFileSync } from "node:child_process";
import fc from "fast-check";
import { wordTrie } from "../../src/tree/word-trie.js";
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
