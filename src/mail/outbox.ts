import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdir, rename, writeFile } from "node:fs/promises";
import path from "node:path";
import { UsageError } from "../patch/errors.js";
import { toMessage, type ReplyMail } from "./reply.js";

// Where replies go: a maildir, to read and send with one's own tools, or a
// sendmail-like command when the user asked for sending.

/** Maildir: written to tmp/, then renamed into new/, so a mail client never sees half a message; named by content, so writing the same replies twice (a restart) adds none. */
export async function writeMaildir(dir: string, replies: ReplyMail[]): Promise<void> {
  for (const sub of ["tmp", "new", "cur"]) await mkdir(path.join(dir, sub), { recursive: true });
  for (const r of replies) {
    const text = toMessage(r);
    const name = `${createHash("sha256").update(text).digest("hex").slice(0, 24)}.patchwarden`;
    await writeFile(path.join(dir, "tmp", name), text);
    await rename(path.join(dir, "tmp", name), path.join(dir, "new", name));
  }
}

/** Pipes one reply to `command` (split at spaces, no shell); false, with the reason on `log`, when it fails. */
export function sendmail(command: string, reply: ReplyMail, log: (line: string) => void): Promise<boolean> {
  const [cmd, ...args] = command.split(/\s+/).filter((w) => w !== "");
  if (!cmd) throw new UsageError("--sendmail needs a command");
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { stdio: ["pipe", "ignore", "pipe"], shell: false });
    let err = "";
    child.stderr.on("data", (d: Buffer) => {
      if (err.length < 1000) err += d.toString("utf8");
    });
    child.stdin.on("error", () => {});
    child.once("error", (e) => {
      log(`--sendmail ${cmd}: ${e.message}`);
      resolve(false);
    });
    child.once("close", (code) => {
      if (code !== 0) log(`--sendmail ${cmd} exited with ${code}${err ? `: ${err.trim().split("\n")[0]}` : ""}`);
      resolve(code === 0);
    });
    child.stdin.end(toMessage(reply));
  });
}
