import { InMemoryDeliveries, type DeliveryMemory } from "./deliveries.js";
import { jobKey, RETRIES, type GaveUp, type Processor, type QueueCounts, type ReviewJob, type ReviewQueue } from "./review-job.js";

// Without REDIS_URL: one process, the same job semantics as the BullMQ
// queue (one job per pull request and head; an event for a head whose job is
// running is kept, the latest only, and run after it; retries with backoff),
// held in memory. A restart loses what is queued; replicas need Redis.

interface Slot {
  running: boolean;
  next: ReviewJob | null;
}

export class MemoryQueue implements ReviewQueue {
  private readonly slots = new Map<string, Slot>();
  private readonly active = new Set<Promise<void>>();
  private processor: Processor | null = null;
  private gaveUp: GaveUp | undefined;
  private closed = false;
  private failed = 0;

  constructor(
    private readonly onError: (job: ReviewJob, err: unknown) => void,
    private readonly deliveries: DeliveryMemory = new InMemoryDeliveries(),
    private readonly retries = RETRIES,
  ) {}

  async add(delivery: string, job: ReviewJob): Promise<"queued" | "duplicate"> {
    if (!(await this.deliveries.firstTime(delivery))) return "duplicate";
    const key = jobKey(job);
    const slot = this.slots.get(key);
    if (!slot) {
      this.slots.set(key, { running: false, next: job });
      this.kick(key);
    } else if (slot.running) slot.next = job;
    return "queued";
  }

  start(processor: Processor, gaveUp?: GaveUp): void {
    this.processor = processor;
    this.gaveUp = gaveUp;
    for (const key of this.slots.keys()) this.kick(key);
  }

  private kick(key: string): void {
    const slot = this.slots.get(key);
    if (!slot || slot.running || !this.processor || this.closed) return;
    slot.running = true;
    const run = this.drain(key, slot, this.processor).finally(() => this.active.delete(run));
    this.active.add(run);
  }

  private async drain(key: string, slot: Slot, processor: Processor): Promise<void> {
    while (slot.next && !this.closed) {
      const job = slot.next;
      slot.next = null;
      for (let n = 1; n <= this.retries.attempts; n++) {
        try {
          await processor(job, { number: n, final: n === this.retries.attempts });
          break;
        } catch (err) {
          if (n === this.retries.attempts) {
            this.failed++;
            this.onError(job, err);
            await this.gaveUp?.(job, err, n).catch(() => undefined);
          } else await new Promise((r) => setTimeout(r, this.retries.backoffMs * 2 ** (n - 1)));
        }
      }
    }
    slot.running = false;
    if (!slot.next) this.slots.delete(key);
  }

  async idle(): Promise<void> {
    while (this.active.size > 0) await Promise.allSettled([...this.active]);
  }

  async notReady(): Promise<string | null> {
    return this.processor && !this.closed ? null : "the queue is not taking jobs";
  }

  async counts(): Promise<QueueCounts> {
    let waiting = 0;
    let active = 0;
    for (const s of this.slots.values()) {
      if (s.running) active++;
      if (s.next) waiting++;
    }
    return { waiting, active, delayed: 0, failed: this.failed };
  }

  private readonly timers: NodeJS.Timeout[] = [];
  private readonly claimed = new InMemoryDeliveries();

  async every(_name: string, everyMs: number, task: () => Promise<void>): Promise<void> {
    const timer = setInterval(() => void task().catch(() => undefined), everyMs);
    timer.unref();
    this.timers.push(timer);
  }

  claim(key: string): Promise<boolean> {
    return this.claimed.firstTime(key);
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const t of this.timers) clearInterval(t);
    await this.idle();
  }
}
