import type { Probot } from "probot";

type Logger = Probot["log"];

// Probot and @octokit/webhooks attach the whole webhook (payload included) to
// the errors they log: a rejected 100 MB body was written two or three
// times. Errors are written here with what identifies the delivery, never
// with its payload.

interface Serialized {
  type: string;
  message: string;
  stack?: string;
  status?: unknown;
  code?: unknown;
  event?: { id?: unknown; name?: unknown };
  errors?: Serialized[];
}

export function errorWithoutPayload(err: unknown, depth = 0): unknown {
  if (!(err instanceof Error)) return err;
  const e = err as Error & { status?: unknown; code?: unknown; event?: { id?: unknown; name?: unknown }; errors?: unknown[] };
  const out: Serialized = { type: e.name, message: e.message };
  if (e.stack !== undefined) out.stack = e.stack;
  if (e.status !== undefined) out.status = e.status;
  if (e.code !== undefined) out.code = e.code;
  if (e.event && typeof e.event === "object") out.event = { id: e.event.id, name: e.event.name };
  if (Array.isArray(e.errors) && depth < 3) out.errors = e.errors.slice(0, 5).map((x) => errorWithoutPayload(x, depth + 1) as Serialized);
  return out;
}

/**
 * A logger like the one Probot would build for `ProbotClass` (level, format),
 * whose error serializer drops payloads; pass it to Probot as `log`.
 */
export async function quietLogger(ProbotClass: typeof Probot): Promise<Logger> {
  // Probot builds its pino logger from its options; borrowing it keeps
  // LOG_LEVEL and LOG_FORMAT working without a pino of our own.
  const base = (await new ProbotClass().ready()).log;
  return base.child({}, { serializers: { err: errorWithoutPayload } });
}
