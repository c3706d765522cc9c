import { spawn } from "node:child_process";
import { InputError } from "../patch/errors.js";
import { gitOutput } from "../history/git-run.js";
import { withPcreFallback, wordPatterns } from "../tree/word-trie.js";
import { countedPathspecs } from "./census.js";

// Reads a tree from the object store only: the work tree and the index are
// never looked at, and nothing in the repository runs.

export interface TreeEntry {
  path: string;
  oid: string;
}

/** The commit a revision names, checked. */
export async function resolveCommit(repo: string, rev: string): Promise<string> {
  const { stdout } = await gitOutput(repo, ["rev-parse", "--verify", "--end-of-options", `${rev}^{commit}`]);
  return stdout.toString("utf8").trim();
}

/** Regular files of the commit's tree (no symlinks, no submodules). */
export async function listTree(repo: string, commit: string): Promise<TreeEntry[]> {
  const { stdout } = await gitOutput(repo, ["ls-tree", "-r", "-z", "--full-tree", "--end-of-options", commit]);
  const out: TreeEntry[] = [];
  for (const rec of stdout.toString("utf8").split("\0")) {
    // "<mode> <type> <oid>\t<path>"
    const tab = rec.indexOf("\t");
    if (tab === -1) continue;
    const [mode, type, oid] = rec.slice(0, tab).split(" ");
    if (type === "blob" && (mode === "100644" || mode === "100755") && oid) out.push({ path: rec.slice(tab + 1), oid });
  }
  return out;
}

/**
 * Paths in the commit's tree whose text contains any of `strings`: one git
 * grep, no JS per file, the strings as one expression (src/tree/word-trie.ts).
 * Only files the census may count are read (countedPathspecs).
 */
export async function grepFiles(repo: string, commit: string, strings: string[], paths: string[]): Promise<Set<string>> {
  // `commit` is a hash from resolveCommit, never an option; git grep takes
  // no --end-of-options before git 2.43 or so.
  // Exit status 1 means no file matched; a failure is handed on as a value, so that the fallback reads what git said.
  const grep = (pcre: boolean) =>
    gitOutput(repo, ["grep", "-l", "-z", "-I", "--no-color", "--no-textconv", ...wordPatterns(strings, "anywhere", pcre), commit, "--", ...countedPathspecs(paths)], [0, 1], "glob").catch((err: Error) => err);
  const result = await withPcreFallback(grep, (r) => (r instanceof Error ? r.message : null));
  if (result instanceof Error) throw result;
  const { stdout } = result;
  const prefix = `${commit}:`;
  const out = new Set<string>();
  for (const name of stdout.toString("utf8").split("\0")) if (name.startsWith(prefix)) out.add(name.slice(prefix.length));
  return out;
}

/**
 * Reads blobs through one `git cat-file --batch`, handing each to `onBlob`
 * in request order as it arrives; nothing is kept after the call.
 */
export function readBlobs(repo: string, oids: string[], onBlob: (index: number, body: Buffer) => void): Promise<void> {
  if (oids.length === 0) return Promise.resolve();
  return new Promise((resolve, reject) => {
    // GIT_NO_LAZY_FETCH: a partial clone must not go to the network for a census.
    // --buffer: without it git flushes after every object, and node pays per read.
    const child = spawn("git", ["-C", repo, "cat-file", "--batch", "--buffer"], {
      env: { ...process.env, GIT_NO_LAZY_FETCH: "1", GIT_OPTIONAL_LOCKS: "0" },
      stdio: ["pipe", "pipe", "pipe"],
    });
    let stderr = "";
    let failed: Error | null = null;
    let next = 0;
    const parse = batchParser((oid, body) => {
      if (failed) return;
      const index = next++;
      try {
        if (body === null) throw new InputError(repo, null, `object ${oid} is missing`);
        onBlob(index, body);
      } catch (e) {
        failed = e as Error;
        child.kill();
      }
    });
    child.stdout.on("data", (chunk: Buffer) => parse(chunk));
    child.stderr.on("data", (d: Buffer) => {
      if (stderr.length < 4096) stderr += d.toString("utf8");
    });
    child.stdin.on("error", () => {}); // git gone early: reported by "close"
    child.once("error", (err: NodeJS.ErrnoException) => {
      failed ??= new InputError(repo, null, err.code === "ENOENT" ? "git is not installed or not on PATH" : err.message);
    });
    child.once("close", (code) => {
      if (failed) return reject(failed);
      if (code !== 0) return reject(new InputError(repo, null, `git cat-file failed: ${stderr.trim().split("\n")[0] || `exit status ${code}`}`));
      if (next !== oids.length) return reject(new InputError(repo, null, `git cat-file returned ${next} of ${oids.length} objects`));
      resolve();
    });
    // Requests are 41 bytes each; node buffers them while git answers.
    child.stdin.end(`${oids.join("\n")}\n`);
  });
}

/**
 * Splits `git cat-file --batch` output ("<oid> <type> <size>\n<body>\n",
 * or "<oid> missing\n") into objects. Chunks of a large body are only
 * joined once the whole body is there.
 */
export function batchParser(onObject: (oid: string, body: Buffer | null) => void): (chunk: Buffer) => void {
  let pending: Buffer[] = [];
  let length = 0;
  let body: { oid: string; size: number } | null = null;
  const flat = (): Buffer => {
    if (pending.length !== 1) pending = [Buffer.concat(pending, length)];
    return pending[0]!;
  };
  const consume = (n: number) => {
    pending = [flat().subarray(n)];
    length -= n;
  };
  return (chunk) => {
    pending.push(chunk);
    length += chunk.length;
    for (;;) {
      if (body) {
        if (length < body.size + 1) return;
        onObject(body.oid, flat().subarray(0, body.size));
        consume(body.size + 1);
        body = null;
        continue;
      }
      const all = flat();
      const nl = all.indexOf(10);
      if (nl === -1) return;
      const header = all.toString("latin1", 0, nl).split(" ");
      consume(nl + 1);
      if (header[1] === "missing" || header.length < 3) onObject(header[0] ?? "", null);
      else body = { oid: header[0]!, size: Number(header[2]) };
    }
  };
}
