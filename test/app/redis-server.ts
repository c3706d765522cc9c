// A real redis-server on a loopback port for the tests that need one
// (.ci/run installs Debian's redis-server; nothing else provides it).
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { Redis } from "ioredis";
import { freePort } from "./ports.js";

export interface RedisServer {
  url: string;
  client(): Redis;
  /** Stops the server (as a crash or a restart would); `start` brings it back on the same port. */
  kill(): Promise<void>;
  start(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * `persist`: an append-only file fsynced on every write, as a deployment
 * whose queue must survive a Redis restart runs it.
 */
export async function startRedis(options: { persist?: boolean } = {}): Promise<RedisServer> {
  const port = await freePort();
  const dir = options.persist ? mkdtempSync(path.join(tmpdir(), "patchwarden-redis-")) : null;
  const args = ["--port", String(port), "--bind", "127.0.0.1", "--save", "", ...(dir ? ["--appendonly", "yes", "--appendfsync", "always", "--dir", dir] : ["--appendonly", "no"])];
  const url = `redis://127.0.0.1:${port}`;
  const clients: Redis[] = [];
  let proc: ChildProcess | null = null;

  const start = async () => {
    const p = spawn("redis-server", args, { stdio: "ignore" });
    proc = p;
    const failed = new Promise<never>((_, reject) => p.once("error", (err) => reject(new Error(`cannot start redis-server (install it: apt-get install redis-server): ${err.message}`))));
    const probe = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
    probe.on("error", () => undefined);
    for (let i = 0; ; i++) {
      try {
        await Promise.race([probe.connect().then(() => probe.ping()), failed]);
        break;
      } catch (err) {
        if (i > 100 || (err as Error).message.startsWith("cannot start")) throw err;
        await new Promise((r) => setTimeout(r, 50));
      }
    }
    await probe.quit();
  };
  const kill = async () => {
    const p = proc;
    proc = null;
    if (!p || p.exitCode !== null) return;
    const exited = new Promise((r) => p.once("exit", r));
    p.kill("SIGTERM");
    await exited;
  };

  await start();
  return {
    url,
    client: () => {
      const c = new Redis(url, { maxRetriesPerRequest: 1 });
      clients.push(c);
      return c;
    },
    kill,
    start,
    stop: async () => {
      await Promise.all(clients.map((c) => c.quit().catch(() => {})));
      await kill();
      if (dir) rmSync(dir, { recursive: true, force: true });
    },
  };
}
