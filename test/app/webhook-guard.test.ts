// The server as `npm start` runs it (dist/src/app/main.js in its own
// process, so its memory and its log are its own), against hostile webhook
// requests: bodies far over GitHub's 25 MB cap, bad and missing signatures.
// Before the guard, a 100 MB body with a bad signature took 2.5 GB before it
// was refused, and each rejected body was logged two or three times.
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { spawn, type ChildProcess } from "node:child_process";
import { createHmac, generateKeyPairSync, randomUUID } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { request } from "node:http";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { FakeGitHub } from "../fake-github/index.js";
import { renderSeries } from "../rules/rule-tester.js";
import { APP_ID, INSTALLATION_ID, pullPayload, SECRET, sendWebhook } from "./harness.js";
import { freePort } from "./ports.js";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const MB = 1024 * 1024;
// Whatever of a payload reaches the log carries this.
const MARKER = "PAYLOAD-MARKER-7f3a";
const CHUNK = Buffer.alloc(MB, `{"x":"${MARKER}"}`);

let fake: FakeGitHub;
let server: ChildProcess;
let url: string;
let log = "";
let dir: string;

beforeAll(async () => {
  const keys = generateKeyPairSync("rsa", { modulusLength: 2048, publicKeyEncoding: { type: "spki", format: "pem" }, privateKeyEncoding: { type: "pkcs1", format: "pem" } });
  dir = mkdtempSync(path.join(tmpdir(), "patchwarden-guard-"));
  writeFileSync(path.join(dir, "key.pem"), keys.privateKey);
  fake = new FakeGitHub({ appId: APP_ID, publicKeyPem: keys.publicKey });
  const { host } = await fake.start();
  fake.addInstallation(INSTALLATION_ID, "kernel");
  fake.addRepo("kernel", "linux");
  const port = await freePort();
  url = `http://127.0.0.1:${port}`;
  server = spawn(process.execPath, [path.join(ROOT, "dist/src/app/main.js")], {
    cwd: dir,
    stdio: ["ignore", "pipe", "pipe"],
    env: {
      PATH: process.env.PATH ?? "",
      APP_ID: String(APP_ID),
      PRIVATE_KEY_PATH: path.join(dir, "key.pem"),
      WEBHOOK_SECRET: SECRET,
      PORT: String(port),
      HOST: "127.0.0.1",
      GHE_HOST: host,
      GHE_PROTOCOL: "http",
      LOG_LEVEL: "info",
      REVIEW_WORKERS: "1",
    },
  });
  server.stdout!.on("data", (d: Buffer) => (log += d.toString("utf8")));
  server.stderr!.on("data", (d: Buffer) => (log += d.toString("utf8")));
  for (let i = 0; i < 400 && !log.includes("Listening on"); i++) await new Promise((r) => setTimeout(r, 25));
  if (!log.includes("Listening on")) throw new Error(`server did not start:\n${log}`);
}, 20_000);

afterAll(async () => {
  if (server && server.exitCode === null) {
    const exited = new Promise((r) => server.once("exit", r));
    server.kill("SIGTERM");
    await exited;
  }
  await fake?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** Peak resident memory of the server so far, in bytes (Linux), or null. */
function peakRss(): number | null {
  try {
    const kb = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${server.pid}/status`, "utf8"))?.[1];
    return kb ? Number(kb) * 1024 : null;
  } catch {
    return null;
  }
}

/**
 * POSTs `megabytes` of body to the webhook route, declared up front or
 * chunked, and stops sending once the server answers.
 */
function postBody(megabytes: number, opts: { declare: boolean; signature?: string }): Promise<{ status: number; sentMb: number }> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = { "content-type": "application/json", "x-github-event": "pull_request", "x-github-delivery": randomUUID() };
    if (opts.signature) headers["x-hub-signature-256"] = opts.signature;
    if (opts.declare) headers["content-length"] = String(megabytes * MB);
    const req = request(`${url}/api/github/webhooks`, { method: "POST", headers });
    let sent = 0;
    let answered: number | null = null;
    req.on("response", (res) => {
      answered = res.statusCode ?? 0;
      res.resume();
      res.on("end", () => {
        req.destroy();
        resolve({ status: answered!, sentMb: sent });
      });
    });
    // The server closes the connection on purpose once it has answered.
    req.on("error", (err) => (answered === null ? reject(err) : undefined));
    const pump = () => {
      while (answered === null && sent < megabytes) {
        sent++;
        if (!req.write(CHUNK)) return void req.once("drain", pump);
      }
      if (answered === null) req.end();
    };
    pump();
  });
}

const BAD = `sha256=${"0".repeat(64)}`;

/** Waits until the server's log has caught up with every request answered so far (it logs each one, in order). */
async function logCaughtUp(): Promise<void> {
  const probe = `/log-probe-${randomUUID()}`;
  await (await fetch(`${url}${probe}`)).arrayBuffer();
  for (let i = 0; i < 400 && !log.includes(probe); i++) await new Promise((r) => setTimeout(r, 25));
  if (!log.includes(probe)) throw new Error("the server's log did not catch up");
}

describe("webhook bodies over GitHub's 25 MB cap", () => {
  it("are refused with 413 before they are read whole, declared or streamed, and never logged", async () => {
    const before = peakRss();
    const declared = await postBody(100, { declare: true, signature: BAD });
    expect(declared.status).toBe(413);
    const streamed = await postBody(100, { declare: false, signature: BAD });
    expect(streamed.status).toBe(413);
    // The streamed body is read only up to the cap: the client was stopped well short of 100 MB.
    expect(streamed.sentMb).toBeLessThan(100);
    const after = peakRss();
    // Reading either body whole would need at least its 100 MB.
    if (before !== null && after !== null) expect(after - before).toBeLessThan(100 * MB);

    const health = await fetch(`${url}/healthz`);
    expect(health.status).toBe(200);
    await logCaughtUp();
    expect(log).toContain("webhook refused");
    // Booleans, not the log itself: a failure here would print megabytes.
    expect(log.includes(MARKER)).toBe(false);
  }, 60_000);
});

describe("bad signatures", () => {
  it("get 400, and five of them under the cap add a few lines to the log, without their payload", async () => {
    const start = log.length;
    for (let i = 0; i < 5; i++) expect((await postBody(20, { declare: true, signature: BAD })).status).toBe(400);
    expect((await postBody(1, { declare: true })).status).toBe(400);
    const payload = { ...pullPayload("opened", { number: 1, headSha: "a".repeat(40), baseSha: "c".repeat(40) }), marker: MARKER };
    expect((await sendWebhook(url, "pull_request", payload, { secret: "not-the-secret" })).status).toBe(400);
    await logCaughtUp();
    const written = log.slice(start);
    expect(written.includes(MARKER)).toBe(false);
    expect(written.length).toBeLessThan(16 * 1024);
  }, 60_000);

  it("and a signed webhook whose handling fails is logged without its payload", async () => {
    const start = log.length;
    // No pull_request in it: the app's handler throws, and Probot logs the error with the event attached.
    const res = await sendWebhook(url, "pull_request", { action: "opened", installation: { id: INSTALLATION_ID }, marker: MARKER });
    expect(res.status).toBe(500);
    await logCaughtUp();
    const written = log.slice(start);
    expect(written).toContain("TypeError");
    expect(written.includes(MARKER)).toBe(false);
  });

  it("leave the server reviewing signed webhooks", async () => {
    const headSha = "d".repeat(40);
    const patch = renderSeries([{ subject: "x86/mm: Tidy", files: [{ path: "arch/x86/mm/init.c", hunk: " \tfoo();\n+\tif (xen_pv_domain())\n+\t\treturn;\n \tbar();" }] }]);
    fake.addPullRequest("kernel", "linux", { number: 2, title: "t", headSha, baseRef: "master", baseSha: "c".repeat(40), user: "contributor", patch });
    const res = await sendWebhook(url, "pull_request", pullPayload("opened", { number: 2, headSha, baseSha: "c".repeat(40) }));
    expect(res.status).toBe(200);
    for (let i = 0; i < 400 && fake.checkRuns("kernel", "linux", headSha).length === 0; i++) await new Promise((r) => setTimeout(r, 25));
    expect(fake.checkRuns("kernel", "linux", headSha)[0]).toMatchObject({ conclusion: "failure" });
  }, 20_000);
});

// Keep the signing helper honest: a correct signature of the same bytes passes the guard.
describe("a signed body under the cap", () => {
  it("is handed to Probot as it was received", async () => {
    const body = JSON.stringify({ zen: "Keep it logically awesome.", hook_id: 1 });
    const res = await fetch(`${url}/api/github/webhooks`, {
      method: "POST",
      headers: { "content-type": "application/json", "x-github-event": "ping", "x-github-delivery": randomUUID(), "x-hub-signature-256": `sha256=${createHmac("sha256", SECRET).update(body).digest("hex")}` },
      body,
    });
    expect(res.status).toBe(200);
  });
});
