// Injected failures: queued `failNext` answers and seeded random 5xx.
import { errorBody } from "./http.js";
import type { FailOptions, GraphqlMatch } from "./types.js";

/** What a GraphQL request asked (operation name, variables), for rules that match one. */
type Call = { operation: string | null; variables: Record<string, unknown> } | null | undefined;

/** A rule with `graphql` catches only GraphQL requests of that operation whose variables include the given ones. */
function graphqlMatches(want: GraphqlMatch | undefined, call: Call): boolean {
  if (!want) return true;
  if (!call || call.operation !== want.operation) return false;
  return Object.entries(want.variables ?? {}).every(([k, v]) => JSON.stringify(call.variables[k]) === JSON.stringify(v));
}

export interface FaultRule {
  method: string;
  pattern: RegExp;
  status: number;
  headers: Record<string, string>;
  body: unknown;
  left: number;
  graphql?: GraphqlMatch;
}

/** Bodies GitHub sends with these statuses when a test gives none. */
export function defaultFaultBody(status: number): unknown {
  if (status === 403 || status === 429) {
    return errorBody(
      status,
      "You have exceeded a secondary rate limit. Please wait a few minutes before you try again. If you reach out to GitHub Support for help, please include the request ID FAKE:0000:0000000:0000000:00000000.",
      "https://docs.github.com/rest/overview/rate-limits-for-the-rest-api#about-secondary-rate-limits",
    );
  }
  if (status === 401) return errorBody(401, "Bad credentials");
  if (status === 404) return errorBody(404, "Not Found");
  if (status === 422) return errorBody(422, "Unprocessable Entity");
  if (status === 503) return errorBody(503, "Service Unavailable");
  if (status >= 500) return errorBody(status, "Server Error");
  return errorBody(status, "Error");
}

export class Faults {
  private rules: FaultRule[] = [];
  private state: number;

  constructor(
    private readonly flakiness: number,
    private readonly seed: number,
  ) {
    this.state = seed >>> 0;
  }

  add(method: string, pattern: RegExp, status: number, opts: FailOptions = {}): void {
    this.rules.push({
      method: method.toUpperCase(),
      pattern,
      status,
      headers: opts.headers ?? {},
      body: opts.body === undefined ? defaultFaultBody(status) : opts.body,
      left: opts.times ?? 1,
      ...(opts.graphql ? { graphql: opts.graphql } : {}),
    });
  }

  /** Takes the first queued rule that matches (method "*" matches any). */
  take(method: string, path: string, call?: Call): FaultRule | null {
    for (const r of this.rules) {
      if ((r.method === "*" || r.method === method) && new RegExp(r.pattern.source, r.pattern.flags.replace("g", "")).test(path) && graphqlMatches(r.graphql, call)) {
        r.left--;
        if (r.left <= 0) this.rules.splice(this.rules.indexOf(r), 1);
        return r;
      }
    }
    return null;
  }

  pending(): number {
    return this.rules.reduce((n, r) => n + r.left, 0);
  }

  /** A random 500/502/503 with probability `flakiness` (mulberry32, seeded). */
  flaky(): number | null {
    if (this.flakiness <= 0) return null;
    const x = this.next();
    if (x >= this.flakiness) return null;
    const statuses = [500, 502, 503];
    return statuses[Math.floor(this.next() * statuses.length)] ?? 500;
  }

  reset(): void {
    this.rules = [];
    this.state = this.seed >>> 0;
  }

  private next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
}

/** A request held before it is answered: the test sees it arrive and decides when it goes on. */
export interface Hold {
  /** Resolves when a matching request has arrived and is being held. */
  arrived: Promise<void>;
  /** Lets it go on. */
  release(): void;
  /** Resolves when its caller went away while it was held (a killed process): it is then dropped, unanswered and unapplied, as if GitHub never got it. */
  gone: Promise<void>;
}

export class Holds {
  private waiting: { method: string; pattern: RegExp; graphql?: GraphqlMatch; arrive: () => void; released: Promise<void>; leave: () => void }[] = [];

  add(method: string, pattern: RegExp, graphql?: GraphqlMatch): Hold {
    let arrive!: () => void;
    let release!: () => void;
    let leave!: () => void;
    const arrived = new Promise<void>((r) => (arrive = r));
    const released = new Promise<void>((r) => (release = r));
    const gone = new Promise<void>((r) => (leave = r));
    this.waiting.push({ method: method.toUpperCase(), pattern, ...(graphql ? { graphql } : {}), arrive, released, leave });
    return { arrived, release, gone };
  }

  /** The hold this request is caught by (once), or null. */
  take(method: string, path: string, call?: Call): { released: Promise<void>; leave: () => void } | null {
    const i = this.waiting.findIndex((h) => (h.method === "*" || h.method === method) && new RegExp(h.pattern.source, h.pattern.flags.replace("g", "")).test(path) && graphqlMatches(h.graphql, call));
    if (i < 0) return null;
    const [h] = this.waiting.splice(i, 1);
    h!.arrive();
    return h!;
  }

  reset(): void {
    this.waiting = [];
  }
}
