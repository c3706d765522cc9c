import { execFile } from "node:child_process";
import { readFile, stat } from "node:fs/promises";
import path from "node:path";
import { LINUX_DEFAULTS } from "./defaults.js";
import { ConfigError } from "./errors.js";
import type { PatchwardenConfig } from "./types.js";

/** Where the app reads a repository's config; the CLI reads the same file from the tree. */
export const TREE_CONFIG_PATH = ".github/patchwarden.yml";

export interface LoadedConfig {
  config: PatchwardenConfig;
  /** The file the config came from (a path, or `REV:.github/patchwarden.yml` in a bare repository); null for the defaults alone. */
  source: string | null;
  /** The text of that file, for `config --print`. */
  text: string | null;
}

/** The config from `--config FILE` laid over the Linux defaults, or the defaults alone. */
export async function loadConfigFile(file: string | undefined, cwd: string): Promise<PatchwardenConfig> {
  return (await loadCliConfig({ file, cwd })).config;
}

/**
 * The config a command line run uses, as the app would pick it: `--config
 * FILE` if given; else, unless `--no-config`, the tree's own
 * `.github/patchwarden.yml` at the top of the repository `treeDir` lies in
 * (its work tree, or HEAD's blob in a bare repository); else the defaults.
 */
export async function loadCliConfig(opts: { file?: string; noConfig?: boolean; treeDir?: string; cwd: string }): Promise<LoadedConfig> {
  if (opts.file !== undefined) {
    let text: string;
    try {
      text = await readFile(path.resolve(opts.cwd, opts.file), "utf8");
    } catch (err) {
      throw new ConfigError(opts.file, `cannot read: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
    }
    return { config: await fromText(text, opts.file), source: opts.file, text };
  }
  if (opts.noConfig || opts.treeDir === undefined) return { config: LINUX_DEFAULTS, source: null, text: null };
  const found = await treeConfigText(path.resolve(opts.cwd, opts.treeDir), opts.cwd);
  if (found === null) return { config: LINUX_DEFAULTS, source: null, text: null };
  return { config: await fromText(found.text, found.source), source: found.source, text: found.text };
}

async function fromText(text: string, source: string): Promise<PatchwardenConfig> {
  // ajv and yaml cost ~150 ms to load and compile; only a run with a config file pays for them.
  const { mergeConfig, parseConfigText } = await import("./load.js");
  const user = parseConfigText(text, source);
  await (await import("./regex-safety.js")).assertLinearPatterns(user, source);
  return mergeConfig(user, undefined, source);
}

function git(dir: string, args: string[]): Promise<string | null> {
  return new Promise((resolve) => {
    execFile("git", ["-C", dir, ...args], { encoding: "utf8", maxBuffer: 1024 * 1024, env: { ...process.env, GIT_TERMINAL_PROMPT: "0" } }, (err, stdout) =>
      resolve(err ? null : stdout),
    );
  });
}

/**
 * The work tree's top, found as git finds it in the usual case: the nearest
 * directory up from `dir` holding `.git`. Two git processes cost a plain
 * check 20 ms of its start; git itself is asked only where this cannot
 * tell: a directory on the way up that is a git directory itself (a bare
 * repository, or inside `.git`), or GIT_DIR or GIT_WORK_TREE set. With
 * neither, there is no repository, and no git process is started.
 */
async function workTreeTop(dir: string): Promise<{ top: string } | "ask git" | "none"> {
  if (process.env.GIT_DIR !== undefined || process.env.GIT_WORK_TREE !== undefined) return "ask git";
  for (let d = path.resolve(dir); ; d = path.dirname(d)) {
    if (await exists(path.join(d, ".git"))) return { top: d };
    if (await isGitDirectory(d)) return "ask git";
    if (path.dirname(d) === d) return "none";
  }
}

/** What git takes for a repository's own directory: HEAD, objects/ and refs/. */
async function isGitDirectory(d: string): Promise<boolean> {
  const [head, objects, refs] = await Promise.all(["HEAD", "objects", "refs"].map((n) => exists(path.join(d, n))));
  return head! && objects! && refs!;
}

async function exists(p: string): Promise<boolean> {
  try {
    await stat(p);
    return true;
  } catch {
    return false;
  }
}

async function treeConfigText(dir: string, cwd: string): Promise<{ text: string; source: string } | null> {
  const found = await workTreeTop(dir);
  if (found === "none") return null; // not in a repository: no tree to take a config from
  if (found !== "ask git") return readTreeConfig(found.top, cwd);
  const bare = (await git(dir, ["rev-parse", "--is-bare-repository"]))?.trim();
  if (bare === undefined) return null;
  if (bare === "true") {
    const text = await git(dir, ["cat-file", "blob", `HEAD:${TREE_CONFIG_PATH}`]);
    return text === null ? null : { text, source: `HEAD:${TREE_CONFIG_PATH}` };
  }
  const top = (await git(dir, ["rev-parse", "--show-toplevel"]))?.trim();
  if (!top) return null;
  return readTreeConfig(top, cwd);
}

async function readTreeConfig(top: string, cwd: string): Promise<{ text: string; source: string } | null> {
  const file = path.join(top, TREE_CONFIG_PATH);
  try {
    return { text: await readFile(file, "utf8"), source: path.relative(cwd, file) || file };
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return null;
    throw new ConfigError(file, `cannot read: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
}
