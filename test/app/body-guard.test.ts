import { describe, expect, it } from "@jest/globals";
import { createHmac } from "node:crypto";
import type { IncomingMessage } from "node:http";
import { PassThrough } from "node:stream";
import { BodyBudget, readSignedBody } from "../../src/app/body-guard.js";

const SECRET = "s3cret";
const sign = (body: string | Buffer) => `sha256=${createHmac("sha256", SECRET).update(body).digest("hex")}`;

/** A request body as a stream, with the headers the guard reads. */
function request(headers: Record<string, string>): PassThrough & IncomingMessage {
  return Object.assign(new PassThrough(), { headers }) as unknown as PassThrough & IncomingMessage;
}

describe("the webhook body guard", () => {
  it("hands on a signed body as received, split however it arrives", async () => {
    const body = JSON.stringify({ zen: "Design for failure.", text: "é" });
    const req = request({ "x-hub-signature-256": sign(body) });
    const verdict = readSignedBody(req, { secret: SECRET });
    const bytes = Buffer.from(body);
    req.write(bytes.subarray(0, 7));
    req.end(bytes.subarray(7));
    expect(await verdict).toEqual({ ok: true, body });
  });

  it("refuses a bad or missing signature with 400", async () => {
    const req = request({ "x-hub-signature-256": sign("something else") });
    const verdict = readSignedBody(req, { secret: SECRET });
    req.end('{"a":1}');
    expect(await verdict).toMatchObject({ ok: false, status: 400, reason: expect.stringContaining("signature does not match") });
    expect(await readSignedBody(request({}), { secret: SECRET })).toMatchObject({ ok: false, status: 400 });
  });

  it("refuses a body declared over the cap without reading any of it", async () => {
    const req = request({ "x-hub-signature-256": sign(""), "content-length": String(101) });
    expect(await readSignedBody(req, { secret: SECRET, maxBytes: 100 })).toMatchObject({ ok: false, status: 413, bytes: 101 });
    expect(req.readableFlowing).toBeNull();
  });

  it("stops reading a streamed body at the cap, and holds nothing after", async () => {
    const budget = new BodyBudget(1000);
    const req = request({ "x-hub-signature-256": sign("") });
    const verdict = readSignedBody(req, { secret: SECRET, maxBytes: 100, budget });
    for (let i = 0; i < 5; i++) req.write(Buffer.alloc(30, "x"));
    expect(await verdict).toMatchObject({ ok: false, status: 413, bytes: 120 });
    expect(budget.inUse).toBe(0);
  });

  it("answers 503 when the bodies in flight together would go over the budget", async () => {
    const budget = new BodyBudget(150);
    const first = request({ "x-hub-signature-256": sign(Buffer.alloc(100, "a")) });
    const second = request({ "x-hub-signature-256": sign(Buffer.alloc(100, "b")) });
    const one = readSignedBody(first, { secret: SECRET, budget });
    const two = readSignedBody(second, { secret: SECRET, budget });
    first.write(Buffer.alloc(100, "a"));
    second.write(Buffer.alloc(100, "b"));
    expect(await two).toMatchObject({ ok: false, status: 503 });
    first.end();
    expect(await one).toEqual({ ok: true, body: "a".repeat(100) });
    expect(budget.inUse).toBe(0);
  });

  it("gives its share back when the client goes away mid-body", async () => {
    const budget = new BodyBudget();
    const req = request({ "x-hub-signature-256": sign("") });
    const verdict = readSignedBody(req, { secret: SECRET, budget });
    req.write(Buffer.alloc(50));
    await new Promise((r) => setImmediate(r));
    expect(budget.inUse).toBe(50);
    req.destroy();
    expect(await verdict).toMatchObject({ ok: false, status: 400, reason: expect.stringContaining("closed before the body ended") });
    expect(budget.inUse).toBe(0);
  });
});
