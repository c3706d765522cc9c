import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { Piscina } from "piscina";
import type { AnalysisInput, AnalysisResult } from "../engine/job.js";
import type { PoolSettings } from "./pool-settings.js";

// Reviews run on worker threads so that a slow one (a pathological line, a
// hostile config) cannot stop the server answering webhooks, /healthz, or
// other installations' reviews. A job over its time limit has its thread
// terminated (piscina's abort); a job over its memory limit is stopped by V8.

export type Analysis = AnalysisResult | { kind: "over-budget"; budget: "time" | "memory"; limit: string };

/** Runs the CPU-bound part of a review somewhere it can be stopped. */
export interface Analyzer {
  analyze(input: AnalysisInput): Promise<Analysis>;
  close(): Promise<void>;
}

export class ReviewPool implements Analyzer {
  private pool: Piscina<AnalysisInput, AnalysisResult> | null = null;
  private running = 0;
  private readonly waiting: (() => void)[] = [];

  /** `workerFile` is for tests that need a deliberately slow worker. */
  constructor(
    readonly settings: PoolSettings,
    private readonly workerFile: URL = defaultWorkerFile(),
  ) {}

  /** Starts the threads now rather than on the first review (they load the rules and tree-sitter). */
  start(): void {
    if (this.pool) return;
    if (!existsSync(fileURLToPath(this.workerFile))) throw new Error(`review worker ${fileURLToPath(this.workerFile)} is missing: run \`npm run build\``);
    this.pool = new Piscina({
      filename: this.workerFile.href,
      minThreads: this.settings.workers,
      maxThreads: this.settings.workers,
      resourceLimits: { maxOldGenerationSizeMb: this.settings.memoryMb },
      // The threads read untrusted patches; they need none of the app's
      // secrets (PRIVATE_KEY, WEBHOOK_SECRET, a REDIS_URL with a password).
      env: workerEnv(),
    });
  }

  async analyze(input: AnalysisInput): Promise<Analysis> {
    // Our own gate rather than piscina's queue: the time limit must count a
    // job's run, not its wait behind two slow ones.
    await this.acquire();
    try {
      return await this.runLimited(input);
    } finally {
      this.release();
    }
  }

  async close(): Promise<void> {
    const pool = this.pool;
    this.pool = null;
    await pool?.destroy();
  }

  private async runLimited(input: AnalysisInput): Promise<Analysis> {
    this.start();
    const abort = new AbortController();
    const timer = setTimeout(() => abort.abort(), this.settings.timeLimitMs);
    try {
      return await this.pool!.run(input, { signal: abort.signal });
    } catch (err) {
      if (abort.signal.aborted) return { kind: "over-budget", budget: "time", limit: seconds(this.settings.timeLimitMs) };
      if ((err as { code?: string }).code === "ERR_WORKER_OUT_OF_MEMORY") return { kind: "over-budget", budget: "memory", limit: `${this.settings.memoryMb} MB` };
      throw err;
    } finally {
      clearTimeout(timer);
    }
  }

  private acquire(): Promise<void> {
    if (this.running < this.settings.workers) {
      this.running++;
      return Promise.resolve();
    }
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  private release(): void {
    const next = this.waiting.shift();
    // The slot passes straight to the next waiter, so `running` stays put.
    if (next) next();
    else this.running--;
  }
}

const WORKER_ENV = ["NODE_ENV", "TZ", "LANG", "LC_ALL"];

function workerEnv(): Record<string, string> {
  const env: Record<string, string> = {};
  for (const name of WORKER_ENV) if (process.env[name] !== undefined) env[name] = process.env[name]!;
  return env;
}

function seconds(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000} s` : `${(ms / 1000).toFixed(1)} s`;
}

function defaultWorkerFile(): URL {
  // Under ts-jest this module is its TypeScript source, which a worker
  // thread cannot load; `npm test` builds dist/ first, so use the build.
  if (import.meta.url.endsWith(".ts")) return new URL("../../dist/src/app/review-worker.js", import.meta.url);
  return new URL("./review-worker.js", import.meta.url);
}
