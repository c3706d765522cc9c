// Every configuration example in the README and the rule pages is valid
// configuration: documentation that a user copies must not be rejected.
import { describe, expect, it } from "@jest/globals";
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { parseConfigText } from "../src/config/load.js";

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), "..");
const pages = ["README.md", ...readdirSync(path.join(root, "rules")).filter((f) => f.endsWith(".md")).map((f) => `rules/${f}`)];

describe("configuration examples in the docs", () => {
  const blocks = pages.flatMap((page) =>
    [...readFileSync(path.join(root, page), "utf8").matchAll(/```yaml\n([\s\S]*?)```/g)].map((m, i) => [`${page} #${i + 1}`, m[1]!] as const),
  );

  it("there are some", () => {
    expect(blocks.length).toBeGreaterThanOrEqual(5);
  });

  it.each(blocks)("%s is valid", (_name, yaml) => {
    expect(() => parseConfigText(yaml, "doc")).not.toThrow();
  });
});
