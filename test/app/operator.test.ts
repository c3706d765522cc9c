// What an operator sees of `npm start`: a misconfiguration is one line and
// exit 2, never a stack trace or a server that says ok and then fails;
// LOG_FORMAT and LOG_LEVEL are honoured; a bad signature is one warning
// line without the payload; /readyz follows Redis.
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { writeFileSync } from "node:fs";
import { FakeGitHub } from "../fake-github/index.js";
import { appEnv, appKeys, spawnApp } from "./app-process.js";
import { APP_ID, INSTALLATION_ID, pullPayload, sendWebhook } from "./harness.js";
import { startRedis, type RedisServer } from "./redis-server.js";

const SLOW = 30_000;
const MARKER = "PAYLOAD-MARKER-51c9";

let fake: FakeGitHub;
let host: string;
const cleanups: (() => void)[] = [];

beforeAll(async () => {
  fake = new FakeGitHub({ appId: APP_ID, publicKeyPem: appKeys.publicKey });
  ({ host } = await fake.start());
  fake.addInstallation(INSTALLATION_ID, "kernel");
  fake.addRepo("kernel", "linux");
});
afterAll(async () => {
  await fake?.stop();
  for (const c of cleanups) c();
});

function envWith(extra: Record<string, string> = {}) {
  const e = appEnv(host, extra);
  cleanups.push(e.cleanup);
  return e.env;
}

describe("refusing to start", () => {
  it("PRIVATE_KEY_PATH to a missing file: one line that names it, exit 2", async () => {
    const app = await spawnApp(envWith({ PRIVATE_KEY_PATH: "./private-key.pem" }), { waitListening: false });
    expect(await app.exited).toBe(2);
    expect(app.log()).toBe("patchwarden: PRIVATE_KEY_PATH ./private-key.pem cannot be read: no such file\n");
  }, SLOW);

  it("a key that cannot sign the app's JWT: one line, exit 2, before listening", async () => {
    const env = envWith();
    writeFileSync(env.PRIVATE_KEY_PATH!, "-----BEGIN RSA PRIVATE KEY-----\nnot a key\n-----END RSA PRIVATE KEY-----\n");
    const app = await spawnApp(env, { waitListening: false });
    expect(await app.exited).toBe(2);
    const lines = app.log().trimEnd().split("\n");
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^patchwarden: the private key \(PRIVATE_KEY_PATH .*key\.pem\) cannot sign the app's JWT: /);
    expect(app.log()).not.toContain("Listening");
  }, SLOW);

  it("LOG_FORMAT that is neither json nor pretty: one line, exit 2", async () => {
    const app = await spawnApp(envWith({ LOG_FORMAT: "xml" }), { waitListening: false });
    expect(await app.exited).toBe(2);
    expect(app.log()).toBe('patchwarden: LOG_FORMAT must be json or pretty, not "xml"\n');
  }, SLOW);
});

describe("logs", () => {
  it("LOG_FORMAT=json writes JSON lines; a bad signature is one warning with the delivery id and no payload", async () => {
    const app = await spawnApp(envWith({ LOG_LEVEL: "info" }));
    try {
      const payload = { ...pullPayload("opened", { number: 1, headSha: "a".repeat(40), baseSha: "c".repeat(40) }), secret: MARKER };
      expect((await sendWebhook(app.url, "pull_request", payload, { secret: "wrong", delivery: "bad-sig-1" })).status).toBe(400);
      expect((await fetch(`${app.url}/healthz`)).status).toBe(200);
      await app.kill("SIGTERM");
      const lines = app.log().trimEnd().split("\n");
      const records = lines.map((l) => JSON.parse(l) as { level: number; msg: string; delivery?: string });
      expect(app.log()).not.toContain(MARKER);
      const refused = records.filter((r) => r.delivery === "bad-sig-1");
      expect(refused).toEqual([expect.objectContaining({ level: 40, msg: expect.stringContaining("signature does not match") })]);
    } finally {
      await app.kill("SIGKILL");
    }
  }, SLOW);

  it("LOG_LEVEL=warn keeps info lines out", async () => {
    const app = await spawnApp(envWith({ LOG_LEVEL: "warn" }), { waitListening: false });
    try {
      // Nothing at info is written, not even "Listening on": wait for the port instead.
      let up = false;
      for (let i = 0; i < 400 && !up; i++) {
        up = await fetch(`${app.url}/healthz`).then((r) => r.ok, () => false);
        if (!up) await new Promise((r) => setTimeout(r, 25));
      }
      expect(up).toBe(true);
      await sendWebhook(app.url, "pull_request", {}, { secret: "wrong", delivery: "bad-sig-2" });
      await app.kill("SIGTERM");
      const records = app.log().trimEnd().split("\n").map((l) => JSON.parse(l) as { level: number; delivery?: string });
      expect(records.length).toBeGreaterThan(0);
      expect(records.every((r) => r.level >= 40)).toBe(true);
      expect(records.some((r) => r.delivery === "bad-sig-2")).toBe(true);
    } finally {
      await app.kill("SIGKILL");
    }
  }, SLOW);
});

describe("/readyz", () => {
  let redis: RedisServer;
  beforeAll(async () => {
    redis = await startRedis();
  });
  afterAll(async () => redis?.stop());

  it("is 200 while Redis answers and 503 while it does not; /healthz stays 200; a webhook meanwhile is 503", async () => {
    const app = await spawnApp(envWith({ REDIS_URL: redis.url }));
    try {
      expect((await fetch(`${app.url}/readyz`)).status).toBe(200);
      await redis.kill();
      const down = await fetch(`${app.url}/readyz`);
      expect(down.status).toBe(503);
      expect(((await down.json()) as { reason: string }).reason).toContain("Redis");
      expect((await fetch(`${app.url}/healthz`)).status).toBe(200);
      const pr = { number: 2, headSha: "2".padStart(40, "a"), baseSha: "c".repeat(40) };
      expect((await sendWebhook(app.url, "pull_request", pullPayload("opened", pr), { delivery: "while-down-1" })).status).toBe(503);
      // One warning for it, not a stack per layer. The request's own line comes last: wait for it.
      while (!app.log().includes("POST /api/github/webhooks 503")) await new Promise((r) => setTimeout(r, 20));
      expect(app.log().split("\n").filter((l) => l.includes("while-down-1")).map((l) => (JSON.parse(l) as { level: number; outcome: string }))).toEqual([expect.objectContaining({ level: 40, outcome: "refused 503" })]);
      await redis.start();
      let ready = 0;
      while (ready !== 200) {
        ready = (await fetch(`${app.url}/readyz`)).status;
        if (ready !== 200) await new Promise((r) => setTimeout(r, 50));
      }
      expect(ready).toBe(200);
    } finally {
      await app.kill("SIGKILL");
    }
  }, SLOW);
});

