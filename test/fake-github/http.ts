// Answers, errors and pagination the way GitHub's REST API gives them.

export const DOCS = "https://docs.github.com/rest";

export interface Reply {
  status: number;
  headers?: Record<string, string>;
  /** A JSON body (sent as application/json; charset=utf-8). */
  json?: unknown;
  /** A text body, sent with `contentType`. */
  text?: string;
  contentType?: string;
}

/** GitHub's error body: message, documentation_url and the status as a string. */
export function errorBody(status: number, message: string, docUrl: string = DOCS, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { message, ...extra, documentation_url: docUrl, status: String(status) };
}

export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly body: Record<string, unknown>,
    readonly headers: Record<string, string> = {},
  ) {
    super(String(body.message ?? status));
  }
}

export function fail(status: number, message: string, docUrl?: string, extra?: Record<string, unknown>, headers?: Record<string, string>): never {
  throw new HttpError(status, errorBody(status, message, docUrl, extra), headers);
}

export function notFound(docUrl?: string): never {
  return fail(404, "Not Found", docUrl);
}

/** 422 the way endpoints backed by GraphQL answer (reviews): errors is a list of sentences. */
export function unprocessable(errors: string[], docUrl?: string): never {
  return fail(422, "Unprocessable Entity", docUrl, { errors });
}

/** "a", "a and b", "a, b, and c" (Rails' to_sentence, which GitHub joins review errors with). */
export function toSentence(items: readonly string[]): string {
  if (items.length <= 1) return items[0] ?? "";
  if (items.length === 2) return `${items[0]!} and ${items[1]!}`;
  return `${items.slice(0, -1).join(", ")}, and ${items[items.length - 1]!}`;
}

export function json(status: number, body: unknown, headers?: Record<string, string>): Reply {
  return { status, json: body, ...(headers ? { headers } : {}) };
}

export interface Page<T> {
  items: T[];
  headers: Record<string, string>;
}

/**
 * One page of `items` by `per_page` (default 30, at most 100) and `page`
 * (from 1), with GitHub's Link header (prev/next/last/first) pointing at
 * `linkBase` (GitHub points at /repositories/:id/... rather than the
 * owner/name path; so does the fake).
 */
export function paginate<T>(items: readonly T[], query: URLSearchParams, linkBase: string, defaultPerPage = 30): Page<T> {
  const rawPer = Number.parseInt(query.get("per_page") ?? "", 10);
  const perPage = Number.isFinite(rawPer) && rawPer > 0 ? Math.min(rawPer, 100) : defaultPerPage;
  const rawPage = Number.parseInt(query.get("page") ?? "", 10);
  const page = Number.isFinite(rawPage) && rawPage > 0 ? rawPage : 1;
  const last = Math.max(1, Math.ceil(items.length / perPage));
  const slice = items.slice((page - 1) * perPage, page * perPage);
  const link = (n: number) => {
    const q = new URLSearchParams(query);
    q.set("page", String(n));
    if (query.has("per_page")) q.set("per_page", query.get("per_page")!);
    return `<${linkBase}?${q.toString()}>`;
  };
  const parts: string[] = [];
  if (page > 1) parts.push(`${link(Math.min(page - 1, last))}; rel="prev"`);
  if (page < last) parts.push(`${link(page + 1)}; rel="next"`, `${link(last)}; rel="last"`);
  if (page > 1) parts.push(`${link(1)}; rel="first"`);
  return { items: slice, headers: parts.length ? { link: parts.join(", ") } : {} };
}
