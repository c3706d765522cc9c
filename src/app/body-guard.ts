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

export type GuardVerdict =
  /** Signed and within the cap: the text to hand on. */
  | { ok: true; body: string }
  | { ok: false; status: 400 | 413; reason: string; bytes: number };

/**
 * Reads a webhook body of at most `maxBytes` and checks its
 * `X-Hub-Signature-256` against `secret`. Stops reading as soon as the body
 * is known to be too large (from Content-Length, or by counting).
 */
export function readSignedBody(req: IncomingMessage, secret: string, maxBytes = MAX_WEBHOOK_BYTES): Promise<GuardVerdict> {
  const declared = Number(req.headers["content-length"] ?? NaN);
  if (declared > maxBytes) return Promise.resolve(tooLarge(declared, maxBytes));
  const signature = req.headers["x-hub-signature-256"];
  if (typeof signature !== "string") return Promise.resolve({ ok: false, status: 400, reason: "no X-Hub-Signature-256 header", bytes: 0 });

  return new Promise((resolve, reject) => {
    const hmac = createHmac("sha256", secret);
    const chunks: Buffer[] = [];
    let bytes = 0;
    const onData = (chunk: Buffer) => {
      bytes += chunk.length;
      if (bytes > maxBytes) {
        req.off("data", onData);
        req.off("end", onEnd);
        chunks.length = 0;
        resolve(tooLarge(bytes, maxBytes, true));
        return;
      }
      hmac.update(chunk);
      chunks.push(chunk);
    };
    const onEnd = () => {
      const expected = Buffer.from(`sha256=${hmac.digest("hex")}`);
      const given = Buffer.from(signature);
      if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
        resolve({ ok: false, status: 400, reason: "signature does not match the payload and the secret", bytes });
        return;
      }
      resolve({ ok: true, body: Buffer.concat(chunks).toString("utf8") });
    };
    req.on("data", onData);
    req.on("end", onEnd);
    req.once("error", reject);
  });
}

function tooLarge(bytes: number, max: number, counted = false): GuardVerdict {
  return { ok: false, status: 413, reason: `body ${counted ? "over" : "declared as"} ${bytes} bytes; webhooks are at most ${max}`, bytes };
}
