// Starts the real server (Probot's Server with our app) on a loopback port,
// pointed at the fake GitHub through its base URL, and sends webhooks signed
// the way GitHub signs them.
import { createHmac, generateKeyPairSync, randomUUID } from "node:crypto";
import { createRequire } from "node:module";
import { Probot } from "probot";
import { AppOctokit } from "../../src/github/octokit.js";
import { timedFetch } from "../../src/github/timeouts.js";
import { createApp } from "../../src/app/index.js";
import type { PoolSettings } from "../../src/app/pool-settings.js";
import { BullQueue } from "../../src/app/bullmq-queue.js";
import { MemoryQueue } from "../../src/app/memory-queue.js";
import type { ReviewQueue } from "../../src/app/review-job.js";
import { ReviewPool } from "../../src/app/review-pool.js";
import type { Mirrors } from "../../src/github/mirror.js";
import { startWebhookServer } from "../../src/app/server.js";
import { FakeGitHub } from "../fake-github/index.js";
import { freePort } from "./ports.js";

export const APP_ID = 4242;
export const INSTALLATION_ID = 77;
export const SECRET = "test-webhook-secret";

export interface Harness {
  fake: FakeGitHub;
  url: string;
  queue: ReviewQueue;
  reviewed: { calls: number; ms: number; conclusion: string | null }[];
  /** Stops this replica's server and worker only (a replica going away). */
  stopServer(): Promise<void>;
  stop(): Promise<void>;
}

const keys = generateKeyPairSync("rsa", {
  modulusLength: 2048,
  publicKeyEncoding: { type: "spki", format: "pem" },
  privateKeyEncoding: { type: "pkcs1", format: "pem" },
});

export interface HarnessOptions {
  /** Another replica: share this fake GitHub instead of starting one. */
  fake?: FakeGitHub;
  /** Queue on BullMQ in this Redis (else in memory). */
  redisUrl?: string;
  /** BullMQ's lock duration and stalled-check interval (default 2 s: a dead replica's job is taken over quickly). */
  lockMs?: number;
  /** Sweep for failed deliveries this often (default: no sweep). */
  sweepMs?: number;
  /** Longest one GitHub request may take. */
  requestTimeoutMs?: number;
  /** The review pool's size and limits (default: 2 workers, generous limits). */
  pool?: Partial<PoolSettings>;
  /** A worker module of the test's own (test/app/test-worker.mjs) instead of the app's. */
  workerFile?: URL;
  /** The app's mirrors, made for the fake's host ("127.0.0.1:PORT", its git smart HTTP); closed by stop(). */
  mirror?: (host: string) => Mirrors;
  /** Asked before each run posts, as BullMQ's lock check is (the in-memory queue has none): false, the run no longer holds its job. */
  stillOwned?: () => Promise<boolean>;
}

export async function startHarness(options: HarnessOptions = {}): Promise<Harness> {
  process.env.LOG_LEVEL ??= "fatal";
  const { privateKey } = keys;
  const shared = options.fake !== undefined;
  const fake = options.fake ?? new FakeGitHub({ appId: APP_ID, publicKeyPem: keys.publicKey });
  if (!shared) {
    await fake.start();
    fake.addInstallation(INSTALLATION_ID, "kernel");
  }
  const host = fake.baseUrl.replace(/^https?:\/\//, "").replace(/\/api\/v3\/?$/, "");
  const mirror = options.mirror?.(host);
  // The same Octokit settings as src/app/main.ts: no fixed spacing of writes;
  // retries of 5xx kept, but quick, so a flaky fake does not slow the suite.
  const Octokit = AppOctokit.defaults({ retry: { retryAfterBaseValue: 10 } });
  const pool = new ReviewPool({ workers: 2, timeLimitMs: 60_000, memoryMb: 512, ...options.pool }, ...(options.workerFile ? [options.workerFile] : []));
  pool.start();
  const onError = (_job: unknown, err: unknown) => {
    if (process.env.HARNESS_LOG_LEVEL) console.error(err);
  };
  const queue: ReviewQueue = options.redisUrl ? new BullQueue({ url: options.redisUrl, concurrency: 4, lockMs: options.lockMs ?? 2000, onError }) : new MemoryQueue(onError, undefined, { attempts: 3, backoffMs: 10 });
  if (options.stillOwned) {
    const start = queue.start.bind(queue);
    const stillOwned = options.stillOwned;
    queue.start = (processor, gaveUp) => start((job, attempt) => processor(job, { ...attempt, stillOwned }), gaveUp);
  }
  const reviewed: Harness["reviewed"] = [];
  const server = await startWebhookServer({
    Probot: Probot.defaults({ appId: APP_ID, privateKey, secret: SECRET, baseUrl: `http://${host}/api/v3`, Octokit, request: { fetch: timedFetch(options.requestTimeoutMs ?? 30_000) }, logLevel: (process.env.HARNESS_LOG_LEVEL ?? "fatal") as "fatal" }),
    app: createApp({
      analyzer: pool,
      ...(mirror ? { mirror } : {}),
      queue,
      onReviewed: (_e, o) => reviewed.push(o),
      ...(options.sweepMs ? { sweep: { everyMs: options.sweepMs, windowMs: 3_600_000 } } : {}),
    }),
    secret: SECRET,
    port: await freePort(),
    host: "127.0.0.1",
    webhookPath: "/api/github/webhooks",
  });
  return {
    fake,
    url: server.url,
    queue,
    reviewed,
    stopServer: async () => {
      await server.stop();
      await queue.close();
    },
    stop: async () => {
      await server.stop();
      await queue.idle();
      await queue.close();
      await pool.close();
      await mirror?.close();
      if (!shared) await fake.stop();
    },
  };
}

const require = createRequire(import.meta.url);
const examples = require("@octokit/webhooks-examples") as { name: string; examples: Record<string, unknown>[] }[];

/** A real example payload of `pull_request.<action>`, rewritten to point at our fake repository and pull request. */
export function pullPayload(action: string, pr: { number: number; headSha: string; baseSha: string; labels?: string[]; draft?: boolean; commits?: number; files?: number; headRef?: string; label?: string; sender?: string; owner?: string; installation?: number }): Record<string, unknown> {
  const example = structuredClone(examples.find((e) => e.name === "pull_request")!.examples.find((x) => x.action === action) ?? examples.find((e) => e.name === "pull_request")!.examples[0]!) as Record<string, any>;
  example.action = action;
  // Another owner is another installation's repository (`owner/linux`).
  const owner = pr.owner ?? "kernel";
  example.installation = { id: pr.installation ?? INSTALLATION_ID, node_id: "MDIz" };
  example.repository.name = "linux";
  example.repository.full_name = `${owner}/linux`;
  example.repository.owner.login = owner;
  example.number = pr.number;
  const p = example.pull_request;
  p.number = pr.number;
  p.state = "open";
  p.draft = pr.draft ?? false;
  p.head.sha = pr.headSha;
  p.head.ref = pr.headRef ?? "topic";
  p.base.sha = pr.baseSha;
  p.base.ref = "master";
  p.labels = (pr.labels ?? []).map((name, i) => ({ id: i + 1, name, color: "ededed", default: false }));
  p.commits = pr.commits ?? 1;
  p.changed_files = pr.files ?? 1;
  if (pr.label) example.label = { id: 99, name: pr.label, color: "ededed", default: false };
  else delete example.label;
  example.sender = { ...example.sender, login: pr.sender ?? "contributor" };
  if (action === "edited") example.changes = { title: { from: "old title" } };
  return example;
}

/** Posts a webhook like GitHub does; `secret: null` sends it unsigned. */
export async function sendWebhook(url: string, event: string, payload: unknown, opts: { secret?: string | null; delivery?: string } = {}): Promise<Response> {
  const body = JSON.stringify(payload);
  const headers: Record<string, string> = {
    "content-type": "application/json",
    "x-github-event": event,
    "x-github-delivery": opts.delivery ?? randomUUID(),
    "user-agent": "GitHub-Hookshot/test",
  };
  const secret = opts.secret === undefined ? SECRET : opts.secret;
  if (secret !== null) headers["x-hub-signature-256"] = `sha256=${createHmac("sha256", secret).update(body).digest("hex")}`;
  return fetch(`${url}/api/github/webhooks`, { method: "POST", headers, body });
}
