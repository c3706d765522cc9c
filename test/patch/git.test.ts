import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { execFileSync } from "node:child_process";
import { chmodSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { InputError, UsageError } from "../../src/patch/errors.js";
import type { CutCommit } from "../../src/patch/format-patch-cut.js";
import { listRangeCommits, readGitRange, streamGitRange, type StreamOptions } from "../../src/patch/git.js";
import { parseSeries, SeriesBuilder } from "../../src/patch/series.js";
import type { Series } from "../../src/patch/types.js";

// A throwaway repository per run. Identity and config come from -c and the
// environment of each git call; no global config is read or changed.
const ENV_KEYS = ["GIT_CONFIG_GLOBAL", "GIT_CONFIG_NOSYSTEM"] as const;
const savedEnv: Partial<Record<(typeof ENV_KEYS)[number], string | undefined>> = {};
let root: string;
let repo: string;
const sha: Record<string, string> = {};

function git(args: string[], env: Record<string, string> = {}): string {
  return execFileSync("git", ["-C", repo, "-c", "user.name=Test Runner", "-c", "user.email=runner@example.org", "-c", "commit.gpgsign=false", ...args], {
    encoding: "utf8",
    env: { ...process.env, ...env },
  }).trim();
}

function commit(message: string, author: string, date: string): string {
  const [, name, email] = author.match(/^(.*) <(.*)>$/)!;
  git(["commit", "-q", "--allow-empty", "-m", message], {
    GIT_AUTHOR_NAME: name!,
    GIT_AUTHOR_EMAIL: email!,
    GIT_AUTHOR_DATE: date,
    GIT_COMMITTER_DATE: date,
  });
  return git(["rev-parse", "HEAD"]);
}

function write(rel: string, content: string | Buffer): void {
  const p = path.join(repo, rel);
  mkdirSync(path.dirname(p), { recursive: true });
  writeFileSync(p, content);
}

async function series(range: string, limit = 1 << 24): Promise<Series> {
  const input = await readGitRange(range, repo, limit);
  return parseSeries([input]);
}

async function rejection(p: () => Promise<unknown>): Promise<unknown> {
  try {
    await p();
  } catch (e) {
    return e;
  }
  throw new Error("expected a rejection");
}

beforeAll(() => {
  for (const k of ENV_KEYS) savedEnv[k] = process.env[k];
  // readGitRange passes the process environment on: keep a user's global
  // config (diff.noprefix and the like) out of these tests.
  process.env.GIT_CONFIG_GLOBAL = "/dev/null";
  process.env.GIT_CONFIG_NOSYSTEM = "1";
  root = mkdtempSync(path.join(tmpdir(), "patchwarden-git-"));
  repo = path.join(root, "repo");
  mkdirSync(repo);
  git(["init", "-q", "-b", "main"]);

  write("kernel/fork.c", "int a;\nint b;\nint c;\n");
  write("scripts/run.sh", "echo hi\n");
  git(["add", "-A"]);
  sha.A = commit("fork: base\n\nSigned-off-by: Test Runner <runner@example.org>", "Linus T <lt@example.org>", "2023-01-01T10:00:00+00:00");

  write("kernel/fork.c", "int a;\n#ifdef CONFIG_XEN\nint xen;\n#endif\nint b;\nint c;\n");
  git(["add", "-A"]);
  sha.B = commit(
    "fork: add a xen special case\n\nBecause.\n\nSigned-off-by: Marek Marczykowski-Górecki <marmarek@example.org>",
    "Marek Marczykowski-Górecki <marmarek@example.org>",
    "2023-01-02T10:00:00+00:00",
  );

  git(["mv", "kernel/fork.c", "kernel/fork2.c"]);
  write("docs/my file.txt", "spaced\n");
  write("drivers/tést.c", "int t;\n");
  write("firmware/blob.bin", Buffer.from([0, 1, 2, 3, 0, 255]));
  chmodSync(path.join(repo, "scripts/run.sh"), 0o755);
  git(["add", "-A"]);
  sha.C = commit("misc: rename, spaces, utf-8 path, binary, mode", "Juergen Gross <jgross@example.org>", "2023-01-03T10:00:00+00:00");

  sha.D = commit("empty: nothing\n\nSigned-off-by: Juergen Gross <jgross@example.org>", "Juergen Gross <jgross@example.org>", "2023-01-04T10:00:00+00:00");
});

afterAll(() => {
  for (const k of ENV_KEYS) {
    if (savedEnv[k] === undefined) delete process.env[k];
    else process.env[k] = savedEnv[k];
  }
  if (root) rmSync(root, { recursive: true, force: true });
});

describe("readGitRange", () => {
  it("names the input after the range", async () => {
    const input = await readGitRange(`${sha.A}..${sha.B}`, repo, 1 << 20);
    expect(input.name).toBe(`git ${sha.A}..${sha.B}`);
    expect(Buffer.from(input.bytes).toString("utf8")).toMatch(new RegExp(`^From ${sha.B} Mon Sep 17 00:00:00 2001\\n`));
  });

  it("yields format-patch text that parses into the range's commits with real shas", async () => {
    const s = await series(`${sha.A}..HEAD`);
    // The empty commit D is skipped by format-patch.
    expect(s.commits.map((c) => c.sha)).toEqual([sha.B, sha.C]);
    expect(s.commits.map((c) => c.subject)).toEqual(["fork: add a xen special case", "misc: rename, spaces, utf-8 path, binary, mode"]);
    // git counts the skipped empty commit in N of [PATCH i/N].
    expect(s.commits.map((c) => c.rawSubject)).toEqual(["[PATCH 1/3] fork: add a xen special case", "[PATCH 2/3] misc: rename, spaces, utf-8 path, binary, mode"]);
    expect(s.commits.every((c) => !c.isCoverLetter)).toBe(true);
  });

  it("reads the author (RFC 2047 encoded by git), date, body and trailers", async () => {
    const c = (await series(`${sha.A}..${sha.B}`)).commits[0]!;
    expect(c.author).toEqual({ name: "Marek Marczykowski-Górecki", email: "marmarek@example.org" });
    expect(c.date).toBe("Mon, 2 Jan 2023 10:00:00 +0000");
    expect(c.body).toBe("Because.");
    expect(c.trailers).toEqual([{ key: "Signed-off-by", value: "Marek Marczykowski-Górecki <marmarek@example.org>" }]);
    // No diffstat is asked of git (no rule reads it): nothing between the message and the diff.
    expect(c.notes).toBe("");
  });

  it("reads the hunk with new-side line numbers", async () => {
    const f = (await series(`${sha.A}..${sha.B}`)).files[0]!;
    expect(f).toMatchObject({ oldPath: "kernel/fork.c", newPath: "kernel/fork.c", kind: "modified" });
    const added = f.hunks[0]!.lines.filter((l) => l.kind === "added").map((l) => [l.newLine, l.text]);
    expect(added).toEqual([
      [2, "#ifdef CONFIG_XEN"],
      [3, "int xen;"],
      [4, "#endif"],
    ]);
  });

  it("reads a rename, a path with a space, a quoted UTF-8 path, a binary file and a mode change", async () => {
    const s = await series(`${sha.B}..${sha.C}`);
    const byPath = new Map(s.files.map((f) => [f.newPath, f]));
    expect(byPath.get("kernel/fork2.c")).toMatchObject({ kind: "renamed", oldPath: "kernel/fork.c", similarity: 100 });
    expect(byPath.get("docs/my file.txt")).toMatchObject({ kind: "added", oldPath: null });
    expect(byPath.get("drivers/tést.c")).toMatchObject({ kind: "added" });
    expect(byPath.get("drivers/tést.c")!.hunks[0]!.lines.map((l) => l.text)).toEqual(["int t;"]);
    expect(byPath.get("firmware/blob.bin")).toMatchObject({ kind: "added", binary: true, hunks: [] });
    expect(byPath.get("scripts/run.sh")).toMatchObject({ kind: "mode-only", oldMode: "100644", newMode: "100755" });
    expect(s.files).toHaveLength(5);
    expect(s.warnings.map((w) => w.message)).toEqual(["firmware/blob.bin: binary file, not checked"]);
  });

  it("reads a single revision as that one commit", async () => {
    const s = await series(sha.B!);
    expect(s.commits.map((c) => c.sha)).toEqual([sha.B]);
    expect(s.commits[0]!.rawSubject).toBe("[PATCH] fork: add a xen special case");
  });

  it("is not swayed by repository config that changes format-patch output", async () => {
    git(["config", "format.attach", "true"]);
    git(["config", "format.coverLetter", "true"]);
    git(["config", "diff.noprefix", "true"]);
    git(["config", "format.signature", "custom signature"]);
    try {
      const s = await series(`${sha.A}..${sha.C}`);
      expect(s.commits.map((c) => c.sha)).toEqual([sha.B, sha.C]);
      expect(s.commits[0]!.body).toBe("Because.");
      expect(s.files.find((f) => f.kind === "mode-only")?.newPath).toBe("scripts/run.sh");
      expect(s.files.map((f) => f.newPath)).toContain("kernel/fork.c");
    } finally {
      for (const k of ["format.attach", "format.coverLetter", "diff.noprefix", "format.signature"]) git(["config", "--unset", k]);
    }
  });

  it("rejects a range with no commits with a clear InputError", async () => {
    const e = await rejection(() => readGitRange("HEAD..HEAD", repo, 1 << 20));
    expect(e).toBeInstanceOf(InputError);
    expect((e as InputError).describe()).toBe("git HEAD..HEAD: the range contains no commits (merges are skipped)");
    // Only an empty commit: format-patch skips it.
    const e2 = await rejection(() => readGitRange(`${sha.C}..${sha.D}`, repo, 1 << 20));
    expect((e2 as InputError).message).toMatch(/contains no commits/);
  });

  it("rejects a bad range with git's message", async () => {
    const e = await rejection(() => readGitRange("no-such-branch..HEAD", repo, 1 << 20));
    expect(e).toBeInstanceOf(InputError);
    expect((e as InputError).source).toBe("git no-such-branch..HEAD");
    expect((e as InputError).line).toBeNull();
    expect((e as InputError).message).toMatch(/^git format-patch failed: .*no-such-branch/);
  });

  it("never takes a range for an option", async () => {
    const out = path.join(root, "injected");
    for (const range of [`--output=${out}`, `--output-directory=${out}`, `--output-directory=${out}..HEAD`, "--stdout", "-o", "--help"]) {
      const e = await rejection(() => readGitRange(range, repo, 1 << 20));
      expect(e).toBeInstanceOf(InputError);
      expect((e as InputError).message).toMatch(/^git format-patch failed/);
    }
    expect(existsSync(out)).toBe(false);
  });

  it("rejects an empty range as a usage error (as a rejected promise)", async () => {
    const p = readGitRange("  ", repo, 1 << 20);
    await expect(p).rejects.toBeInstanceOf(UsageError);
  });

  it("rejects a directory that is not a repository", async () => {
    const notRepo = path.join(root, "plain");
    mkdirSync(notRepo, { recursive: true });
    const e = await rejection(() => readGitRange("HEAD~1..HEAD", notRepo, 1 << 20));
    expect(e).toBeInstanceOf(InputError);
    expect((e as InputError).message).toMatch(/^git format-patch failed: .*not a git repository/i);
  });

  it("rejects output over the byte limit", async () => {
    const e = await rejection(() => readGitRange(`${sha.A}..HEAD`, repo, 100));
    expect(e).toBeInstanceOf(InputError);
    expect((e as InputError).message).toBe("the range produces more than 100 bytes of patches");
  });
});

describe("streamGitRange", () => {
  const all = async (range: string, options: Partial<StreamOptions> = {}) => {
    const out: CutCommit[] = [];
    for await (const c of streamGitRange(range, repo, { expected: null, maxTotalBytes: 1 << 24, maxCommitBytes: 1 << 24, ...options })) out.push(c);
    return out;
  };

  it("gives the commits readGitRange gives, one by one, as one series built piece by piece", async () => {
    const range = `${sha.A}..HEAD`;
    const whole = await series(range);
    const builder = new SeriesBuilder();
    const pieces = await all(range, { expected: new Set((await listRangeCommits(range, repo))!) });
    for (const c of pieces) builder.add({ name: `git ${range}`, bytes: c.bytes! }, c.firstLine);
    const streamed = builder.finish();
    expect(pieces.map((c) => c.sha)).toEqual(whole.commits.map((c) => c.sha));
    expect(JSON.stringify(streamed)).toBe(JSON.stringify(whole));
  });

  it("says what readGitRange says of a bad range, an empty one and one over the byte limit", async () => {
    await expect(all("no-such-branch..HEAD")).rejects.toThrow(/^git format-patch failed: .*no-such-branch/);
    await expect(all("HEAD..HEAD")).rejects.toThrow("the range contains no commits (merges are skipped)");
    await expect(all(`${sha.A}..HEAD`, { maxTotalBytes: 100 })).rejects.toThrow("the range produces more than 100 bytes of patches");
  });
});
