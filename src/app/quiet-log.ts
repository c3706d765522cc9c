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
 * Errors already said, in one line, by the code that raised them: a webhook
 * refused with 503 because its job could not be stored is the app's warning
 * line; Probot's event handler and @octokit/webhooks' middleware would each
 * add an error with a stack for the same delivery.
 */
export function alreadySaid(err: unknown): boolean {
  if (!(err instanceof Error)) return false;
  if (err.name === "QueueUnavailable") return true;
  const inner = (err as Error & { errors?: unknown[] }).errors;
  return Array.isArray(inner) && inner.length > 0 && inner.every(alreadySaid);
}

type LogFn = (...args: unknown[]) => void;

/** `log` without the error lines `alreadySaid` covers, in it and in every child. */
export function withoutRepeats(log: Logger): Logger {
  return new Proxy(log, {
    get(target, prop) {
      if (prop === "error") {
        const error = (target.error as LogFn).bind(target);
        return (...args: unknown[]) => {
          const first = args[0] as { err?: unknown } | undefined;
          if (alreadySaid(first) || (first && typeof first === "object" && alreadySaid(first.err))) return;
          error(...args);
        };
      }
      if (prop === "child") {
        return (...args: unknown[]) => {
          // Probot names its child "probot" at every layer: a JSON line carried the key three times.
          const bindings = args[0] as Record<string, unknown> | undefined;
          if (args.length === 1 && bindings && Object.keys(bindings).length === 1 && bindings.name !== undefined && target.bindings().name === bindings.name) return withoutRepeats(target);
          return withoutRepeats((target.child as unknown as (...a: unknown[]) => Logger)(...args));
        };
      }
      const value = Reflect.get(target, prop, target) as unknown;
      return typeof value === "function" ? (value as LogFn).bind(target) : value;
    },
  });
}

/**
 * A logger like the one Probot would build for `ProbotClass` (level, format),
 * whose error serializer drops payloads; pass it to Probot as `log`.
 */
export async function quietLogger(ProbotClass: typeof Probot): Promise<Logger> {
  // Probot builds its pino logger from its options; borrowing it keeps
  // LOG_LEVEL and LOG_FORMAT working without a pino of our own.
  const base = (await new ProbotClass().ready()).log;
  return withoutRepeats(base.child({}, { serializers: { err: errorWithoutPayload } }));
}
