// A throwaway git repository for the sprawl and census tests. Identity and
// config come from -c and the environment of each call; no global or system
// config is read or changed.
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { Writable } from "node:stream";
import type { CliIo } from "../../src/cli/main.js";

const ISOLATE = { GIT_CONFIG_GLOBAL: "/dev/null", GIT_CONFIG_NOSYSTEM: "1" } as const;

export class TestRepo {
  readonly root: string;
  readonly dir: string;
  private saved: Record<string, string | undefined> = {};

  constructor(prefix: string) {
    // The commands under test pass the process environment on to git.
    for (const [k, v] of Object.entries(ISOLATE)) {
      this.saved[k] = process.env[k];
      process.env[k] = v;
    }
    this.root = mkdtempSync(path.join(tmpdir(), prefix));
    this.dir = path.join(this.root, "repo");
    mkdirSync(this.dir);
    this.git(["init", "-q", "-b", "main"]);
  }

  git(args: string[], env: Record<string, string> = {}): string {
    return execFileSync("git", ["-C", this.dir, "-c", "user.name=Test Runner", "-c", "user.email=runner@example.org", "-c", "commit.gpgsign=false", ...args], {
      encoding: "utf8",
      env: { ...process.env, ...ISOLATE, ...env },
    }).trim();
  }

  write(rel: string, content: string): void {
    const p = path.join(this.dir, rel);
    mkdirSync(path.dirname(p), { recursive: true });
    writeFileSync(p, content);
  }

  /** Writes `files` (a path mapped to null is removed), commits them all on `date`, returns the hash. */
  commit(message: string, date: string, files: Record<string, string | null>): string {
    for (const [rel, content] of Object.entries(files)) {
      if (content === null) this.git(["rm", "-q", "--", rel]);
      else this.write(rel, content);
    }
    this.git(["add", "-A"]);
    this.git(["commit", "-q", "--allow-empty", "-m", message], { GIT_AUTHOR_DATE: date, GIT_COMMITTER_DATE: date });
    return this.git(["rev-parse", "HEAD"]);
  }

  remove(): void {
    rmSync(this.root, { recursive: true, force: true });
    for (const [k, v] of Object.entries(this.saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  }
}

export interface CapturedIo extends CliIo {
  out(): string;
  err(): string;
}

export function captureIo(cwd: string): CapturedIo {
  let out = "";
  let err = "";
  const sink = (add: (s: string) => void) =>
    new Writable({
      write(chunk: Buffer | string, _enc, cb) {
        add(chunk.toString());
        cb();
      },
    });
  return {
    stdin: process.stdin,
    stdout: sink((s) => (out += s)),
    stderr: sink((s) => (err += s)),
    cwd,
    env: process.env,
    out: () => out,
    err: () => err,
  };
}
