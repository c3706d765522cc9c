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
    // A quoted glob reaches us unexpanded; git would take it as a literal path that no commit touches.
    if (/[*?[\]]/.test(p)) throw new UsageError(`"${p}" is a pattern, not a path: leave it unquoted for the shell to expand, or list the paths`);
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

const MONTH_DAYS = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/**
 * A date git will read as meant. git's own reader takes anything ("notadate"
 * is "now", 2025-13-45 some other day) and so would give silent zeros: only
 * forms with one meaning pass. ISO dates (2024-01-31, with an optional time
 * and zone), "N days|weeks|months|years ago" (or git's 2.weeks.ago),
 * yesterday, and @UNIX-SECONDS.
 */
export function checkedDate(name: string, raw: string | undefined): string | undefined {
  if (raw === undefined) return undefined;
  const v = raw.trim();
  const bad = () => new UsageError(`--${name} "${raw}" is not a date: give 2024-01-31 (optionally with a time), "6 months ago" or @UNIX-SECONDS`);
  if (v === "") throw bad();
  if (/^@\d{1,12}$/.test(v) || v === "yesterday") return v;
  if (/^\d{1,4}[ .](?:second|minute|hour|day|week|month|year)s?[ .]ago$/.test(v)) return v;
  const m = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2}))?(?: ?(?:Z|[+-]\d{2}:?\d{2}))?)?$/.exec(v);
  if (!m) throw bad();
  const [month, day] = [Number(m[2]), Number(m[3])];
  if (month < 1 || month > 12 || day < 1 || day > MONTH_DAYS[month - 1]!) throw bad();
  if (m[4] !== undefined && (Number(m[4]) > 23 || Number(m[5]) > 59 || Number(m[6] ?? 0) > 59)) throw bad();
  return v;
}
