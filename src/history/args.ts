import { parseArgs, type ParseArgsConfig } from "node:util";
import type { CliIo } from "../cli/main.js";
import { UsageError } from "../patch/errors.js";
import { normalizeTreePath } from "./dirs.js";

// Argument handling shared by the sprawl and census commands.

/** Parses options the way main.ts does, but reports mistakes as UsageError. */
export function parseCommandArgs<T extends ParseArgsConfig>(config: T): ReturnType<typeof parseArgs<T>> {
  try {
    return parseArgs(config);
  } catch (err) {
    const code = (err as { code?: unknown }).code;
    if (typeof code === "string" && code.startsWith("ERR_PARSE_ARGS")) throw new UsageError(parseArgsMessage(err as Error));
    throw err;
  }
}

/**
 * node's own wording, in one line; its unknown-option text goes on about
 * positionals with a quote it never closes, so that one is said plainly.
 */
export function parseArgsMessage(err: Error): string {
  const unknown = /^Unknown option '([^']+)'/.exec(err.message);
  if (unknown) return `unknown option ${unknown[1]}`;
  return err.message.split("\n")[0]!;
}

export function positiveInt(name: string, raw: string | undefined, fallback: number, min = 1): number {
  if (raw === undefined) return fallback;
  if (!/^\d+$/.test(raw) || Number(raw) < min) throw new UsageError(`--${name} needs a whole number of at least ${min}, not "${raw}"`);
  return Number(raw);
}

export function treePaths(raw: string[]): string[] {
  const out: string[] = [];
  for (const p of raw) {
    const n = normalizeTreePath(p);
    if (n === null) throw new UsageError(`"${p}" is not a path inside the tree (give it from the top of the tree, e.g. arch/x86/kvm)`);
    if (!out.includes(n)) out.push(n);
  }
  return out;
}

/** Returns a function that stops it. Only on a terminal: a redirected stderr gets no \r lines. */
export function progress(io: CliIo, what: () => string): () => void {
  const stderr = io.stderr as NodeJS.WritableStream & { isTTY?: boolean };
  if (!stderr.isTTY) return () => {};
  const timer = setInterval(() => stderr.write(`\r${what()}\x1b[K`), 250);
  timer.unref();
  return () => {
    clearInterval(timer);
    stderr.write("\r\x1b[K");
  };
}
