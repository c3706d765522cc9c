// `npm run load`: sustained webhooks per second against real app processes
// (`dist/src/app/main.js`, one or more replicas on one redis-server) and the
// fake GitHub on loopback. Open loop: webhooks go out at a fixed rate
// whatever the answers; each rate runs for --seconds. Reports, per rate,
// p50/p95 webhook-to-review latency (the app's own `latencyMs`: from the
// webhook's arrival to the check and review posted), the webhook answer
// time, and at the end jobs lost (a pull request with no check run) and
// duplicated (more than one check run or review), and each replica's peak
// RSS. With --kill one replica is SIGKILLed halfway through each rate and
// started again; with --redis-restart Redis is stopped halfway and started
// again. A webhook answered 503 is sent again (as GitHub's redelivery would
// be) after Redis is back. Prints; asserts nothing.
import { readFileSync } from "node:fs";
import { FakeGitHub } from "../test/fake-github/index.js";
import { appEnv, appKeys, spawnApp, type AppProcess } from "../test/app/app-process.js";
import { APP_ID, INSTALLATION_ID, pullPayload, sendWebhook } from "../test/app/harness.js";
import { startRedis } from "../test/app/redis-server.js";
import { syntheticSeries } from "./synthetic-series.js";

function arg(name: string, fallback: string): string {
  const at = process.argv.indexOf(`--${name}`);
  return at === -1 ? fallback : process.argv[at + 1]!;
}
const REPLICAS = Number(arg("replicas", "1"));
const RATES = arg("rates", "5,10,20,40").split(",").map(Number);
const SECONDS = Number(arg("seconds", "10"));
const KILL = process.argv.includes("--kill");
const REDIS_RESTART = process.argv.includes("--redis-restart");

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function peakRssMb(pid: number | undefined): number | null {
  try {
    const kb = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1];
    return kb ? Math.round(Number(kb) / 1024) : null;
  } catch {
    return null;
  }
}

async function main(): Promise<void> {
  const redis = await startRedis({ persist: true });
  const fake = new FakeGitHub({ appId: APP_ID, publicKeyPem: appKeys.publicKey, validateBodies: false });
  const { host } = await fake.start();
  fake.addInstallation(INSTALLATION_ID, "kernel");
  fake.addRepo("kernel", "linux");
  const { env, cleanup } = appEnv(host, { REDIS_URL: redis.url, QUEUE_LOCK_MS: "2000", REVIEW_WORKERS: "1", LOG_LEVEL: "info" });
  const replicas: AppProcess[] = [];
  const logs: (() => string)[] = [];
  const rss = new Map<number, number>();
  const start = async (i: number) => {
    const p = await spawnApp(env);
    replicas[i] = p;
    logs.push(p.log);
    return p;
  };
  for (let i = 0; i < REPLICAS; i++) await start(i);

  // Enough distinct series for every webhook, built before the clock starts.
  const series = Array.from({ length: 16 }, (_, i) => syntheticSeries({ seed: i + 1, commits: 2, filesPerCommit: 5, hunksPerFile: 2 }));
  let number = 0;
  const sentHeads: { number: number; headSha: string }[] = [];
  console.log(`patchwarden load: ${REPLICAS} replica(s), REVIEW_WORKERS=1 each, ${Math.round(series.reduce((n, s) => n + s.changedLines, 0) / series.length)} changed lines per pull request, ${SECONDS} s per rate${KILL ? ", one replica SIGKILLed and restarted halfway" : ""}${REDIS_RESTART ? ", Redis restarted halfway" : ""}`);

  for (const rate of RATES) {
    const heads: string[] = [];
    const answers: number[] = [];
    const refused: (() => Promise<Response>)[] = [];
    const total = rate * SECONDS;
    const t0 = performance.now();
    const inflight: Promise<void>[] = [];
    let disrupted = false;
    for (let i = 0; i < total; i++) {
      const due = t0 + (i * 1000) / rate;
      const wait = due - performance.now();
      if (wait > 0) await sleep(wait);
      if (!disrupted && i >= total / 2) {
        disrupted = true;
        if (KILL) {
          const victim = replicas[0]!;
          rss.set(victim.proc.pid!, peakRssMb(victim.proc.pid) ?? 0);
          await victim.kill("SIGKILL");
          void start(0);
        }
        if (REDIS_RESTART) void redis.kill().then(() => sleep(1000)).then(() => redis.start());
      }
      const n = ++number;
      const s = series[n % series.length]!;
      const headSha = n.toString(16).padStart(40, "d");
      fake.addPullRequest("kernel", "linux", { number: n, title: `series ${n}`, headSha, baseRef: "master", baseSha: "c".repeat(40), user: "contributor", patch: s.patches.join("\n") });
      heads.push(headSha);
      sentHeads.push({ number: n, headSha });
      const target = replicas.filter((r) => r.proc.exitCode === null && r.proc.signalCode === null);
      const to = target[i % target.length] ?? replicas[0]!;
      const delivery = `load-${n}`;
      const send = () => sendWebhook(to.url, "pull_request", pullPayload("opened", { number: n, headSha, baseSha: "c".repeat(40), commits: 2, files: s.files }), { delivery });
      const sentAt = performance.now();
      inflight.push(
        send().then(
          (res) => {
            answers.push(performance.now() - sentAt);
            if (res.status !== 200) refused.push(send);
          },
          () => void refused.push(send),
        ),
      );
    }
    await Promise.all(inflight);
    // GitHub's redelivery of what was refused, once the replicas are ready again.
    for (const again of refused) {
      for (;;) {
        const live = replicas.filter((r) => r.proc.exitCode === null);
        const ready = await Promise.all(live.map((r) => fetch(`${r.url}/readyz`).then((x) => x.ok, () => false)));
        if (ready.some(Boolean)) break;
        await sleep(100);
      }
      const res = await again().catch(() => null);
      if (!res || res.status !== 200) refused.push(again);
      if (refused.length > total * 3) break;
    }
    // Wait for every head to have its check run (or give up after a minute of no progress).
    let last = -1;
    let still = 0;
    for (;;) {
      const done = heads.filter((h) => fake.checkRuns("kernel", "linux", h).length > 0).length;
      if (done === heads.length) break;
      still = done === last ? still + 1 : 0;
      if (still > 600) break;
      last = done;
      await sleep(100);
    }
    const wanted = new Set(heads);
    const latencies = logs
      .flatMap((l) => l().split("\n"))
      .filter((l) => l.includes('"msg":"reviewed"'))
      .map((l) => JSON.parse(l) as { head: string; latencyMs: number })
      .filter((r) => wanted.has(r.head))
      .map((r) => r.latencyMs)
      .sort((a, b) => a - b);
    answers.sort((a, b) => a - b);
    console.log(
      `  ${String(rate).padStart(3)} webhooks/s: webhook to review p50 ${percentile(latencies, 50).toFixed(0)} ms, p95 ${percentile(latencies, 95).toFixed(0)} ms, max ${latencies.at(-1)?.toFixed(0)} ms; answered p95 ${percentile(answers, 95).toFixed(0)} ms; ${refused.length} answered 503 and sent again`,
    );
    await sleep(500);
  }

  let lost = 0;
  let duplicated = 0;
  for (const { number: n, headSha } of sentHeads) {
    const checks = fake.checkRuns("kernel", "linux", headSha).length;
    const reviews = fake.reviews("kernel", "linux", n).length;
    if (checks === 0) lost++;
    if (checks > 1 || reviews > 1) duplicated++;
  }
  for (const r of replicas) rss.set(r.proc.pid!, peakRssMb(r.proc.pid) ?? 0);
  console.log(`  ${sentHeads.length} pull requests: ${lost} lost (no check run), ${duplicated} duplicated (more than one check run or review)`);
  console.log(`  peak RSS per replica process: ${[...rss.values()].map((mb) => `${mb} MB`).join(", ")}`);
  await Promise.all(replicas.map((r) => r.kill("SIGTERM")));
  await fake.stop();
  await redis.stop();
  cleanup();
}

await main();
