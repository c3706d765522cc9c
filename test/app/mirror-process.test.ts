// `npm start` with MIRROR_DIR: the server process as an operator runs it,
// against the fake GitHub's API and git smart HTTP. The mirror's build and
// upkeep are logged with their time and disk use, no token reaches the log,
// the second review reads the tree; an unusable MIRROR_DIR is one line and
// exit 2.
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { FakeGitHub } from "../fake-github/index.js";
import { TestRepo } from "../history/test-repo.js";
import { appEnv, appKeys, spawnApp, type AppProcess } from "./app-process.js";
import { APP_ID, INSTALLATION_ID, pullPayload, sendWebhook } from "./harness.js";

const SLOW = 60_000;
const signed = "\n\nSigned-off-by: Test Runner <runner@example.org>";

let fake: FakeGitHub;
let host: string;
let upstream: TestRepo;
let base: string;
let scratch: string;
const cleanups: (() => void)[] = [];

beforeAll(async () => {
  fake = new FakeGitHub({ appId: APP_ID, publicKeyPem: appKeys.publicKey });
  ({ host } = await fake.start());
  fake.addInstallation(INSTALLATION_ID, "kernel");
  fake.addRepo("kernel", "linux");
  upstream = new TestRepo("patchwarden-mirror-proc-");
  base = upstream.commit(`x86: base${signed}`, "2024-01-01T00:00:00Z", {
    "arch/x86/kernel/smpboot.c": "static void calc_packages(void)\n{\n}\n",
    "arch/x86/xen/smp.c": "void xen_smp(void)\n{\n\tcalc_packages();\n}\n",
    "arch/x86/kernel/setup.c": "void setup(void)\n{\n\tif (xen_pv_domain())\n\t\treturn;\n}\n",
  });
  fake.serveGit("kernel", "linux", path.join(upstream.dir, ".git"));
  scratch = mkdtempSync(path.join(tmpdir(), "patchwarden-mirror-proc-dir-"));
});
afterAll(async () => {
  await fake?.stop();
  upstream?.remove();
  rmSync(scratch, { recursive: true, force: true });
  for (const c of cleanups) c();
});

function envWith(extra: Record<string, string>) {
  const e = appEnv(host, extra);
  cleanups.push(e.cleanup);
  return e.env;
}

/** Waits (bounded by the test's own timeout) until `ready` says so. */
async function until<T>(ready: () => T | undefined | null | false): Promise<T> {
  for (;;) {
    const v = ready();
    if (v) return v;
    await new Promise((r) => setTimeout(r, 50));
  }
}

function pull(number: number) {
  upstream.git(["checkout", "-q", "-B", `t${number}`, base]);
  const head = upstream.commit(`x86/smpboot: Make calc_packages() global\n\nXen PV needs it.${signed}`, `2024-01-0${number + 1}T00:00:00Z`, { "arch/x86/kernel/smpboot.c": "void calc_packages(void)\n{\n}\n" });
  fake.addPullRequest("kernel", "linux", { number, title: "global", headSha: head, baseRef: "main", baseSha: base, user: "contributor", patch: `${upstream.git(["format-patch", "--stdout", `${base}..${head}`])}\n` });
  return { number, headSha: head, baseSha: base, commits: 1, files: 1 };
}

const records = (app: AppProcess) =>
  app
    .log()
    .split("\n")
    .filter((l) => l.startsWith("{"))
    .map((l) => JSON.parse(l) as Record<string, unknown>);

describe("npm start with MIRROR_DIR", () => {
  it("builds the mirror after the first review, logs its time and disk use without any token, and the next review reads it", async () => {
    const app = await spawnApp(envWith({ MIRROR_DIR: path.join(scratch, "mirrors") }));
    try {
      const first = pull(1);
      expect((await sendWebhook(app.url, "pull_request", pullPayload("opened", first))).status).toBe(200);
      const check1 = await until(() => fake.checkRuns("kernel", "linux", first.headSha)[0]);
      expect(check1.output.summary).toContain("reviewed without the base tree: this is the repository's first review with a mirror");
      const upkeep = await until(() => records(app).find((r) => r.msg === "mirror upkeep"));
      expect(upkeep).toMatchObject({ repository: "kernel/linux", outcome: "maintained", diskBytes: expect.any(Number), ms: expect.any(Number) });
      expect(records(app).find((r) => r.msg === "mirror built")).toMatchObject({ level: 30, repository: "kernel/linux", base, diskBytes: expect.any(Number), freeBytes: expect.any(Number) });

      const second = pull(2);
      expect((await sendWebhook(app.url, "pull_request", pullPayload("opened", second))).status).toBe(200);
      const check2 = await until(() => fake.checkRuns("kernel", "linux", second.headSha)[0]);
      expect(check2.output.summary).toContain(`Base tree: \`${base.slice(0, 12)}\``);
      expect(check2.output.summary).toContain("arch/x86: 1 Xen conditional at the base");
      expect(check2.output.text).toContain("arch/x86/xen/smp.c:3");
      await app.kill("SIGTERM");
      expect(await app.exited).toBe(0);
      // The git fetches authenticated (the fake checked the token) and nothing of it was logged.
      expect(fake.gitRequests.filter((r) => r.auth === "token").length).toBeGreaterThan(0);
      expect(app.log()).not.toMatch(/ghs_[A-Za-z0-9]{8}/);
      expect(app.log()).not.toContain(Buffer.from("x-access-token:").toString("base64").slice(0, 16));
    } finally {
      await app.kill("SIGKILL");
    }
  }, SLOW);

  it("a MIRROR_DIR that cannot be created: one line, exit 2", async () => {
    // Under a file: mkdir fails with ENOTDIR.
    const env = envWith({});
    const app = await spawnApp({ ...env, MIRROR_DIR: `${env.PRIVATE_KEY_PATH}/mirrors` }, { waitListening: false });
    expect(await app.exited).toBe(2);
    expect(app.log()).toMatch(/^patchwarden: MIRROR_DIR ".*key\.pem\/mirrors" cannot be created: ENOTDIR.*\n$/);
    expect(app.log().trimEnd().split("\n")).toHaveLength(1);
  }, SLOW);
});
