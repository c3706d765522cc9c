// Work arrives as webhooks, which GitHub abandons after 10 s: the handler
// queues the review and answers at once. Reviews of one pull request run one
// at a time and only the newest waiting event is kept (a burst of pushes is
// reviewed once, at the last head). Delivery ids are remembered so a
// redelivery does nothing. With Redis (several replicas), both the delivery
// memory and the per-pull-request lock live there.

export interface DeliveryMemory {
  /** True the first time an id is seen. */
  firstTime(id: string): Promise<boolean>;
}

export interface PullLock {
  /** Runs `job` holding the lock for `key` across replicas. */
  withLock<T>(key: string, job: () => Promise<T>): Promise<T>;
}

export class InMemoryDeliveries implements DeliveryMemory {
  private readonly seen = new Set<string>();
  constructor(private readonly capacity = 10_000) {}
  async firstTime(id: string): Promise<boolean> {
    if (this.seen.has(id)) return false;
    this.seen.add(id);
    if (this.seen.size > this.capacity) this.seen.delete(this.seen.values().next().value!);
    return true;
  }
}

export const noLock: PullLock = { withLock: (_key, job) => job() };

interface Slot {
  running: Promise<void> | null;
  pending: (() => Promise<void>) | null;
}

export class PullQueue {
  private readonly slots = new Map<string, Slot>();
  private readonly active = new Set<Promise<void>>();

  constructor(
    private readonly deliveries: DeliveryMemory,
    private readonly lock: PullLock,
    private readonly onError: (key: string, err: unknown) => void,
  ) {}

  /** Queues `job` for pull request `key`; false when the delivery was seen before. */
  async enqueue(deliveryId: string, key: string, job: () => Promise<void>): Promise<boolean> {
    if (!(await this.deliveries.firstTime(deliveryId))) return false;
    const slot = this.slots.get(key) ?? { running: null, pending: null };
    this.slots.set(key, slot);
    slot.pending = job;
    if (!slot.running) this.drain(key, slot);
    return true;
  }

  private drain(key: string, slot: Slot): void {
    const job = slot.pending;
    if (!job) {
      this.slots.delete(key);
      return;
    }
    slot.pending = null;
    const run = this.lock
      .withLock(key, job)
      .catch((err) => this.onError(key, err))
      .finally(() => {
        this.active.delete(run);
        slot.running = null;
        this.drain(key, slot);
      });
    slot.running = run;
    this.active.add(run);
  }

  /** Resolves when nothing is queued or running (for shutdown and tests). */
  async idle(): Promise<void> {
    while (this.active.size > 0) await Promise.allSettled([...this.active]);
  }
}
