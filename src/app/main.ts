// `npm start`: the server, configured from Probot's standard environment.
// Probot's own `probot run` would do, but its Octokit spaces every write a
// second apart (three for reviews) and, with REDIS_URL, installs ioredis 5 at
// run time with npx; this entry keeps the same variables and decides both.
// It also puts a guard in front of the webhook route (src/app/server.ts) and
// runs reviews on a pool of worker threads with limits (REVIEW_* variables).
import { readFileSync } from "node:fs";
import { Probot } from "probot";
import { AppOctokit } from "../github/octokit.js";
import { createApp } from "./index.js";
import { poolSettingsFrom } from "./pool-settings.js";
import { InMemoryDeliveries, noLock, type DeliveryMemory, type PullLock, type PullQueue } from "./queue.js";
import { ReviewPool } from "./review-pool.js";
import { startWebhookServer } from "./server.js";

function env(name: string): string | undefined {
  const v = process.env[name];
  return v === undefined || v === "" ? undefined : v;
}

function fail(message: string): never {
  process.stderr.write(`patchwarden: ${message}\n`);
  process.exit(2);
}

async function main(): Promise<void> {
  const appId = env("APP_ID") ?? fail("APP_ID is required");
  const privateKey = env("PRIVATE_KEY")?.replace(/\\n/g, "\n") ?? (env("PRIVATE_KEY_PATH") ? readFileSync(env("PRIVATE_KEY_PATH")!, "utf8") : fail("PRIVATE_KEY or PRIVATE_KEY_PATH is required"));
  // Without a secret anyone could make the app post reviews: refuse to start.
  const secret = env("WEBHOOK_SECRET") ?? fail("WEBHOOK_SECRET is required");
  const host = env("GHE_HOST");
  const baseUrl = host ? `${env("GHE_PROTOCOL") ?? "https"}://${host}/api/v3` : undefined;
  const port = Number(env("PORT") ?? 3000);
  const logLevel = (env("LOG_LEVEL") ?? "info") as "trace" | "debug" | "info" | "warn" | "error" | "fatal";
  let pool: ReviewPool;
  try {
    pool = new ReviewPool(poolSettingsFrom(env));
  } catch (err) {
    fail((err as Error).message);
  }

  let deliveries: DeliveryMemory = new InMemoryDeliveries();
  let lock: PullLock = noLock;
  const redisUrl = env("REDIS_URL");
  let closeRedis = async () => {};
  if (redisUrl) {
    const { Redis } = await import("ioredis");
    const { RedisDeliveries, RedisLock } = await import("./redis.js");
    const redis = new Redis(redisUrl, { maxRetriesPerRequest: 3 });
    deliveries = new RedisDeliveries(redis);
    lock = new RedisLock(redis);
    closeRedis = async () => void (await redis.quit());
  }

  let queue: PullQueue | null = null;
  pool.start();
  const server = await startWebhookServer({
    Probot: Probot.defaults({ appId, privateKey, secret, logLevel, Octokit: AppOctokit, ...(baseUrl ? { baseUrl } : {}) }),
    app: createApp({ deliveries, lock, analyzer: pool, onQueue: (q) => (queue = q) }),
    secret,
    port,
    host: env("HOST") ?? "0.0.0.0",
    webhookPath: "/api/github/webhooks",
  });

  const shutdown = async () => {
    await server.stop();
    await (queue as PullQueue | null)?.idle();
    await pool.close();
    await closeRedis();
    process.exit(0);
  };
  process.once("SIGTERM", shutdown);
  process.once("SIGINT", shutdown);
}

await main();
