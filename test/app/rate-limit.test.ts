import { describe, expect, it } from "@jest/globals";
import { Octokit as Core } from "@octokit/rest";
import { respectRetryAfter } from "../../src/github/rate-limit.js";
import type { Octokit } from "../../src/github/types.js";

function octokitAnswering(answers: { status: number; headers?: Record<string, string> }[]) {
  let i = 0;
  const fetch = async () => {
    const a = answers[Math.min(i++, answers.length - 1)]!;
    return new Response(JSON.stringify({ message: a.status === 200 ? "ok" : "limited" }), { status: a.status, headers: { "content-type": "application/json", ...a.headers } });
  };
  const quiet = { debug() {}, info() {}, warn() {}, error() {} };
  const octokit = new Core({ request: { fetch }, log: quiet }) as unknown as Octokit;
  return { octokit, calls: () => i };
}

describe("respectRetryAfter", () => {
  it("waits as long as Retry-After says, then retries", async () => {
    const { octokit, calls } = octokitAnswering([{ status: 403, headers: { "retry-after": "2" } }, { status: 200 }]);
    const slept: number[] = [];
    respectRetryAfter(octokit, async (ms) => void slept.push(ms));
    await octokit.request("GET /x");
    expect(slept).toEqual([2000]);
    expect(calls()).toBe(2);
  });

  it("gives up after two retries and does not retry a plain 403", async () => {
    const limited = octokitAnswering([{ status: 429, headers: { "retry-after": "0" } }]);
    respectRetryAfter(limited.octokit, async () => {});
    await expect(limited.octokit.request("GET /x")).rejects.toMatchObject({ status: 429 });
    expect(limited.calls()).toBe(3);
    const forbidden = octokitAnswering([{ status: 403 }]);
    respectRetryAfter(forbidden.octokit, async () => {});
    await expect(forbidden.octokit.request("GET /x")).rejects.toMatchObject({ status: 403 });
    expect(forbidden.calls()).toBe(1);
  });
});
