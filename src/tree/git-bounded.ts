import { spawn } from "node:child_process";

// Runs git read-only over a repository's objects and gives back its output
// lines, stopping it at a deadline or a line cap: a lookup for one series
// must never hold a review, or the command line, for long.

export interface BoundedResult {
  lines: string[];
  /** Lines read, kept or not. */
  read: number;
  /** Stopped before git finished: by the deadline or the line cap. */
  stopped: "deadline" | "lines" | null;
  /** git exited with a status other than 0 or 1 (1: grep found nothing). */
  failed: string | null;
}

export interface BoundedOptions {
  deadline: number;
  maxLines: number;
  separator?: string;
  /** Pathspecs are globs (`git --glob-pathspecs`): ours, or paths escaped for it. Else literal. */
  globs?: boolean;
  /** Called on each line read (kept, unless `retain` is false); true ends the read there, as a finished one (the caller has what it needs). */
  enough?: (line: string) => boolean;
  /** False: lines go to `enough` only, none is kept, and the line cap counts none (the caller keeps what it needs). */
  retain?: boolean;
}

export function gitBounded(repo: string, args: string[], options: BoundedOptions): Promise<BoundedResult> {
  return new Promise((resolve) => {
    const lines: string[] = [];
    const retain = options.retain ?? true;
    let read = 0;
    let stopped: BoundedResult["stopped"] = null;
    let rest = "";
    let stderr = "";
    const sep = options.separator ?? "\n";
    // Paths from a patch are taken literally unless the caller escaped them.
    const pathspecs = options.globs ? ["--glob-pathspecs"] : ["--literal-pathspecs"];
    const child = spawn("git", ["-C", repo, ...pathspecs, "-c", "core.quotePath=false", ...args], {
      // No lazy fetch from a promisor remote, no lock files, no pager, no prompt.
      env: { ...process.env, GIT_NO_LAZY_FETCH: "1", GIT_OPTIONAL_LOCKS: "0", GIT_PAGER: "cat", GIT_TERMINAL_PROMPT: "0" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let done = false;
    const stop = (why: "deadline" | "lines") => {
      if (stopped || done) return;
      stopped = why;
      child.kill("SIGKILL");
    };
    const timer = setTimeout(() => stop("deadline"), Math.max(0, options.deadline - Date.now()));
    child.stdout.setEncoding("utf8");
    child.stdout.on("data", (chunk: string) => {
      if (stopped || done) return;
      const parts = (rest + chunk).split(sep);
      rest = parts.pop()!;
      for (const p of parts) {
        if (retain && lines.length >= options.maxLines) return stop("lines");
        read++;
        if (retain) lines.push(p);
        if (options.enough?.(p)) {
          done = true;
          rest = "";
          child.kill("SIGKILL");
          return;
        }
      }
    });
    child.stderr.setEncoding("utf8");
    child.stderr.on("data", (d: string) => {
      if (stderr.length < 2048) stderr += d;
    });
    child.once("error", (err: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      resolve({ lines, read, stopped, failed: err.code === "ENOENT" ? "git is not installed or not on PATH" : err.message });
    });
    child.once("close", (code) => {
      clearTimeout(timer);
      // A last line without a separator: git grep -z and ls-tree -z end with one, git log may not.
      if (!stopped && !done && rest !== "" && (!retain || lines.length < options.maxLines)) {
        read++;
        if (retain) lines.push(rest);
        options.enough?.(rest);
      }
      const failed = stopped || done || code === 0 || code === 1 ? null : stderr.trim().split("\n")[0] || `git ${args[0]} exited with ${code}`;
      resolve({ lines, read, stopped, failed });
    });
  });
}
