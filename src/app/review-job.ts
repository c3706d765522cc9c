// One review job: a pull request at one head. Only what identifies the work
// is stored; everything else (labels, draft, base) is read from GitHub when
// the job runs, so a job that waited or was retried acts on the present.

export interface ReviewJob {
  installation: number;
  owner: string;
  repo: string;
  pull_number: number;
  headSha: string;
  /**
   * The base the webhook named: MAINTAINERS there is read with the pull
   * request (the base it has when the job runs is what the review uses).
   * Absent in jobs stored by an older version.
   */
  baseSha?: string;
  /** The webhook action that asked last (an unrelated label is cheap to skip). */
  action: string;
  /** For labeled/unlabeled: the label and who acted. */
  label?: { name: string; sender: string };
  delivery: string;
  /** When the webhook arrived (ms since the epoch): review latency counts from here. */
  receivedAt: number;
}

/**
 * The job's identity: one per pull request and head, so a redelivery or a
 * second event for the same head is the same job. BullMQ keys may not hold
 * `:`, and GitHub names (owner, repository) cannot contain one.
 */
export function jobKey(job: Pick<ReviewJob, "owner" | "repo" | "pull_number" | "headSha">): string {
  return `${job.owner}/${job.repo}#${job.pull_number}@${job.headSha}`;
}

export interface Attempt {
  /** 1 for the first run. */
  number: number;
  /** No retry follows if this one fails. */
  final: boolean;
  /**
   * Whether this run still holds the job, asked right before posting: a run
   * whose lock lapsed (Redis went away mid-review) has been handed to another
   * replica, and two runs that both post leave two reviews. Absent where
   * nothing else can take the job (the in-memory queue).
   */
  stillOwned?: () => Promise<boolean>;
}

/** Runs one job; throwing asks for a retry (when `attempt.final` is false). */
export type Processor = (job: ReviewJob, attempt: Attempt) => Promise<void>;

/** Told of a job the queue stopped running after `runs` runs, for the pull request's sake. */
export type GaveUp = (job: ReviewJob, err: unknown, runs: number) => Promise<void>;

export interface QueueCounts {
  waiting: number;
  active: number;
  delayed: number;
  failed: number;
}

export interface ReviewQueue {
  /**
   * Records the delivery and stores its job. "duplicate": the delivery was
   * seen before. Throws QueueUnavailable when the job could not be stored
   * (the webhook must then not be acknowledged).
   */
  add(delivery: string, job: ReviewJob): Promise<"queued" | "duplicate">;
  /**
   * Starts taking jobs. `gaveUp` is told of a job that ended failed outside
   * the processor's own handling (BullMQ: stalled more often than allowed,
   * a replica dying on it each time), so that the pull request is told.
   */
  start(processor: Processor, gaveUp?: GaveUp): void;
  /** Resolves when no job is waiting, delayed or running (tests, shutdown). */
  idle(): Promise<void>;
  /** Why this replica should not get traffic, or null when it may. */
  notReady(): Promise<string | null>;
  counts(): Promise<QueueCounts>;
  /** Runs `task` every `everyMs` on one replica at a time (a BullMQ job scheduler; a timer in memory). */
  every(name: string, everyMs: number, task: () => Promise<void>): Promise<void>;
  /** True the first time `key` is claimed, on any replica (kept three days). */
  claim(key: string): Promise<boolean>;
  /** Stops taking jobs, lets the running ones finish (up to `graceMs`, then hands them back), and disconnects. */
  close(graceMs?: number): Promise<void>;
}

/** Retries for GitHub's 5xx, timeouts and rate limits; the backoff doubles from `backoffMs`. */
export const RETRIES = { attempts: 4, backoffMs: 2_000 };

export class QueueUnavailable extends Error {
  /** Read by @octokit/webhooks' middleware as the HTTP status to answer. */
  readonly status = 503;
  constructor(cause: unknown) {
    super(`the review queue is unavailable: ${(cause as Error)?.message ?? String(cause)}`);
    this.name = "QueueUnavailable";
  }
}
