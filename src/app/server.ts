import { createServer, type IncomingMessage, type Server as HttpServer, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { ApplicationFunction, Probot } from "probot";
import { BodyBudget, readSignedBody } from "./body-guard.js";
import { quietLogger } from "./quiet-log.js";

// The HTTP server: Probot's webhook middleware and the app's own routes,
// behind a guard. Probot's Server cannot put anything in front of its
// webhook middleware, so this is a plain node:http server doing what it did
// (webhooks, app handlers, 404, a request log line) plus the guard.

/** How long a refused request may go on sending before its connection is closed. */
const LINGER_MS = 2000;

type Handler = (req: IncomingMessage, res: ServerResponse) => unknown;

export interface WebhookServerOptions {
  /** `Probot.defaults({appId, privateKey, secret, ...})`. */
  Probot: typeof Probot;
  app: ApplicationFunction;
  /** The webhook secret (Probot checks it too; the guard checks it first). */
  secret: string;
  port: number;
  host: string;
  webhookPath?: string;
  /** One body's cap (default GitHub's 25 MB). */
  maxBodyBytes?: number;
  /** All bodies being read at once (default four at the cap). */
  maxBufferedBytes?: number;
}

export interface WebhookServer {
  http: HttpServer;
  probot: Probot;
  url: string;
  stop(): Promise<void>;
}

export async function startWebhookServer(options: WebhookServerOptions): Promise<WebhookServer> {
  const webhookPath = options.webhookPath ?? "/api/github/webhooks";
  const log = await quietLogger(options.Probot);
  const probot = new options.Probot({ log, webhookPath });
  const handlers: Handler[] = [];
  await probot.load(options.app, { cwd: process.cwd(), addHandler: (h) => void handlers.push(h) });
  const webhooks = await probot.getNodeMiddleware({ log, path: webhookPath });
  const budget = new BodyBudget(options.maxBufferedBytes);

  const http = createServer((req, res) => {
    const started = performance.now();
    res.once("finish", () => log.info(`${req.method} ${req.url} ${res.statusCode} - ${Math.round(performance.now() - started)}ms`));
    route(req, res).catch((err) => {
      log.error({ err }, "request failed");
      if (!res.headersSent) res.writeHead(500).end();
      else res.destroy();
    });
  });
  // GitHub gives up on a delivery after 10 s; a body still trickling in after
  // 30 s is someone holding a connection open.
  http.requestTimeout = 30_000;

  async function route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    // Every POST, whatever its path: matching Probot's path normalisation
    // exactly is the kind of detail a guard must not depend on.
    if (req.method === "POST") {
      const verdict = await readSignedBody(req, { secret: options.secret, budget, ...(options.maxBodyBytes ? { maxBytes: options.maxBodyBytes } : {}) });
      if (!verdict.ok) return refuse(req, res, verdict.status, verdict.reason, verdict.bytes);
      // @octokit/webhooks takes a body already read as a string instead of reading the stream.
      (req as IncomingMessage & { body?: string }).body = verdict.body;
    }
    for (const handler of handlers) if (await handler(req, res)) return;
    if (await webhooks(req, res)) return;
    res.writeHead(404, { "content-type": "application/json" }).end('{"error":"Not Found"}');
  }

  function refuse(req: IncomingMessage, res: ServerResponse, status: 400 | 413 | 503, reason: string, bytes: number): void {
    log.warn({ delivery: req.headers["x-github-delivery"], event: req.headers["x-github-event"], status, bytes }, `webhook refused: ${reason}`);
    const body = JSON.stringify({ error: status === 413 ? "Payload Too Large" : status === 503 ? "Busy: too many large bodies at once" : `Bad Request: ${reason}` });
    if (res.destroyed) return;
    res.writeHead(status, { "content-type": "application/json" }).end(body);
    // Closing at once would reset the connection under a client still
    // sending, and it would never see the answer: drop what is in flight
    // unread (Node discards it, nothing is kept) for a moment, then close.
    req.resume();
    const linger = setTimeout(() => req.destroy(), LINGER_MS);
    linger.unref();
    req.once("close", () => clearTimeout(linger));
  }

  await new Promise<void>((resolve, reject) => {
    http.once("error", reject);
    http.listen({ port: options.port, host: options.host }, () => {
      http.off("error", reject);
      resolve();
    });
  });
  const { port, address, family } = http.address() as AddressInfo;
  log.info(`Listening on http://${family === "IPv6" ? `[${address}]` : address}:${port}`);
  return {
    http,
    probot,
    url: `http://${family === "IPv6" ? `[${address}]` : address}:${port}`,
    stop: () =>
      new Promise<void>((resolve, reject) => {
        http.close((err) => (err ? reject(err) : resolve()));
        http.closeIdleConnections();
      }),
  };
}
