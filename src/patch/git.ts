import { execFile } from "node:child_process";
import { InputError, UsageError } from "./errors.js";
import type { PatchInput } from "./series.js";

/**
 * Reads a range of a local repository as `git format-patch` text. Read-only:
 * git only reads objects; nothing is checked out and no hook or external
 * diff driver runs. The range goes after `--end-of-options` so it can never
 * be taken for an option.
 */
export function readGitRange(range: string, repoDir: string, maxBytes: number): Promise<PatchInput> {
  if (range.trim() === "") return Promise.reject(new UsageError("--git needs a range, e.g. --git origin/master..HEAD"));
  // A single revision means that one commit: `-1` is an option, so it goes
  // before `--end-of-options` (after it, git refuses it).
  const count = range.includes("..") ? [] : ["-1"];
  const args = [
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
  const name = `git ${range}`;
  return new Promise((resolve, reject) => {
    execFile(
      "git",
      args,
      { encoding: "buffer", maxBuffer: maxBytes, env: { ...process.env, GIT_PAGER: "cat", GIT_TERMINAL_PROMPT: "0" }, timeout: 120_000 },
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
