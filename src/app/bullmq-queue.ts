import { Queue, Worker, type Job } from "bullmq";
import { Redis } from "ioredis";
import { RedisDeliveries, type DeliveryMemory } from "./deliveries.js";
import { jobKey, QueueUnavailable, RETRIES, type GaveUp, type Processor, type QueueCounts, type ReviewJob, type ReviewQueue } from "./review-job.js";

// Reviews as BullMQ jobs on Redis: any replica's worker runs any job, and a
// job whose worker died (its lock not renewed for `lockMs`) is moved back to
// waiting by another replica's stalled-job check and run there.
//
// One job per pull request and head: the head's key is the job's
// de-duplication id. An event for a head whose job is waiting is that job;
// for a head whose job is running, BullMQ keeps it (the latest only) and
// queues it when the running one ends (`keepLastIfActive`), so a label added
// mid-review is not lost and one head never runs twice at once.

export interface BullQueueOptions {
  url: string;
  /** Jobs one replica runs at once. */
  concurrency: number;
  /** How long a job's lock lasts unrenewed: a dead replica's job is taken over after about this long (twice at most). */
  lockMs?: number;
  prefix?: string;
  onError: (job: ReviewJob | null, err: unknown) => void;
  /** Connection trouble, said once per outage. */
  onRedisDown?: (err: Error) => void;
}

const QUEUE = "reviews";
/** A job whose replica died under it this many times is not run again (it may be what kills them). */
const MAX_STALLS = 2;
/** Work that is not a review (the failed-delivery sweep). */
const CHORES = "chores";
/** A webhook waits at most this long for Redis before it is answered 503. */
const COMMAND_TIMEOUT_MS = 2_000;
/** Reconnect attempts at most this far apart (ioredis' default is 2 s): webhooks are taken again soon after Redis is back. */
const retryStrategy = (times: number) => Math.min(times * 50, 500);
/** A webhook waits this long for a connection being made: one reconnect attempt, no more. */
const CONNECT_WAIT_MS = 600;

export class BullQueue implements ReviewQueue {
  private readonly producer: Redis;
  private readonly queue: Queue<ReviewJob>;
  private readonly deliveries: DeliveryMemory;
  private worker: Worker<ReviewJob> | null = null;
  private readonly tasks = new Map<string, () => Promise<void>>();
  private chores: { queue: Queue; worker: Worker; connection: Redis } | null = null;
  private workerConnection: Redis | null = null;
  private down = false;

  constructor(private readonly options: BullQueueOptions) {
    // The webhook's connection fails fast rather than queueing commands
    // offline: a job that cannot be stored must be answered 503 while
    // GitHub still waits, not acknowledged after ten seconds.
    this.producer = new Redis(options.url, { enableOfflineQueue: false, maxRetriesPerRequest: 1, commandTimeout: COMMAND_TIMEOUT_MS, connectTimeout: COMMAND_TIMEOUT_MS, retryStrategy });
    this.watch(this.producer);
    this.queue = new Queue<ReviewJob>(QUEUE, { connection: this.producer, prefix: this.prefix });
    this.queue.on("error", () => undefined);
    this.deliveries = new RedisDeliveries(this.producer, this.prefix);
  }

  private get prefix(): string {
    return this.options.prefix ?? "patchwarden";
  }

  private watch(redis: Redis): void {
    redis.on("error", (err: Error) => {
      if (this.down) return;
      this.down = true;
      this.options.onRedisDown?.(err);
    });
    redis.on("ready", () => (this.down = false));
  }

  /**
   * Without an offline queue a command fails at once while the connection
   * is (re)connecting: just after start, or just after Redis came back.
   * Wait for it that long, at most.
   */
  private async connected(): Promise<void> {
    if (this.producer.status === "ready" || this.producer.status === "end") return;
    let timer: NodeJS.Timeout | undefined;
    let onReady!: () => void;
    await new Promise<void>((resolve) => {
      onReady = resolve;
      this.producer.once("ready", onReady);
      timer = setTimeout(resolve, CONNECT_WAIT_MS);
    });
    clearTimeout(timer);
    this.producer.off("ready", onReady);
  }

  async add(delivery: string, job: ReviewJob): Promise<"queued" | "duplicate"> {
    let first: boolean;
    try {
      await this.connected();
      first = await this.deliveries.firstTime(delivery);
    } catch (err) {
      throw new QueueUnavailable(err);
    }
    if (!first) return "duplicate";
    try {
      await this.queue.add("review", job, {
        deduplication: { id: jobKey(job), keepLastIfActive: true },
        attempts: RETRIES.attempts,
        backoff: { type: "exponential", delay: RETRIES.backoffMs },
        removeOnComplete: { count: 1000 },
        removeOnFail: { count: 1000 },
      });
    } catch (err) {
      // Unsee it, so that GitHub's redelivery of this 503 is taken.
      await this.deliveries.forget(delivery).catch(() => undefined);
      throw new QueueUnavailable(err);
    }
    return "queued";
  }

  start(processor: Processor, gaveUp?: GaveUp): void {
    const lockMs = this.options.lockMs ?? 30_000;
    // BullMQ's worker connections retry forever (maxRetriesPerRequest: null): a Redis restart pauses them, it does not end them.
    const connection = new Redis(this.options.url, { maxRetriesPerRequest: null, retryStrategy });
    this.workerConnection = connection;
    this.watch(connection);
    this.worker = new Worker<ReviewJob>(
      QUEUE,
      async (job: Job<ReviewJob>, token?: string) => {
        const number = job.attemptsMade + 1;
        // Extending the lock answers whether it is still ours (1), and keeps it for the posting that follows.
        const stillOwned = async () => token !== undefined && (await job.extendLock(token, lockMs).catch(() => 0)) === 1;
        await processor(job.data, { number, final: number >= (job.opts.attempts ?? 1), stillOwned });
      },
      { connection, prefix: this.prefix, concurrency: this.options.concurrency, lockDuration: lockMs, stalledInterval: lockMs, maxStalledCount: MAX_STALLS },
    );
    this.worker.on("error", () => undefined);
    this.worker.on("failed", (job, err) => {
      // Not retried: its attempts are used up, or it stalled more than maxStalledCount times.
      const stalled = /stalled more than allowable limit/.test(err.message);
      if (job && !stalled && job.attemptsMade < (job.opts.attempts ?? 1)) return;
      this.options.onError(job?.data ?? null, err);
      if (job && gaveUp) void gaveUp(job.data, err, stalled ? MAX_STALLS + 1 : job.attemptsMade).catch(() => undefined);
    });
  }

  async idle(): Promise<void> {
    for (;;) {
      await this.connected();
      // While Redis is away there is no knowing: ask again once it is back.
      const c = await this.queue.getJobCounts("waiting", "active", "delayed", "prioritized", "waiting-children").catch(() => null);
      if (c && Object.values(c).every((n) => n === 0)) return;
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  async notReady(): Promise<string | null> {
    try {
      await this.connected();
      await this.producer.ping();
    } catch (err) {
      return `Redis does not answer: ${(err as Error).message}`;
    }
    if (!this.worker?.isRunning()) return "the queue's worker is not running";
    return null;
  }

  async counts(): Promise<QueueCounts> {
    await this.connected();
    const c = await this.queue.getJobCounts("waiting", "active", "delayed", "failed", "prioritized");
    return { waiting: (c.waiting ?? 0) + (c.prioritized ?? 0), active: c.active ?? 0, delayed: c.delayed ?? 0, failed: c.failed ?? 0 };
  }

  async every(name: string, everyMs: number, task: () => Promise<void>): Promise<void> {
    this.tasks.set(name, task);
    if (!this.chores) {
      const queue = new Queue(CHORES, { connection: this.producer, prefix: this.prefix });
      queue.on("error", () => undefined);
      const connection = new Redis(this.options.url, { maxRetriesPerRequest: null, retryStrategy });
      const worker = new Worker(CHORES, async (job: Job) => this.tasks.get(job.name)?.(), { connection, prefix: this.prefix, concurrency: 1 });
      worker.on("error", () => undefined);
      this.chores = { queue, worker, connection };
    }
    await this.connected();
    // Every replica upserts the same scheduler: there is one, and each run is one job, taken by one replica.
    await this.chores.queue.upsertJobScheduler(name, { every: everyMs }, { name, opts: { removeOnComplete: true, removeOnFail: 100 } });
  }

  async claim(key: string): Promise<boolean> {
    return this.deliveries.firstTime(`claim:${key}`);
  }

  async close(graceMs = 25_000): Promise<void> {
    if (this.chores) {
      await this.chores.worker.close();
      await this.chores.queue.close();
      this.chores.connection.disconnect();
    }
    if (this.worker) {
      // A job still running after the grace period keeps its lock until it
      // expires; then another replica's stalled check takes it over.
      let timer: NodeJS.Timeout | undefined;
      const graceful = this.worker.close();
      const late = new Promise<"late">((r) => (timer = setTimeout(() => r("late"), graceMs)));
      if ((await Promise.race([graceful, late])) === "late") await this.worker.close(true);
      clearTimeout(timer);
    }
    await this.queue.close();
    this.workerConnection?.disconnect();
    this.producer.disconnect();
  }
}
