import { describe, expect, it } from "@jest/globals";
import { errorWithoutPayload, withoutRepeats } from "../../src/app/quiet-log.js";
import { QueueUnavailable } from "../../src/app/review-job.js";

// The shape @octokit/webhooks gives Probot's error handler for a bad
// signature: an AggregateError whose error and itself carry the event.
function webhookError(payload: string): Error {
  const event = { id: "delivery-1", name: "pull_request", payload, signature: "sha256=00" };
  const inner = Object.assign(new Error("[@octokit/webhooks] signature does not match event payload and secret"), { event, status: 400 });
  return Object.assign(new AggregateError([inner], inner.message), { event });
}

describe("errors as the app's logger writes them", () => {
  it("keep what identifies the delivery and drop the payload, at every level", () => {
    const out = errorWithoutPayload(webhookError(`{"hunter2":"${"x".repeat(1000)}"}`));
    const text = JSON.stringify(out);
    expect(text).not.toContain("hunter2");
    expect(text).not.toContain("xxxx");
    expect(out).toMatchObject({
      type: "AggregateError",
      event: { id: "delivery-1", name: "pull_request" },
      errors: [{ type: "Error", status: 400, message: expect.stringContaining("signature does not match"), event: { id: "delivery-1", name: "pull_request" } }],
    });
  });

  it("leave anything that is not an error as it is", () => {
    expect(errorWithoutPayload("text")).toBe("text");
  });
});

describe("errors already said", () => {
  it("a QueueUnavailable, alone or as the whole of an AggregateError, is dropped from error lines; other errors are written", () => {
    const written: unknown[][] = [];
    const fakeLog = { error: (...a: unknown[]) => void written.push(a), info: (...a: unknown[]) => void written.push(a), child: () => fakeLog, bindings: () => ({}) };
    const log = withoutRepeats(fakeLog as unknown as Parameters<typeof withoutRepeats>[0]);
    const unavailable = new QueueUnavailable(new Error("Redis away"));
    log.error(unavailable);
    log.error({ err: new AggregateError([unavailable], unavailable.message) }, "event failed");
    log.child({ name: "x" }).error({ err: unavailable }, "again");
    expect(written).toEqual([]);
    log.error(new AggregateError([unavailable, new Error("boom")], "two"));
    log.error({ err: new Error("other") }, "other");
    log.info("fine");
    expect(written).toHaveLength(3);
  });
});
