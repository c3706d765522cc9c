import { execFile, spawn } from "node:child_process";
import { PassThrough, pipeline } from "node:stream";
import { FormatPatchCutter, type CutCommit } from "./format-patch-cut.js";
import { InputError, UsageError } from "./errors.js";
import type { PatchInput } from "./series.js";

/**
 * Reads a range of a local repository as `git format-patch` text, whole
 * (see formatPatchArgs). The range goes after `--end-of-options` so it can
 * never be taken for an option.
 */
export function readGitRange(range: string, repoDir: string, maxBytes: number): Promise<PatchInput> {
  if (range.trim() === "") return Promise.reject(new UsageError("--git needs a range, e.g. --git origin/master..HEAD"));
  const args = formatPatchArgs(range, repoDir);
  const name = `git ${range}`;
  return new Promise((resolve, reject) => {
    execFile(
      "git",
      args,
      { encoding: "buffer", maxBuffer: maxBytes, env: GIT_ENV, timeout: GIT_TIMEOUT_MS },
      (err, stdout, stderr) => {
        if (err) {
          const code = (err as NodeJS.ErrnoException).code;
          if (code === "ENOENT") return reject(new InputError(name, null, "git is not installed or not on PATH"));
          if (code === "ERR_CHILD_PROCESS_STDIO_MAXBUFFER") return reject(new InputError(name, null, `the range produces more than ${maxBytes} bytes of patches`));
          const msg = Buffer.from(stderr).toString("utf8").trim().split("\n")[0] || err.message;
          return reject(new InputError(name, null, `git format-patch failed: ${msg}`));
        }
        if (stdout.length === 0) return reject(new InputError(name, null, "the range contains no commits (merges are skipped)"));
        resolve({ name, bytes: stdout });
      },
    );
  });
}

const GIT_ENV = { ...process.env, GIT_PAGER: "cat", GIT_TERMINAL_PROMPT: "0" };
const GIT_TIMEOUT_MS = 120_000;
/**
 * How far git may write ahead of the parse. Read as the pipe delivers it
 * (64 KB), git stopped on every long commit until its parse was done, and
 * the two took turns; with room ahead, git's work overlaps the parse.
 */
const READ_AHEAD_BYTES = 8 * 1024 * 1024;

export interface StreamOptions {
  /** Commits left out with their ancestors (`^X`), for a range resumed after X. */
  exclude?: string[];
  /**
   * The range's commits, for the cut (see format-patch-cut.ts); null takes
   * any header. While a promise of them is pending, git already writes
   * (into the read-ahead): its rev-list need not finish first.
   */
  expected: ReadonlySet<string> | null | Promise<ReadonlySet<string> | null>;
  /** All the output together may not be longer (a series is held whole): an InputError past it. */
  maxTotalBytes: number;
  /** Longer commits come with `bytes: null` (each checked alone: the others go on). */
  maxCommitBytes: number;
}

/**
 * The range's commits one by one as `git format-patch` writes them, read
 * with the same read-only command as readGitRange: parsed while git still
 * works, and never the whole output in memory at once. Reading pauses while
 * the consumer works (git waits on the pipe), so memory stays at what the
 * consumer keeps.
 */
export async function* streamGitRange(range: string, repoDir: string, options: StreamOptions): AsyncGenerator<CutCommit> {
  if (range.trim() === "") throw new UsageError("--git needs a range, e.g. --git origin/master..HEAD");
  const name = `git ${range}`;
  const child = spawn("git", [...formatPatchArgs(range, repoDir), ...(options.exclude ?? []).map((sha) => `^${sha}`)], { env: GIT_ENV, stdio: ["ignore", "pipe", "pipe"] });
  let stderr = "";
  child.stderr.setEncoding("utf8");
  child.stderr.on("data", (d: string) => {
    if (stderr.length < 4096) stderr += d;
  });
  const exited = new Promise<{ code: number | null; error?: NodeJS.ErrnoException }>((resolve) => {
    child.once("error", (error: NodeJS.ErrnoException) => resolve({ code: null, error }));
    child.once("close", (code) => resolve({ code }));
  });
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    child.kill("SIGKILL");
  }, GIT_TIMEOUT_MS);
  // Set up before anything is awaited: git writes ahead from its start.
  const ahead = new PassThrough({ highWaterMark: READ_AHEAD_BYTES });
  // A read that fails ends `ahead` with its error; git's exit status says the rest.
  pipeline(child.stdout, ahead, () => {});
  let total = 0;
  let commits = 0;
  try {
    const cutter = new FormatPatchCutter({ expected: await options.expected, maxCommitBytes: options.maxCommitBytes });
    for await (const chunk of ahead as AsyncIterable<Buffer>) {
      total += chunk.length;
      if (total > options.maxTotalBytes) throw new InputError(name, null, `the range produces more than ${options.maxTotalBytes} bytes of patches`);
      for (const c of cutter.push(chunk)) {
        commits++;
        yield c;
      }
    }
    const end = await exited;
    if (end.error) throw new InputError(name, null, end.error.code === "ENOENT" ? "git is not installed or not on PATH" : end.error.message);
    if (timedOut) throw new InputError(name, null, `git format-patch took longer than ${GIT_TIMEOUT_MS / 1000} s`);
    if (end.code !== 0) throw new InputError(name, null, `git format-patch failed: ${stderr.trim().split("\n")[0] || `exit status ${end.code}`}`);
    for (const c of cutter.end()) {
      commits++;
      yield c;
    }
    if (commits === 0) throw new InputError(name, null, "the range contains no commits (merges are skipped)");
  } finally {
    clearTimeout(timer);
    // A consumer that stopped early (an error, a limit) leaves no git behind.
    if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
  }
}

/**
 * `git format-patch --stdout` of a range, read-only: git only reads
 * objects; nothing is checked out and no hook or external diff driver runs.
 */
function formatPatchArgs(range: string, repoDir: string): string[] {
  // A single revision means that one commit: `-1` is an option, so it goes
  // before `--end-of-options` (after it, git refuses it).
  const count = range.includes("..") ? [] : ["-1"];
  return [
    "-C",
    repoDir,
    "-c",
    "core.quotePath=true",
    "format-patch",
    "--stdout",
    "--no-signature",
    "--no-binary",
    "--no-ext-diff",
    "--no-color",
    "--no-notes",
    // No diffstat: no rule reads it, and computing it took git 40% of its time.
    "--no-stat",
    // Repository config must not change the format we parse: no MIME
    // attachments (format.attach), no cover letter (format.coverLetter),
    // a/ and b/ prefixes whatever diff.noprefix or diff.mnemonicPrefix say.
    "--no-attach",
    "--no-cover-letter",
    "--src-prefix=a/",
    "--dst-prefix=b/",
    "-M",
    ...count,
    "--end-of-options",
    range,
  ];
}

/**
 * The range's commits in the order format-patch gives them (oldest first,
 * merges left out); a single revision is that one commit, none for a merge.
 * An InputError with git's message when git cannot list them.
 */
export function listRangeCommits(range: string, repoDir: string): Promise<string[]> {
  const walk = range.includes("..") ? ["rev-list", "--no-merges", "--reverse"] : ["rev-list", "--no-merges", "--no-walk"];
  return new Promise((resolve, reject) => {
    execFile("git", ["-C", repoDir, ...walk, "--end-of-options", range], { encoding: "utf8", maxBuffer: 256 * 1024 * 1024, env: GIT_ENV, timeout: GIT_TIMEOUT_MS }, (err, stdout, stderr) => {
      if (!err) return resolve(stdout.split("\n").filter(Boolean));
      const why = (err as NodeJS.ErrnoException).code === "ENOENT" ? "git is not installed or not on PATH" : `git rev-list failed: ${stderr.trim().split("\n")[0] || err.message}`;
      reject(new InputError(`git ${range}`, null, why));
    });
  });
}
