// The man page and shell completions come from the usage texts --help prints.
import { describe, expect, it } from "@jest/globals";
import { spawnSync } from "node:child_process";
import { readFileSync, writeFileSync, mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";

const root = path.resolve(import.meta.dirname ?? path.dirname(new URL(import.meta.url).pathname), "../..");
const bin = path.join(root, "bin/patchwarden.js");
const run = (args: string[]) => spawnSync(process.execPath, [bin, ...args], { cwd: root, encoding: "utf8" });

describe("man page", () => {
  it("the packaged man/patchwarden.1 is what help --man generates", () => {
    const r = run(["help", "--man"]);
    expect(r.status).toBe(0);
    expect(readFileSync(path.join(root, "man/patchwarden.1"), "utf8")).toBe(r.stdout);
  });

  it("holds every command's usage, and groff reads it without a warning", () => {
    const page = run(["help", "--man"]).stdout;
    for (const cmd of ["check", "stats", "sprawl", "census", "rules", "config"]) expect(page).toContain(`.SS ${cmd}`);
    expect(page).toContain("\\-\\-write\\-baseline FILE");
    const groff = spawnSync("groff", ["-man", "-Tutf8", "-ww", "-z"], { input: page, encoding: "utf8" });
    if (groff.error) return; // groff is not everywhere; the text checks above still ran
    expect(groff.stderr).toBe("");
  });
});

describe("completion", () => {
  it("bash completes commands, each command's options, and their values", () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), "patchwarden-completion-"));
    try {
      const script = path.join(dir, "pw.bash");
      writeFileSync(script, run(["completion", "bash"]).stdout);
      const complete = (...words: string[]) =>
        spawnSync("bash", ["-c", `source ${script}; COMP_WORDS=(${words.map((w) => `'${w}'`).join(" ")}); COMP_CWORD=${words.length - 1}; _patchwarden; echo "\${COMPREPLY[*]}"`], { encoding: "utf8" }).stdout.trim();
      expect(complete("patchwarden", "ce")).toBe("census");
      expect(complete("patchwarden", "check", "--write")).toBe("--write-baseline");
      expect(complete("patchwarden", "check", "--format", "")).toBe("text json sarif");
      expect(complete("patchwarden", "sprawl", "--un")).toBe("--until");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("zsh gets a #compdef script with the same options; another shell is a usage error", () => {
    const z = run(["completion", "zsh"]).stdout;
    expect(z.startsWith("#compdef patchwarden")).toBe(true);
    expect(z).toContain("'--fail-on'");
    expect(z).toContain("'--format:value:(text json csv svg html)'");
    const fish = run(["completion", "fish"]);
    expect(fish.status).toBe(2);
    expect(fish.stderr).toContain('completion takes bash or zsh, not "fish"');
  });
});
