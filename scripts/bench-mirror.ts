// The app's mirror on a real history: a repository on disk (default the
// U-Boot mirror) served by the fake GitHub's git smart HTTP (git
// http-backend, the installation token checked), mirrored as the app
// does it: the first build at an older base, then the fetch of a newer base,
// each with its upkeep (geometric repack, split commit-graph with Bloom
// filters). Prints times and sizes; asserts nothing. Built by
// tsconfig.bench.json (it uses the fake GitHub).
//   npm run bench:mirror -- [--repo DIR] [--from REV] [--to REV]
import { execFileSync } from "node:child_process";
import { generateKeyPairSync } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { Octokit } from "@octokit/rest";
import { createAppAuth } from "@octokit/auth-app";
import os from "node:os";
import { mergeConfig } from "../src/config/load.js";
import { MIRROR_DEFAULTS, Mirrors, readOnlyTokens } from "../src/github/mirror.js";
import { readGitRange } from "../src/patch/git.js";
import { parseSeries } from "../src/patch/series.js";
import { gatherTreeFacts } from "../src/tree/gather.js";
import type { Octokit as AppOctokit } from "../src/github/types.js";
import { FakeGitHub } from "../test/fake-github/index.js";

function arg(name: string, fallback: string): string {
  const at = process.argv.indexOf(name);
  return at === -1 ? fallback : process.argv[at + 1]!;
}

const source = path.resolve(arg("--repo", "/work/.mirror/u-boot+u-boot/repo"));
const rev = (r: string) => execFileSync("git", ["--git-dir", source, "rev-parse", `${r}^{commit}`], { encoding: "utf8" }).trim();
const from = rev(arg("--from", "v2026.07"));
const to = rev(arg("--to", "v2026.10-rc2"));
const APP_ID = 5151;
const keys = generateKeyPairSync("rsa", { modulusLength: 2048, publicKeyEncoding: { type: "spki", format: "pem" }, privateKeyEncoding: { type: "pkcs8", format: "pem" } });

const mb = (n: unknown) => `${(Number(n) / 1024 / 1024).toFixed(1)} MB`;

async function main(): Promise<void> {
  const fake = new FakeGitHub({ appId: APP_ID, publicKeyPem: keys.publicKey });
  const { host } = await fake.start();
  fake.addInstallation(1, "bench");
  fake.addRepo("bench", "tree");
  fake.serveGit("bench", "tree", source);
  const dir = mkdtempSync(path.join(tmpdir(), "patchwarden-bench-mirror-"));
  const lines: { msg: string; o: Record<string, unknown> }[] = [];
  const log = { info: (o: object, msg: string) => lines.push({ msg, o: o as Record<string, unknown> }), warn: (o: object, msg: string) => lines.push({ msg, o: o as Record<string, unknown> }) };
  const tokens = readOnlyTokens(async () => new Octokit({ baseUrl: fake.baseUrl, authStrategy: createAppAuth, auth: { appId: APP_ID, privateKey: keys.privateKey } }) as unknown as AppOctokit);
  const mirrors = new Mirrors({ ...MIRROR_DEFAULTS, dir, gitBase: `http://${host}` }, tokens, log);
  const repo = { installation: 1, owner: "bench", repo: "tree" };
  try {
    console.log(`source ${source}: build at ${from.slice(0, 12)}, then fetch ${to.slice(0, 12)}`);
    let t = performance.now();
    await mirrors.baseTree(repo, from);
    await mirrors.idle();
    const built = lines.find((l) => l.msg === "mirror built");
    const upkeep1 = lines.find((l) => l.msg === "mirror upkeep");
    console.log(`build: ${built ? `${built.o.ms} ms, ${mb(built.o.diskBytes)}` : JSON.stringify(lines)}; upkeep (repack, commit-graph with Bloom filters): ${upkeep1?.o.ms} ms, ${mb(upkeep1?.o.diskBytes)}; wall ${Math.round(performance.now() - t)} ms`);
    const sent = fake.gitRequests.reduce((n, r) => n + r.bytes, 0);
    console.log(`git HTTP: ${fake.gitRequests.length} requests, ${mb(sent)} sent`);
    lines.length = 0;
    t = performance.now();
    const answer = await mirrors.baseTree(repo, to);
    const waited = Math.round(performance.now() - t);
    await mirrors.idle();
    const fetched = lines.find((l) => l.msg === "mirror fetched");
    const upkeep2 = lines.find((l) => l.msg === "mirror upkeep");
    console.log(`fetch of the newer base: ${fetched ? `${fetched.o.ms} ms, +${mb(fetched.o.addedBytes)}, ${mb(fetched.o.diskBytes)} in all` : JSON.stringify(lines)}; the review waited ${waited} ms (${answer.tree ? "with the tree" : answer.why}); upkeep ${upkeep2?.o.ms} ms, ${mb(upkeep2?.o.diskBytes)}`);
    t = performance.now();
    await mirrors.baseTree(repo, to);
    console.log(`a base already there: ${Math.round(performance.now() - t)} ms, no request`);
    // What a review then pays: the tree lookups of one-commit series, each at its parent, in the mirror.
    const where = mirrors.pathOf(repo)!;
    const config = mergeConfig({ extends: arg("--preset", "u-boot") });
    const shas = execFileSync("git", ["--git-dir", where, "rev-list", "--no-merges", "-n", "40", to], { encoding: "utf8" }).trim().split("\n");
    const times: number[] = [];
    for (const sha of shas) {
      const series = parseSeries([await readGitRange(sha, where, 1 << 28)], config.limits);
      const parent = execFileSync("git", ["--git-dir", where, "rev-parse", `${sha}^`], { encoding: "utf8" }).trim();
      const started = performance.now();
      await gatherTreeFacts(series, { repo: where, commit: parent, from: "the parent" }, config);
      times.push(performance.now() - started);
    }
    times.sort((a, b) => a - b);
    const q = (p: number) => times[Math.min(times.length - 1, Math.floor(p * times.length))]!.toFixed(0);
    console.log(`tree lookups in the mirror, ${times.length} one-commit series before ${to.slice(0, 12)}: p50 ${q(0.5)} ms, p95 ${q(0.95)} ms, max ${q(1)} ms (load ${os.loadavg()[0]!.toFixed(1)} on ${os.cpus().length} cores)`);
  } finally {
    await mirrors.close();
    await fake.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
