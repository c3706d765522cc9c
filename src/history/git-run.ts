import { execFile, spawn } from "node:child_process";
import { createInterface } from "node:readline";
import { InputError } from "../patch/errors.js";

// How sprawl and census run git: no shell, read-only, paths taken
// literally (no pathspec magic from a PATH argument), output in a form the
// parsers expect whatever the repository's config says.

/**
 * Global options put before every subcommand. Pathspecs are literal, or
 * globs where the caller wrote them (countedPathspecs) from paths it escaped.
 */
function base(repo: string, pathspecs: "literal" | "glob" = "literal"): string[] {
  return ["-C", repo, pathspecs === "glob" ? "--glob-pathspecs" : "--literal-pathspecs", "-c", "core.quotePath=false", "-c", "log.follow=false", "-c", "submodule.recurse=false"];
}

// No pager, no prompts, and no optional lock files: a census must not
// even refresh the index of the tree it reads.
const env = () => ({ ...process.env, GIT_PAGER: "cat", GIT_TERMINAL_PROMPT: "0", GIT_OPTIONAL_LOCKS: "0" });

function failure(repo: string, args: string[], err: NodeJS.ErrnoException | null, stderr: string, code: number | null): InputError {
  if (err?.code === "ENOENT") return new InputError(repo, null, "git is not installed or not on PATH");
  const msg = stderr.trim().split("\n")[0] || err?.message || `exit status ${code}`;
  return new InputError(repo, null, `git ${args[0]} failed: ${msg}`);
}

/** Runs git to completion and returns its output; for outputs of a few MB (tree listings). */
export function gitOutput(repo: string, args: string[], okCodes: number[] = [0], pathspecs: "literal" | "glob" = "literal"): Promise<{ code: number; stdout: Buffer }> {
  return new Promise((resolve, reject) => {
    execFile("git", [...base(repo, pathspecs), ...args], { encoding: "buffer", maxBuffer: 1 << 30, env: env() }, (err, stdout, stderr) => {
      const code = err ? (typeof err.code === "number" ? err.code : null) : 0;
      if (code !== null && okCodes.includes(code)) return resolve({ code, stdout });
      reject(failure(repo, args, err as NodeJS.ErrnoException, Buffer.from(stderr).toString("utf8"), code));
    });
  });
}

/**
 * Streams git's output line by line to `onLine` without holding it: `git
 * log` over a kernel's history prints hundreds of MB.
 */
export function gitLines(repo: string, args: string[], onLine: (line: string) => void): Promise<void> {
  return new Promise((resolve, reject) => {
    // GIT_FLUSH=0: on a pipe git log flushes after every commit, and 17,000
    // tiny reads cost node a second on 120,000 commits; buffered, ~900.
    const child = spawn("git", [...base(repo), ...args], { env: { ...env(), GIT_FLUSH: "0" }, stdio: ["ignore", "pipe", "pipe"] });
    let stderr = "";
    let failed: Error | null = null;
    child.stderr.setEncoding("utf8");
    child.stderr.on("data", (d: string) => {
      if (stderr.length < 4096) stderr += d;
    });
    const rl = createInterface({ input: child.stdout, crlfDelay: Infinity });
    rl.on("line", (line) => {
      if (failed) return;
      try {
        onLine(line);
      } catch (e) {
        failed = e as Error;
        child.kill();
      }
    });
    const lines = new Promise<void>((r) => rl.once("close", r));
    child.once("error", (err) => {
      failed ??= failure(repo, args, err, "", null);
    });
    child.once("close", (code) => {
      void lines.then(() => {
        if (failed) reject(failed);
        else if (code !== 0) reject(failure(repo, args, null, stderr, code));
        else resolve();
      });
    });
  });
}
