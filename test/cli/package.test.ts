// What `npm pack` ships must be enough to run the binary once installed:
// bin/ imports dist/, `rules ID` and --verbose read the rule pages beside it.
// (A full `npm install -g` of the tarball is a minute of native builds; it
// was run by hand, see the README's "Install".)
import { describe, expect, it } from "@jest/globals";
import { execFileSync } from "node:child_process";
import { readFileSync, readdirSync } from "node:fs";
import path from "node:path";

const root = path.resolve(import.meta.dirname ?? path.dirname(new URL(import.meta.url).pathname), "../..");

function packedFiles(): Set<string> {
  const out = execFileSync("npm", ["pack", "--dry-run", "--json", "--ignore-scripts"], { cwd: root, encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] });
  const [pack] = JSON.parse(out) as { files: { path: string }[] }[];
  return new Set(pack!.files.map((f) => f.path));
}

describe("the npm package", () => {
  const files = packedFiles();

  it("ships the binary, what it imports, and the rule pages", () => {
    const binText = readFileSync(path.join(root, "bin/patchwarden.js"), "utf8");
    // bin/ loads the bundle (its entry for `rules`, which reads rule-metas.json beside it, or the main one), or tsc's output when no bundle was built: all are shipped.
    const imports = [...binText.matchAll(/"(\.\.\/dist\/[^"]+)"/g)].map((m) => path.posix.normalize(path.posix.join("bin", m[1]!)));
    expect(imports).toEqual(["dist/cli/patchwarden-rules.mjs", "dist/cli/patchwarden.mjs", "dist/src/cli/main.js"]);
    for (const f of ["bin/patchwarden.js", ...imports, "dist/cli/rule-metas.json", "dist/src/cli/explain.js", "dist/rules/index.js", "LICENSE", "README.md", "examples/patchwarden.u-boot.yml"]) expect(files).toContain(f);
    for (const page of readdirSync(path.join(root, "rules")).filter((f) => f.endsWith(".md"))) expect(files).toContain(`rules/${page}`);
  });

  it("ships no tests, sources or scripts", () => {
    for (const f of files) expect(f).not.toMatch(/^(test|src|scripts|dist\/scripts|dist\/test)\//);
  });

  it("names its license and its Node versions", () => {
    const pkg = JSON.parse(readFileSync(path.join(root, "package.json"), "utf8")) as { license: string; engines: { node: string }; scripts: Record<string, string> };
    expect(pkg.license).toBe("MIT");
    expect(readFileSync(path.join(root, "LICENSE"), "utf8")).toMatch(/^MIT License/);
    expect(pkg.engines.node).toBe(">=20.18.1");
    expect(pkg.scripts.prepack).toContain("tsc");
  });
});
