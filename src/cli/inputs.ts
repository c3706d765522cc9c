import path from "node:path";
import type { PatchwardenConfig } from "../config/types.js";
import { InputError } from "../patch/errors.js";
import { listRangeCommits, readGitRange, streamGitRange } from "../patch/git.js";
import { readInputFile } from "../patch/read-file.js";
import { SeriesBuilder, type InputLimits, type PatchInput } from "../patch/series.js";
import type { Commit, Series } from "../patch/types.js";
import { mergesIn, type MergeNote } from "./git-merges.js";
import type { CliIo } from "./main.js";

// What the commands that take a series (check, reply) read: patch files,
// standard input, or a git range, every read bounded by maxInputBytes.

/** Patch files, `-` for standard input, or `--git RANGE` (its merges named on stderr: they have no patch of their own). */
export async function readInputs(
  range: string | undefined,
  repo: string | undefined,
  files: string[],
  io: CliIo,
  limits: Pick<PatchwardenConfig["limits"], "maxInputBytes">,
  status: (text: string | null) => void = () => {},
): Promise<PatchInput[]> {
  if (range !== undefined) {
    const dir = path.resolve(io.cwd, repo ?? ".");
    noteMerges(range, await mergesIn(range, dir), io);
    status(`check: git format-patch ${range}`);
    return [await readGitRange(range, dir, limits.maxInputBytes)];
  }
  const inputs: PatchInput[] = [];
  for (const file of files) {
    if (file === "-") {
      inputs.push({ name: "<stdin>", bytes: await readStream(io.stdin, limits.maxInputBytes) });
      continue;
    }
    inputs.push({ name: file, bytes: readInputFile(file, path.resolve(io.cwd, file), limits.maxInputBytes) });
  }
  return inputs;
}

/**
 * The series of a git range, parsed commit by commit while git writes it
 * (src/patch/git.ts streamGitRange): the series readInputs + parseSeries
 * give, without the whole output in memory. Merges are named on stderr.
 */
export async function readGitSeries(
  range: string,
  repo: string | undefined,
  io: CliIo,
  limits: InputLimits,
  status: (text: string | null) => void = () => {},
  /** Given the commits of each piece of git's output as they arrive (src/engine/run.ts commitWarmer). */
  arrived: (commits: readonly Commit[]) => void = () => {},
): Promise<Series> {
  const dir = path.resolve(io.cwd, repo ?? ".");
  // Unlisted, the cut takes any header; format-patch then says what is wrong with the range.
  // All three gits start at once: format-patch writes ahead while the two rev-lists run.
  const listed = listRangeCommits(range, dir).catch(() => null);
  const merges = mergesIn(range, dir);
  // Settled here so a failed merge listing is not unhandled while the stream runs; thrown below.
  merges.catch(() => {});
  const name = `git ${range}`;
  const builder = new SeriesBuilder(limits);
  let of = "";
  void listed.then((shas) => (of = shas ? ` of ${shas.length}` : ""));
  status(`check: git format-patch ${range}`);
  for await (const commit of streamGitRange(range, dir, { expected: listed.then((shas) => (shas ? new Set(shas) : null)), maxTotalBytes: limits.maxInputBytes, maxCommitBytes: limits.maxInputBytes })) {
    arrived(builder.add({ name, bytes: commit.bytes! }, commit.firstLine));
    if (builder.commitCount % 200 === 0) status(`check: git format-patch ${range}: ${builder.commitCount}${of} commits read`);
  }
  noteMerges(range, await merges, io);
  return builder.finish();
}

function noteMerges(range: string, merges: MergeNote[], io: CliIo): void {
  if (merges.length === 0) return;
  const shown = merges.slice(0, 3).map((m) => `${m.sha.slice(0, 12)} ("${m.subject}")`);
  const more = merges.length > 3 ? ` and ${merges.length - 3} more` : "";
  io.stderr.write(`patchwarden: git ${range}: note: ${merges.length === 1 ? "1 merge is" : `${merges.length} merges are`} not checked (a merge has no patch of its own): ${shown.join(", ")}${more}\n`);
}

export async function readStream(stream: NodeJS.ReadableStream, maxBytes: number): Promise<Uint8Array> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stream) {
    const buf = typeof chunk === "string" ? Buffer.from(chunk) : (chunk as Buffer);
    size += buf.length;
    if (size > maxBytes) throw new InputError("<stdin>", null, `input is over the limit of ${maxBytes} bytes`);
    chunks.push(buf);
  }
  return Buffer.concat(chunks);
}
