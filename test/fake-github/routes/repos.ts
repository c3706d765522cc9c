// Repository, file contents and collaborator permission.
import { fail, json, notFound, type Reply } from "../http.js";
import type { Ctx, RouteDef } from "../router.js";
import { repoJson, userJson } from "../shapes.js";
import { blobSha } from "../store.js";
import type { Permission } from "../types.js";

const CONTENTS_DOC = "https://docs.github.com/rest/repos/contents#get-repository-content";
const PERMISSION_DOC = "https://docs.github.com/rest/collaborators/collaborators#get-repository-permissions-for-a-user";

/** Known commit-ish names of a repository: branches with files, PR heads and bases, commits. */
function knownRef(ctx: Ctx, ref: string): boolean {
  const r = ctx.repo;
  const bare = ref.replace(/^refs\/(heads|tags)\//, "");
  if (bare === r.defaultBranch || r.files.has(bare)) return true;
  for (const p of r.pulls.values()) {
    if ([p.headSha, p.baseSha, p.headRef, p.baseRef].includes(bare)) return true;
    if (p.commits.some((c) => c.sha === bare)) return true;
  }
  return false;
}

function contents(ctx: Ctx, path: string): Reply {
  const r = ctx.repo;
  const ref = ctx.query.get("ref") ?? undefined;
  if (ref !== undefined && !knownRef(ctx, ref)) fail(404, `No commit found for the ref ${ref}`, CONTENTS_DOC);
  const at = ref ?? r.defaultBranch;
  const full = `${r.owner}/${r.name}`;
  const api = `${ctx.urls.api}/repos/${full}`;
  const entry = (p: string, type: "file" | "dir", content?: string) => {
    const sha = type === "file" ? blobSha(content ?? "") : blobSha(`tree:${p}`);
    const enc = p.split("/").map(encodeURIComponent).join("/");
    return {
      name: p.split("/").pop() ?? p,
      path: p,
      sha,
      size: type === "file" ? Buffer.byteLength(content ?? "", "utf8") : 0,
      url: `${api}/contents/${enc}?ref=${encodeURIComponent(at)}`,
      html_url: `${ctx.urls.web}/${full}/${type === "file" ? "blob" : "tree"}/${at}/${enc}`,
      git_url: `${api}/git/${type === "file" ? "blobs" : "trees"}/${sha}`,
      download_url: type === "file" ? `${ctx.urls.web}/${full}/raw/${at}/${enc}` : null,
      type,
      _links: {
        self: `${api}/contents/${enc}?ref=${encodeURIComponent(at)}`,
        git: `${api}/git/${type === "file" ? "blobs" : "trees"}/${sha}`,
        html: `${ctx.urls.web}/${full}/${type === "file" ? "blob" : "tree"}/${at}/${enc}`,
      },
    };
  };
  const content = path ? ctx.env.store.file(r, ref, path) : undefined;
  if (content !== undefined) {
    if (/application\/vnd\.github(\.v3)?\.raw/.test(ctx.accept)) {
      return { status: 200, text: content, contentType: "text/plain; charset=utf-8", headers: { "x-github-media-type": "github.v3; param=raw" } };
    }
    const b64 = Buffer.from(content, "utf8").toString("base64").replace(/(.{60})/g, "$1\n");
    return json(200, { ...entry(path, "file", content), content: b64.endsWith("\n") ? b64 : `${b64}\n`, encoding: "base64" });
  }
  const dir = ctx.env.store.listDir(r, ref, path);
  if (dir) return json(200, dir.map((d) => entry(d.path, d.type, d.content)));
  notFound(CONTENTS_DOC);
}

const LEGACY: Record<Permission, "admin" | "write" | "read" | "none"> = {
  admin: "admin",
  maintain: "write",
  write: "write",
  triage: "read",
  read: "read",
  none: "none",
};

export const repoRoutes: RouteDef[] = [
  {
    name: "repos.get",
    method: "GET",
    pattern: "/repos/:owner/:repo",
    auth: "token",
    permission: [["metadata", "read"]],
    doc: "https://docs.github.com/rest/repos/repos#get-a-repository",
    handler: (ctx) => json(200, repoJson(ctx.repo, ctx.env.store, ctx.urls)),
  },
  {
    name: "repos.getContent",
    method: "GET",
    pattern: "/repos/:owner/:repo/contents/:path+",
    auth: "token",
    permission: [["contents", "read"]],
    doc: CONTENTS_DOC,
    handler: (ctx) => contents(ctx, ctx.params.path ?? ""),
  },
  {
    name: "repos.getContentRoot",
    method: "GET",
    pattern: "/repos/:owner/:repo/contents",
    auth: "token",
    permission: [["contents", "read"]],
    doc: CONTENTS_DOC,
    handler: (ctx) => contents(ctx, ""),
  },
  {
    name: "repos.getCollaboratorPermissionLevel",
    method: "GET",
    pattern: "/repos/:owner/:repo/collaborators/:username/permission",
    auth: "token",
    permission: [["metadata", "read"]],
    doc: PERMISSION_DOC,
    handler(ctx) {
      const { store } = ctx.env;
      const login = ctx.params.username ?? "";
      const r = ctx.repo;
      let permission: Permission;
      const c = r.collaborators.get(login.toLowerCase());
      if (c) permission = c.permission;
      else if (login.toLowerCase() === r.owner.toLowerCase() && store.user(r.owner).type === "User") permission = "admin";
      // GitHub answers 404 only when the account does not exist; any other
      // account gets 200 with "none" (private) or "read" (public repository).
      else if (store.knowsUser(login)) permission = "none";
      else notFound(PERMISSION_DOC);
      if (permission === "none" && !r.private) permission = "read";
      const legacy = LEGACY[permission];
      const roleName = permission === "none" ? "" : permission;
      const flags = {
        admin: permission === "admin",
        maintain: ["admin", "maintain"].includes(permission),
        push: ["admin", "maintain", "write"].includes(permission),
        triage: ["admin", "maintain", "write", "triage"].includes(permission),
        pull: permission !== "none",
      };
      const user = store.user(c?.login ?? login);
      return json(200, { permission: legacy, role_name: roleName, user: { ...userJson(user, ctx.urls), permissions: flags, role_name: roleName } });
    },
  },
];
