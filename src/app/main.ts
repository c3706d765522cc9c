// `npm start`: the server, configured from Probot's standard environment.
// Probot's own `probot run` would do, but its Octokit spaces every write a
// second apart (three for reviews) and, with REDIS_URL, installs ioredis 5 at
// run time with npx; this entry keeps the same variables and decides both.
// It also puts a guard in front of the webhook route (src/app/server.ts),
// runs reviews on a pool of worker threads with limits (REVIEW_* variables),
// and queues them on BullMQ when REDIS_URL is set.
import { mkdirSync } from "node:fs";
import path from "node:path";
import { Probot } from "probot";
import { MIRROR_DEFAULTS, Mirrors } from "../github/mirror.js";
import { AppOctokit } from "../github/octokit.js";
import { timedFetch } from "../github/timeouts.js";
import { BullQueue } from "./bullmq-queue.js";
import { createApp } from "./index.js";
import { MemoryQueue } from "./memory-queue.js";
import { poolSettingsFrom } from "./pool-settings.js";
import { readPrivateKey, signsJwt } from "./private-key.js";
import { jobKey, type ReviewQueue } from "./review-job.js";
import { ReviewPool } from "./review-pool.js";
import { startWebhookServer } from "./server.js";

function env(name: string): string | undefined {
  const v = process.env[name];
  return v === undefined || v === "" ? undefined : v;
}

/** One line on stderr and exit 2: a misconfiguration is not a crash to debug. */
function fail(message: string): never {
  process.stderr.write(`patchwarden: ${message}\n`);
  process.exit(2);
}

function whole(name: string, fallback: number, min: number): number {
  const raw = env(name);
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min) fail(`${name} must be a whole number of at least ${min}, not ${JSON.stringify(raw)}`);
  return n;
}

const LEVELS = ["trace", "debug", "info", "warn", "error", "fatal"] as const;

async function main(): Promise<void> {
  const appId = env("APP_ID") ?? fail("APP_ID is required");
  const key = readPrivateKey(env);
  if (!key.ok) fail(key.error);
  // Without a secret anyone could make the app post reviews: refuse to start.
  const secret = env("WEBHOOK_SECRET") ?? fail("WEBHOOK_SECRET is required");
  const host = env("GHE_HOST");
  const baseUrl = host ? `${env("GHE_PROTOCOL") ?? "https"}://${host}/api/v3` : undefined;
  const port = whole("PORT", 3000, 0);
  const logLevel = (env("LOG_LEVEL") ?? "info") as (typeof LEVELS)[number];
  if (!LEVELS.includes(logLevel)) fail(`LOG_LEVEL must be one of ${LEVELS.join(", ")}, not ${JSON.stringify(logLevel)}`);
  const logFormat = env("LOG_FORMAT") ?? "pretty";
  if (logFormat !== "json" && logFormat !== "pretty") fail(`LOG_FORMAT must be json or pretty, not ${JSON.stringify(logFormat)}`);
  const requestTimeoutMs = whole("GITHUB_TIMEOUT_MS", 30_000, 1000);
  const ProbotApp = Probot.defaults({ appId, privateKey: key.pem, secret, logLevel, logFormat, logLevelInString: env("LOG_LEVEL_IN_STRING") === "true", Octokit: AppOctokit, request: { fetch: timedFetch(requestTimeoutMs) }, ...(baseUrl ? { baseUrl } : {}) });
  const signed = await signsJwt(ProbotApp);
  if (signed) fail(`the private key (${key.source}) cannot sign the app's JWT: ${signed}`);

  let pool: ReviewPool;
  try {
    pool = new ReviewPool(poolSettingsFrom(env));
  } catch (err) {
    fail((err as Error).message);
  }
  const concurrency = whole("QUEUE_CONCURRENCY", pool.settings.workers * 2, 1);
  const lockMs = whole("QUEUE_LOCK_MS", 30_000, 1000);
  const graceMs = whole("SHUTDOWN_GRACE_MS", 25_000, 0);
  const sweepMs = whole("SWEEP_INTERVAL_MS", 300_000, 0);
  const sweep = sweepMs > 0 ? { everyMs: sweepMs, windowMs: whole("SWEEP_WINDOW_MS", 3_600_000, 60_000) } : undefined;
  // The base trees the rules read: one bare mirror per repository under MIRROR_DIR (unset: none, and reviews say so).
  const mirrorDir = env("MIRROR_DIR");
  let mirror: Mirrors | undefined;
  if (mirrorDir) {
    const dir = path.resolve(mirrorDir);
    try {
      mkdirSync(dir, { recursive: true });
    } catch (err) {
      fail(`MIRROR_DIR ${JSON.stringify(mirrorDir)} cannot be created: ${(err as Error).message}`);
    }
    mirror = new Mirrors({
      ...MIRROR_DEFAULTS,
      dir,
      // Where git fetches from: the GitHub the API is on.
      gitBase: host ? `${env("GHE_PROTOCOL") ?? "https"}://${host}` : "https://github.com",
      waitMs: whole("MIRROR_WAIT_MS", MIRROR_DEFAULTS.waitMs, 0),
      timeoutMs: whole("MIRROR_TIMEOUT_MS", MIRROR_DEFAULTS.timeoutMs, 1000),
    });
  }

  let log: { error(o: object, m: string): void; warn(o: object, m: string): void } = { error: () => undefined, warn: () => undefined };
  const onError = (job: Parameters<ConstructorParameters<typeof MemoryQueue>[0]>[0] | null, err: unknown) => log.error({ err, job: job && jobKey(job) }, "review failed");
  const redisUrl = env("REDIS_URL");
  const queue: ReviewQueue = redisUrl
    ? new BullQueue({ url: redisUrl, concurrency, lockMs, onError, onRedisDown: (err) => log.warn({ err: { message: err.message } }, "Redis connection lost; webhooks are answered 503 until it is back") })
    : new MemoryQueue(onError);

  pool.start();
  const server = await startWebhookServer({
    Probot: ProbotApp,
    app: createApp({ queue, analyzer: pool, ...(sweep ? { sweep } : {}), ...(mirror ? { mirror } : {}) }),
    secret,
    port,
    host: env("HOST") ?? "0.0.0.0",
    webhookPath: "/api/github/webhooks",
  });
  log = server.probot.log;

  // SIGTERM (an orchestrator's stop): no new webhooks, the running reviews
  // finish (or, past the grace period, are left for another replica), then exit.
  const shutdown = async (signal: string) => {
    server.probot.log.info({ signal }, "shutting down");
    await server.stop();
    await queue.close(graceMs);
    await pool.close();
    // A build or fetch still running is stopped; its temporary directory is removed.
    await mirror?.close();
    process.exit(0);
  };
  process.once("SIGTERM", () => void shutdown("SIGTERM"));
  process.once("SIGINT", () => void shutdown("SIGINT"));
}

await main();
