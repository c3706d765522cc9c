import { gitLines } from "./git-run.js";
import { LOG_FORMAT, LOG_FORMAT_TIMED, logParser, type LogCommit } from "./log-parse.js";

/**
 * Feeds every non-merge commit touching any of `paths` to `onCommit`, with
 * all the files it changes (`--full-diff`): one pass serves every PATH.
 * Merges change nothing of their own and are left out; renames count as a
 * deletion and an addition, as in `--stat` without -M, which also keeps git
 * from pairing up files across a treewide move. `timed`: each commit
 * carries its committer date too.
 */
export function readLog(repo: string, paths: string[], since: string | undefined, onCommit: (c: LogCommit) => void, until?: string, timed = false): Promise<void> {
  const parser = logParser(onCommit, timed);
  const args = [
    "log",
    "--no-merges",
    "--no-renames",
    "--root",
    "--name-only",
    "--full-diff",
    "--no-color",
    "--no-notes",
    "--no-show-signature",
    "--encoding=UTF-8",
    timed ? LOG_FORMAT_TIMED : LOG_FORMAT,
    // One argument, so a date can never be read as an option.
    ...(since === undefined ? [] : [`--since=${since}`]),
    ...(until === undefined ? [] : [`--until=${until}`]),
    "--end-of-options",
    "--",
    ...paths,
  ];
  return gitLines(repo, args, (line) => parser.line(line)).then(() => parser.end());
}
