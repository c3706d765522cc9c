// The two credentials a GitHub App uses: the app JWT (RS256, signed with
// the app's private key, at most 10 minutes long) to ask for an installation
// token, and the installation token (`ghs_…`, one hour) for everything else.
import { createPublicKey, randomBytes, verify, type KeyObject } from "node:crypto";
import type { AccessLevel } from "./types.js";

export type Credential =
  | { kind: "none" }
  | { kind: "jwt"; jwt: string }
  | { kind: "token"; token: string }
  | { kind: "malformed"; raw: string };

/** Reads `Authorization: token X` / `bearer X` / `Bearer X`; a three-part dotted value is a JWT. */
export function readCredential(header: string | undefined): Credential {
  if (!header) return { kind: "none" };
  const m = /^(token|bearer)\s+(\S+)\s*$/i.exec(header.trim());
  if (!m) return { kind: "malformed", raw: header };
  const value = m[2]!;
  if (/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/.test(value)) return { kind: "jwt", jwt: value };
  return { kind: "token", token: value };
}

export class JwtError extends Error {}

/** Verifies an app JWT like GitHub does; throws JwtError with GitHub's message when it is not acceptable. */
export function verifyAppJwt(jwt: string, key: KeyObject, appId: number, nowSeconds: number): void {
  const [h, p, s] = jwt.split(".");
  const undecodable = "A JSON web token could not be decoded";
  let header: { alg?: unknown };
  let payload: { iss?: unknown; iat?: unknown; exp?: unknown };
  try {
    header = JSON.parse(Buffer.from(h!, "base64url").toString("utf8")) as typeof header;
    payload = JSON.parse(Buffer.from(p!, "base64url").toString("utf8")) as typeof payload;
  } catch {
    throw new JwtError(undecodable);
  }
  if (header.alg !== "RS256") throw new JwtError(undecodable);
  const ok = verify("RSA-SHA256", Buffer.from(`${h}.${p}`), key, Buffer.from(s ?? "", "base64url"));
  if (!ok) throw new JwtError(undecodable);
  if (typeof payload.iat !== "number" || !Number.isInteger(payload.iat) || payload.iat > nowSeconds + 60) {
    throw new JwtError("'Issued at' claim ('iat') must be an Integer representing the time that the assertion was issued.");
  }
  if (typeof payload.exp !== "number" || !Number.isInteger(payload.exp) || payload.exp <= nowSeconds) {
    throw new JwtError("'Expiration time' claim ('exp') must be a numeric value representing the future time at which the assertion expires.");
  }
  if (payload.exp > nowSeconds + 600 + 60 || payload.exp - payload.iat > 600 + 60) {
    throw new JwtError("'Expiration time' claim ('exp') is too far in the future.");
  }
  if (String(payload.iss) !== String(appId)) throw new JwtError("'Issuer' claim ('iss') must be an Integer.");
}

export function publicKeyFrom(pem: string): KeyObject {
  return createPublicKey(pem);
}

export interface IssuedToken {
  token: string;
  installationId: number;
  expiresAt: number;
  permissions: Record<string, AccessLevel>;
  /** Lower-cased repository names the token is limited to; null: all of the installation's. */
  repositories: string[] | null;
}

export class TokenStore {
  private readonly tokens = new Map<string, IssuedToken>();

  issue(installationId: number, nowMs: number, permissions: Record<string, AccessLevel>, repositories: string[] | null): IssuedToken {
    const token = `ghs_${randomBytes(27).toString("base64url").replace(/[-_]/g, "x").slice(0, 36)}`;
    const t: IssuedToken = { token, installationId, expiresAt: nowMs + 3600_000, permissions, repositories };
    this.tokens.set(token, t);
    return t;
  }

  /** The token when it was issued and has not expired. */
  check(token: string, nowMs: number): IssuedToken | null {
    const t = this.tokens.get(token);
    return t && t.expiresAt > nowMs ? t : null;
  }

  revokeAll(): void {
    this.tokens.clear();
  }

  expireAll(): void {
    for (const t of this.tokens.values()) t.expiresAt = 0;
  }
}

const RANK: Record<AccessLevel, number> = { read: 1, write: 2 };

/** True when `granted` covers `level` of permission `name`. */
export function grants(granted: Record<string, AccessLevel>, name: string, level: AccessLevel): boolean {
  const g = granted[name];
  return g !== undefined && RANK[g] >= RANK[level];
}
