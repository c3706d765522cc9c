import { readFileSync } from "node:fs";
import type { Probot } from "probot";

export type KeyRead = { ok: true; pem: string; source: string } | { ok: false; error: string };

/** PRIVATE_KEY (newlines as `\n`) or the file PRIVATE_KEY_PATH names, with a sentence for what is wrong. */
export function readPrivateKey(env: (name: string) => string | undefined): KeyRead {
  const inline = env("PRIVATE_KEY");
  if (inline) return { ok: true, pem: inline.replace(/\\n/g, "\n"), source: "PRIVATE_KEY" };
  const path = env("PRIVATE_KEY_PATH");
  if (!path) return { ok: false, error: "PRIVATE_KEY or PRIVATE_KEY_PATH is required" };
  try {
    return { ok: true, pem: readFileSync(path, "utf8"), source: `PRIVATE_KEY_PATH ${path}` };
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const why = code === "ENOENT" ? "no such file" : code === "EACCES" ? "permission denied" : code === "EISDIR" ? "it is a directory" : (err as Error).message;
    return { ok: false, error: `PRIVATE_KEY_PATH ${path} cannot be read: ${why}` };
  }
}

/**
 * Signs the app's JWT the way every GitHub call will (no request is made):
 * null when it works, else why not. A bad key found at boot is one line;
 * found at the first webhook it was a 55-line dump and no check.
 */
export async function signsJwt(ProbotClass: typeof Probot): Promise<string | null> {
  try {
    const probot = new ProbotClass({ log: silent() });
    const octokit = (await probot.auth()) as unknown as { auth(o: { type: "app" }): Promise<{ token: string }> };
    await octokit.auth({ type: "app" });
    return null;
  } catch (err) {
    return (err as Error).message.split("\n")[0] ?? String(err);
  }
}

function silent(): Probot["log"] {
  const noop = () => undefined;
  const log = { level: "silent", fatal: noop, error: noop, warn: noop, info: noop, debug: noop, trace: noop, silent: noop, child: () => log };
  return log as unknown as Probot["log"];
}
