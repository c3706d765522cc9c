import type { Redis } from "ioredis";

// GitHub redelivers a delivery under the same id (by hand, or when asked
// through the API); one id is handled once. With Redis the memory is shared
// by every replica.

export interface DeliveryMemory {
  /** True the first time an id is seen. */
  firstTime(id: string): Promise<boolean>;
  /** Unsees an id whose job could not be stored, so its redelivery is taken. */
  forget(id: string): Promise<void>;
}

/** GitHub lets a delivery be redelivered for three days. */
const DELIVERY_TTL_SECONDS = 3 * 24 * 3600;

export class InMemoryDeliveries implements DeliveryMemory {
  private readonly seen = new Set<string>();
  constructor(private readonly capacity = 10_000) {}
  async firstTime(id: string): Promise<boolean> {
    if (this.seen.has(id)) return false;
    this.seen.add(id);
    if (this.seen.size > this.capacity) this.seen.delete(this.seen.values().next().value!);
    return true;
  }
  async forget(id: string): Promise<void> {
    this.seen.delete(id);
  }
}

export class RedisDeliveries implements DeliveryMemory {
  constructor(private readonly redis: Redis, private readonly prefix = "patchwarden") {}
  async firstTime(id: string): Promise<boolean> {
    return (await this.redis.set(`${this.prefix}:delivery:${id}`, "1", "EX", DELIVERY_TTL_SECONDS, "NX")) === "OK";
  }
  async forget(id: string): Promise<void> {
    await this.redis.del(`${this.prefix}:delivery:${id}`);
  }
}
