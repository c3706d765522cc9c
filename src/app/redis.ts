import { randomUUID } from "node:crypto";
import type { Redis } from "ioredis";
import type { DeliveryMemory, PullLock } from "./queue.js";

const DELIVERY_TTL_SECONDS = 3 * 24 * 3600; // GitHub redelivers for up to 3 days
const LOCK_TTL_MS = 120_000; // longer than any review; expires if a replica dies holding it
const LOCK_POLL_MS = 50;

export class RedisDeliveries implements DeliveryMemory {
  constructor(private readonly redis: Redis, private readonly prefix = "patchwarden") {}
  async firstTime(id: string): Promise<boolean> {
    return (await this.redis.set(`${this.prefix}:delivery:${id}`, "1", "EX", DELIVERY_TTL_SECONDS, "NX")) === "OK";
  }
}

// Deletes the key only if it still holds our token: a lock that expired and
// was taken by another replica is not ours to release.
const RELEASE = `if redis.call("get", KEYS[1]) == ARGV[1] then return redis.call("del", KEYS[1]) else return 0 end`;

export class RedisLock implements PullLock {
  constructor(private readonly redis: Redis, private readonly prefix = "patchwarden", private readonly waitMs = LOCK_TTL_MS) {}

  async withLock<T>(key: string, job: () => Promise<T>): Promise<T> {
    const lockKey = `${this.prefix}:lock:${key}`;
    const token = randomUUID();
    const deadline = Date.now() + this.waitMs;
    while ((await this.redis.set(lockKey, token, "PX", LOCK_TTL_MS, "NX")) !== "OK") {
      if (Date.now() > deadline) throw new Error(`timed out waiting for the review lock of ${key}`);
      await new Promise((r) => setTimeout(r, LOCK_POLL_MS));
    }
    try {
      return await job();
    } finally {
      await this.redis.eval(RELEASE, 1, lockKey, token);
    }
  }
}
