// A real redis-server on a loopback port for the tests that need one
// (.ci/run installs Debian's redis-server; nothing else provides it).
import { spawn, type ChildProcess } from "node:child_process";
import { Redis } from "ioredis";
import { freePort } from "./ports.js";


export interface RedisServer {
  url: string;
  client(): Redis;
  stop(): Promise<void>;
}

export async function startRedis(): Promise<RedisServer> {
  const port = await freePort();
  const proc: ChildProcess = spawn("redis-server", ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"], { stdio: "ignore" });
  const failed = new Promise<never>((_, reject) => proc.once("error", (err) => reject(new Error(`cannot start redis-server (install it: apt-get install redis-server): ${err.message}`))));
  const url = `redis://127.0.0.1:${port}`;
  const clients: Redis[] = [];
  const probe = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
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
  return {
    url,
    client: () => {
      const c = new Redis(url, { maxRetriesPerRequest: 1 });
      clients.push(c);
      return c;
    },
    stop: async () => {
      await Promise.all(clients.map((c) => c.quit().catch(() => {})));
      proc.kill("SIGTERM");
      await new Promise((r) => proc.once("exit", r));
    },
  };
}
