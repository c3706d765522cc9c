// App-level endpoints: the installation token exchange (JWT), the app itself.
import { grants } from "../auth.js";
import { fail, json, notFound, paginate } from "../http.js";
import type { RouteDef } from "../router.js";
import { appJson, installationJson, repoJson } from "../shapes.js";
import { iso } from "../store.js";
import type { AccessLevel } from "../types.js";

const TOKEN_DOC = "https://docs.github.com/rest/apps/apps#create-an-installation-access-token-for-an-app";

const DELIVERIES_DOC = "https://docs.github.com/rest/apps/webhooks#list-deliveries-for-an-app-webhook";
const REDELIVER_DOC = "https://docs.github.com/rest/apps/webhooks#redeliver-a-delivery-for-an-app-webhook";

/** GitHub's words for a delivery's HTTP status. */
function statusText(code: number): string {
  if (code >= 200 && code < 300) return "OK";
  if (code === 0) return "timed out";
  return { 400: "Bad Request", 404: "Not Found", 500: "Internal Server Error", 502: "Bad Gateway", 503: "Service Unavailable" }[code] ?? `Invalid HTTP Response: ${code}`;
}

export const appRoutes: RouteDef[] = [
  {
    name: "apps.listWebhookDeliveries",
    method: "GET",
    pattern: "/app/hook/deliveries",
    auth: "jwt",
    doc: DELIVERIES_DOC,
    handler(ctx) {
      const newestFirst = [...ctx.env.store.hookDeliveries].reverse().map((d) => ({
        id: d.id,
        guid: d.guid,
        delivered_at: d.deliveredAt,
        redelivery: d.redelivery,
        duration: 0.05,
        status: statusText(d.statusCode),
        status_code: d.statusCode,
        event: d.event,
        action: d.action,
        installation_id: d.installationId,
        repository_id: null,
        throttled_at: null,
      }));
      const page = paginate(newestFirst, ctx.query, `${ctx.urls.api}/app/hook/deliveries`);
      return json(200, page.items, page.headers);
    },
  },
  {
    name: "apps.redeliverWebhookDelivery",
    method: "POST",
    pattern: "/app/hook/deliveries/:delivery_id/attempts",
    auth: "jwt",
    doc: REDELIVER_DOC,
    handler(ctx) {
      const id = Number(ctx.params.delivery_id);
      if (!ctx.env.store.hookDeliveries.some((d) => d.id === id)) notFound(REDELIVER_DOC);
      ctx.env.store.redeliveryAsks.push(id);
      return json(202, {});
    },
  },
  {
    name: "apps.createInstallationAccessToken",
    method: "POST",
    pattern: "/app/installations/:installation_id/access_tokens",
    auth: "jwt",
    doc: TOKEN_DOC,
    handler(ctx) {
      const { store, tokens } = ctx.env;
      const inst = store.installations.get(Number(ctx.params.installation_id));
      if (!inst) notFound(TOKEN_DOC);
      const body = (ctx.body ?? {}) as { repositories?: string[]; repository_ids?: number[]; permissions?: Record<string, AccessLevel> };
      let permissions = inst.permissions;
      if (body.permissions) {
        for (const [name, level] of Object.entries(body.permissions)) {
          if (!grants(inst.permissions, name, level)) fail(422, "The permissions requested are not granted to this installation.", TOKEN_DOC);
        }
        permissions = { ...body.permissions };
      }
      let repositories: string[] | null = null;
      const ownRepos = [...store.repos.values()].filter((r) => r.owner.toLowerCase() === inst.owner.toLowerCase());
      if (body.repositories || body.repository_ids) {
        const picked = ownRepos.filter(
          (r) => body.repositories?.some((n) => n.toLowerCase() === r.name.toLowerCase()) || body.repository_ids?.includes(r.id),
        );
        if (picked.length !== (body.repositories?.length ?? 0) + (body.repository_ids?.length ?? 0)) {
          fail(422, "There is at least one repository that does not exist or is not accessible to the parent installation.", TOKEN_DOC);
        }
        repositories = picked.map((r) => r.name.toLowerCase());
      }
      const t = tokens.issue(inst.id, ctx.env.nowMs(), permissions, repositories);
      return json(201, {
        token: t.token,
        expires_at: iso(new Date(t.expiresAt)),
        permissions: t.permissions,
        repository_selection: repositories ? "selected" : "all",
        ...(repositories
          ? { repositories: ownRepos.filter((r) => repositories.includes(r.name.toLowerCase())).map((r) => repoJson(r, store, ctx.urls)) }
          : {}),
      });
    },
  },
  {
    name: "apps.getAuthenticated",
    method: "GET",
    pattern: "/app",
    auth: "jwt",
    doc: "https://docs.github.com/rest/apps/apps#get-the-authenticated-app",
    handler(ctx) {
      return json(200, { ...appJson(ctx.env.app, ctx.env.store, ctx.urls), installations_count: ctx.env.store.installations.size });
    },
  },
  {
    name: "apps.getInstallation",
    method: "GET",
    pattern: "/app/installations/:installation_id",
    auth: "jwt",
    doc: "https://docs.github.com/rest/apps/apps#get-an-installation-for-the-authenticated-app",
    handler(ctx) {
      const inst = ctx.env.store.installations.get(Number(ctx.params.installation_id));
      if (!inst) notFound(ctx.route.doc);
      return json(200, installationJson(inst, ctx.env.store, ctx.urls, ctx.env.app));
    },
  },
  {
    name: "apps.getRepoInstallation",
    method: "GET",
    pattern: "/repos/:owner/:repo/installation",
    auth: "jwt",
    doc: "https://docs.github.com/rest/apps/apps#get-a-repository-installation-for-the-authenticated-app",
    handler(ctx) {
      const inst = ctx.env.store.installationFor(ctx.repo.owner);
      if (!inst) notFound(ctx.route.doc);
      return json(200, installationJson(inst, ctx.env.store, ctx.urls, ctx.env.app));
    },
  },
  {
    name: "rateLimit.get",
    method: "GET",
    pattern: "/rate_limit",
    auth: "token",
    doc: "https://docs.github.com/rest/rate-limit/rate-limit#get-rate-limit-status-for-the-authenticated-user",
    handler(ctx) {
      const reset = Math.floor(ctx.env.nowMs() / 1000) + 3600;
      const core = { limit: 5000, used: 0, remaining: 5000, reset };
      return json(200, { resources: { core, search: { ...core, limit: 30, remaining: 30 }, graphql: core }, rate: core });
    },
  },
];
