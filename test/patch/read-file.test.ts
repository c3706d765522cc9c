// Patch files are read in one go and never past the input limit: a regular
// file over it is refused on its size, a pipe is read up to it.
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { execFileSync, spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { InputError } from "../../src/patch/errors.js";
import { readInputFile } from "../../src/patch/read-file.js";

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), "patchwarden-read-"));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const read = (name: string, max: number) => readInputFile(name, path.join(dir, name), max);
const refusal = (name: string, max: number) => {
  try {
    read(name, max);
  } catch (err) {
    expect(err).toBeInstanceOf(InputError);
    return (err as Error).message;
  }
  throw new Error("read");
};

describe("readInputFile", () => {
  it("reads a file whole, up to exactly the limit, larger than one chunk", () => {
    const text = "x".repeat(200_000);
    writeFileSync(path.join(dir, "big.patch"), text);
    expect(read("big.patch", 200_000).toString()).toBe(text);
    writeFileSync(path.join(dir, "empty.patch"), "");
    expect(read("empty.patch", 10).length).toBe(0);
  });

  it("refuses a file over the limit by its size, naming both", () => {
    writeFileSync(path.join(dir, "over.patch"), "x".repeat(101));
    expect(refusal("over.patch", 100)).toContain("input is 101 bytes, over the limit of 100");
  });

  it("says what is wrong with a missing file and a directory", () => {
    expect(refusal("missing.patch", 100)).toContain("no such file");
    mkdirSync(path.join(dir, "a-dir"));
    expect(refusal("a-dir", 100)).toContain("is a directory");
  });

  it("reads a pipe to its end, and stops one that goes past the limit", async () => {
    for (const [name, bytes, max] of [["small.fifo", 70_000, 100_000], ["flood.fifo", 300_000, 100_000]] as const) {
      const fifo = path.join(dir, name);
      execFileSync("mkfifo", [fifo]);
      // The writer is its own process: the read below blocks this one.
      const writer = spawn("sh", ["-c", `head -c ${bytes} /dev/zero > '${fifo}'`], { stdio: "ignore" });
      const exited = new Promise((resolve) => writer.once("exit", resolve));
      if (bytes <= max) expect(read(name, max).length).toBe(bytes);
      else expect(refusal(name, max)).toContain("over the limit of 100000 bytes");
      writer.kill();
      await exited;
    }
  });
});
