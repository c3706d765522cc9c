// The server as `npm start` runs it: dist/src/app/main.js in its own process
// (so it can be killed), pointed at a fake GitHub, with its log collected.
import { spawn, type ChildProcess } from "node:child_process";
import { generateKeyPairSync } from "node:crypto";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { APP_ID, SECRET } from "./harness.js";
import { freePort } from "./ports.js";

/** The checkout: from test/app here, or from dist/test/app when the load script runs this compiled. */
function checkout(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  while (!existsSync(path.join(dir, "package.json"))) dir = path.dirname(dir);
  return dir;
}
const ROOT = checkout();

export const appKeys = generateKeyPairSync("rsa", { modulusLength: 2048, publicKeyEncoding: { type: "spki", format: "pem" }, privateKeyEncoding: { type: "pkcs1", format: "pem" } });

export interface AppProcess {
  url: string;
  proc: ChildProcess;
  /** stdout and stderr so far. */
  log(): string;
  /** Resolves with the exit code (or the signal's name). */
  exited: Promise<number | string>;
  kill(signal: NodeJS.Signals): Promise<number | string>;
}

/** The environment a test's app runs with: the fake GitHub's host, a key file in a fresh directory. */
export function appEnv(fakeHost: string, extra: Record<string, string> = {}): { env: Record<string, string>; cleanup(): void } {
  const dir = mkdtempSync(path.join(tmpdir(), "patchwarden-app-"));
  writeFileSync(path.join(dir, "key.pem"), appKeys.privateKey);
  return {
    env: {
      PATH: process.env.PATH ?? "",
      APP_ID: String(APP_ID),
      PRIVATE_KEY_PATH: path.join(dir, "key.pem"),
      WEBHOOK_SECRET: SECRET,
      HOST: "127.0.0.1",
      GHE_HOST: fakeHost,
      GHE_PROTOCOL: "http",
      LOG_LEVEL: "info",
      LOG_FORMAT: "json",
      REVIEW_WORKERS: "1",
      ...extra,
    },
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/** Runs main.js; `waitListening: false` for a process expected to refuse to start. */
export async function spawnApp(env: Record<string, string>, options: { waitListening?: boolean } = {}): Promise<AppProcess> {
  const port = env.PORT ?? String(await freePort());
  let out = "";
  const proc = spawn(process.execPath, [path.join(ROOT, "dist/src/app/main.js")], { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"], env: { ...env, PORT: port } });
  proc.stdout!.on("data", (d: Buffer) => (out += d.toString("utf8")));
  proc.stderr!.on("data", (d: Buffer) => (out += d.toString("utf8")));
  const exited = new Promise<number | string>((r) => proc.once("exit", (code, signal) => r(code ?? signal ?? -1)));
  const app: AppProcess = {
    url: `http://127.0.0.1:${port}`,
    proc,
    log: () => out,
    exited,
    kill: async (signal) => {
      if (proc.exitCode === null && proc.signalCode === null) proc.kill(signal);
      return exited;
    },
  };
  if (options.waitListening !== false) {
    const listening = new Promise<void>((resolve, reject) => {
      const check = () => (out.includes("Listening on") ? resolve() : undefined);
      proc.stdout!.on("data", check);
      exited.then((code) => reject(new Error(`the app exited (${code}) before listening:\n${out}`)));
    });
    await listening;
  }
  return app;
}
