import { createHmac, timingSafeEqual } from "node:crypto";
import type { IncomingMessage } from "node:http";

// Stands in front of Probot's webhook middleware, which reads a body whole
// before it checks the signature (a 100 MB body took 2.5 GB) and logs a
// rejected one with its payload. Here the size is capped while the body
// streams in, and the signature is checked on the bytes as they arrive, so
// an unsigned or oversized body is refused and dropped without reaching
// Probot or the log.

/** GitHub caps webhook payloads at 25 MB. */
export const MAX_WEBHOOK_BYTES = 25 * 1024 * 1024;

/**
 * Bytes of bodies held at once, across requests: the per-body cap alone
 * lets N concurrent senders make the server hold N × 25 MB.
 */
export class BodyBudget {
  private held = 0;
  constructor(readonly max = 4 * MAX_WEBHOOK_BYTES) {}
  take(bytes: number): boolean {
    if (this.held + bytes > this.max) return false;
    this.held += bytes;
    return true;
  }
  give(bytes: number): void {
    this.held -= bytes;
  }
  get inUse(): number {
    return this.held;
  }
}

export type GuardVerdict =
  /** Signed and within the cap: the text to hand on. */
  | { ok: true; body: string }
  | { ok: false; status: 400 | 413 | 503; reason: string; bytes: number };

export interface GuardOptions {
  secret: string;
  maxBytes?: number;
  budget?: BodyBudget;
}

/**
 * Reads a webhook body of at most `maxBytes` and checks its
 * `X-Hub-Signature-256` against `secret`. Stops reading as soon as the body
 * is known to be too large (from Content-Length, or by counting), or when
 * holding it would take the server over its budget for bodies in flight.
 */
export function readSignedBody(req: IncomingMessage, options: GuardOptions): Promise<GuardVerdict> {
  const maxBytes = options.maxBytes ?? MAX_WEBHOOK_BYTES;
  const budget = options.budget ?? new BodyBudget();
  const declared = Number(req.headers["content-length"] ?? NaN);
  if (declared > maxBytes) return Promise.resolve(tooLarge(declared, maxBytes));
  const signature = req.headers["x-hub-signature-256"];
  if (typeof signature !== "string") return Promise.resolve({ ok: false, status: 400, reason: "no X-Hub-Signature-256 header", bytes: 0 });

  return new Promise((resolve) => {
    const hmac = createHmac("sha256", options.secret);
    const chunks: Buffer[] = [];
    let bytes = 0;
    const finish = (verdict: GuardVerdict) => {
      req.off("data", onData).off("end", onEnd).off("error", onError).off("close", onClose);
      budget.give(bytes);
      chunks.length = 0;
      resolve(verdict);
    };
    const onData = (chunk: Buffer) => {
      if (bytes + chunk.length > maxBytes) return finish(tooLarge(bytes + chunk.length, maxBytes, true));
      if (!budget.take(chunk.length)) return finish({ ok: false, status: 503, reason: `bodies in flight would take more than ${budget.max} bytes`, bytes });
      bytes += chunk.length;
      hmac.update(chunk);
      chunks.push(chunk);
    };
    const onEnd = () => {
      const expected = Buffer.from(`sha256=${hmac.digest("hex")}`);
      const given = Buffer.from(signature);
      if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
        return finish({ ok: false, status: 400, reason: "signature does not match the payload and the secret", bytes });
      }
      // Decoded before `finish` empties the list; the budget covered the chunks, not this copy.
      const body = Buffer.concat(chunks).toString("utf8");
      finish({ ok: true, body });
    };
    // The client went away before the end (an error, or just a close): nobody is left to answer.
    const onError = () => finish({ ok: false, status: 400, reason: "connection failed before the body ended", bytes });
    const onClose = () => finish({ ok: false, status: 400, reason: "connection closed before the body ended", bytes });
    req.on("data", onData).on("end", onEnd).once("error", onError).once("close", onClose);
  });
}

function tooLarge(bytes: number, max: number, counted = false): GuardVerdict {
  return { ok: false, status: 413, reason: `body ${counted ? "over" : "declared as"} ${bytes} bytes; webhooks are at most ${max}`, bytes };
}
