// The app's figures: GitHub API calls per review (besides the installation
// token) and webhook-to-review latency over 200 pull requests, each a
// 500-line series, against the fake GitHub on loopback; then the calls of each
// kind of review (a first review on a new base, a push, a replay, a labels
// override re-run), request by request. A call is every request the fake
// received except POST /app/installations/:id/access_tokens. Prints; asserts
// nothing (test/app/api-calls.test.ts does). Built by tsconfig.bench.json (it
// uses the test harness).
import type { RecordedRequest } from "../test/fake-github/index.js";
import { pullPayload, sendWebhook, startHarness, type Harness } from "../test/app/harness.js";
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
  const kinds = await perKind(h);
  await h.stop();
  latencies.sort((a, b) => a - b);
  calls.sort((a, b) => a - b);
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  console.log(`patchwarden app bench: ${PULLS} pull requests, ${Math.round(lines / PULLS)} changed lines each on average, fake GitHub on loopback`);
  console.log(`  webhook to review posted: p50 ${percentile(latencies, 50).toFixed(0)} ms, p95 ${percentile(latencies, 95).toFixed(0)} ms, max ${latencies.at(-1)!.toFixed(0)} ms (goal: p50 under 150 ms)`);
  console.log(`  API calls per review (besides the installation token): min ${calls[0]}, mean ${mean(calls).toFixed(1)}, max ${calls.at(-1)} (goal: at most 5)`);
  for (const k of kinds) console.log(`  ${k.kind}: ${k.calls.length} calls (${k.calls.join(", ")})`);
  console.log(`  peak RSS ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB (server, fake and bench in one process)`);
}

const counted = (r: RecordedRequest) => !/^\/app\/installations\/\d+\/access_tokens$/.test(r.path);
const named = (r: RecordedRequest) => (r.graphql ? `GraphQL ${r.graphql.operation}` : `${r.method} ${r.path.replace(/^\/repos\/[^/]+\/[^/]+/, "").replace(/\d{7,}/g, ":id")}`);

/** One pull request through the kinds of review, each counted on the fake's log. */
async function perKind(h: Harness): Promise<{ kind: string; calls: string[] }[]> {
  const number = PULLS + 100;
  const baseSha = "d".repeat(40);
  h.fake.setFile("kernel", "linux", baseSha, "MAINTAINERS", "XEN HYPERVISOR X86\nM:\tA <a@example.org>\nF:\tarch/x86/xen/\n");
  const out: { kind: string; calls: string[] }[] = [];
  const run = async (kind: string, headSha: string, seed: number, action: string, extra: Partial<Parameters<typeof pullPayload>[1]> = {}) => {
    const s = syntheticSeries({ seed, commits: 2, filesPerCommit: 5, hunksPerFile: 2 });
    h.fake.addPullRequest("kernel", "linux", { number, title: "t", headSha, baseRef: "master", baseSha, user: "contributor", patch: s.patches.join("\n") });
    const mark = h.fake.mark();
    await sendWebhook(h.url, "pull_request", pullPayload(action, { number, headSha, baseSha, commits: 2, files: s.files, ...extra }));
    await h.queue.idle();
    out.push({ kind, calls: h.fake.callsSince(mark).filter(counted).map(named) });
  };
  await run("first review (MAINTAINERS of a new base read)", "1".repeat(40), 1, "opened");
  await run("a push (new head, new findings)", "2".repeat(40), 2, "synchronize");
  await run("a replay of that webhook (nothing new to post)", "2".repeat(40), 2, "synchronize");
  h.fake.setCollaboratorPermission("kernel", "linux", "keeper", "maintain");
  h.fake.addLabelEvent("kernel", "linux", number, { label: "patchwarden/override-all", actor: "keeper", event: "labeled", createdAt: new Date(Date.now() + 1_000).toISOString() });
  await run("a labels-override re-run (permission not cached)", "2".repeat(40), 2, "labeled", { labels: ["patchwarden/override-all"], label: "patchwarden/override-all", sender: "keeper" });
  return out;
}

await main();
