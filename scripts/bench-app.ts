// The app's figures: GitHub API calls per review (besides the installation
// token) and webhook-to-review latency over 200 pull requests, each a
// 500-line series, against the fake GitHub on loopback. Prints; asserts
// nothing. Built by tsconfig.bench.json (it uses the test harness).
import { pullPayload, sendWebhook, startHarness } from "../test/app/harness.js";
import { syntheticSeries } from "./synthetic-series.js";

const at = process.argv.indexOf("--pulls");
const PULLS = at === -1 ? 200 : Number(process.argv[at + 1]);

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

async function main(): Promise<void> {
  const h = await startHarness();
  h.fake.addRepo("kernel", "linux");
  const latencies: number[] = [];
  const calls: number[] = [];
  let lines = 0;
  let waiting: ((ms: number) => void) | null = null;
  const reviewedAt = () => new Promise<number>((resolve) => (waiting = resolve));
  const original = h.reviewed.push.bind(h.reviewed);
  h.reviewed.push = (...items) => {
    const n = original(...items);
    waiting?.(performance.now());
    return n;
  };
  for (let i = 1; i <= PULLS + 5; i++) {
    const s = syntheticSeries({ seed: i, commits: 2, filesPerCommit: 5, hunksPerFile: 2 });
    const headSha = i.toString(16).padStart(40, "a");
    h.fake.addPullRequest("kernel", "linux", { number: i, title: `series ${i}`, headSha, baseRef: "master", baseSha: "c".repeat(40), user: "contributor", patch: s.patches.join("\n") });
    const mark = h.fake.requests.length;
    const done = reviewedAt();
    const sent = performance.now();
    await sendWebhook(h.url, "pull_request", pullPayload("opened", { number: i, headSha, baseSha: "c".repeat(40), commits: 2, files: s.files }));
    const finished = await done;
    await h.queue.idle();
    // The first few warm the JIT and the caches (token, MAINTAINERS): not counted.
    if (i <= 5) continue;
    latencies.push(finished - sent);
    calls.push(h.fake.requests.slice(mark).filter((r) => !r.path.endsWith("/access_tokens")).length);
    lines += s.changedLines;
  }
  await h.stop();
  latencies.sort((a, b) => a - b);
  calls.sort((a, b) => a - b);
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  console.log(`patchwarden app bench: ${PULLS} pull requests, ${Math.round(lines / PULLS)} changed lines each on average, fake GitHub on loopback`);
  console.log(`  webhook to review posted: p50 ${percentile(latencies, 50).toFixed(0)} ms, p95 ${percentile(latencies, 95).toFixed(0)} ms, max ${latencies.at(-1)!.toFixed(0)} ms (goal: p50 under 150 ms)`);
  console.log(`  API calls per review (besides the installation token): min ${calls[0]}, mean ${mean(calls).toFixed(1)}, max ${calls.at(-1)} (goal: at most 5)`);
  console.log(`  peak RSS ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB (server, fake and bench in one process)`);
}

await main();
