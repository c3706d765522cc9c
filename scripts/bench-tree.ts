// Times the base-tree lookups (src/tree/gather.ts) per series on a real
// kernel-style history: each of the latest N non-merge commits of RANGE is
// read as its own one-commit series and looked up against its parent, as
// `check --git <sha>` does. Prints p50, p95 and max with the machine's load;
// asserts nothing.
//
//   npm run bench:tree -- --repo DIR [--range A..B] [--count 40] [--preset linux|u-boot]
// (U-Boot from a public mirror is the realistic workload: fetch it, pass its git dir.)
import { execFileSync } from "node:child_process";
import os from "node:os";
import { parseArgs } from "node:util";
import { LINUX_DEFAULTS } from "../src/config/defaults.js";
import { mergeConfig } from "../src/config/load.js";
import { readGitRange } from "../src/patch/git.js";
import { parseSeries } from "../src/patch/series.js";
import { baseOfRange } from "../src/tree/base.js";
import { gatherTreeFacts } from "../src/tree/gather.js";

const { values } = parseArgs({ options: { repo: { type: "string" }, range: { type: "string", default: "HEAD~200..HEAD" }, count: { type: "string", default: "40" }, preset: { type: "string" } } });
if (!values.repo) {
  console.error("bench:tree needs --repo DIR: a kernel-style repository (U-Boot, Linux) to read");
  process.exit(2);
}
const repo = values.repo;
const config = values.preset ? mergeConfig({ extends: values.preset }) : LINUX_DEFAULTS;
const shas = execFileSync("git", ["-C", repo, "rev-list", "--no-merges", "-n", values.count!, values.range!], { encoding: "utf8" }).trim().split("\n").filter(Boolean);
const times: number[] = [];
let withLookups = 0;
for (const sha of shas) {
  const series = parseSeries([await readGitRange(sha, repo, 1 << 28)], config.limits);
  const started = performance.now();
  const found = await baseOfRange(repo, sha);
  if (!found.base) continue;
  const facts = await gatherTreeFacts(series, found.base, config);
  times.push(performance.now() - started);
  if (facts.symbols.size > 0) withLookups++;
}
times.sort((a, b) => a - b);
const at = (q: number) => times[Math.min(times.length - 1, Math.floor(q * times.length))]!.toFixed(0);
console.log(`tree lookups, ${times.length} one-commit series of ${values.range} in ${repo} (${withLookups} looked symbols up), load ${os.loadavg()[0]!.toFixed(2)} on ${os.cpus().length} cores:`);
console.log(`  p50 ${at(0.5)} ms   p95 ${at(0.95)} ms   max ${at(1)} ms`);
