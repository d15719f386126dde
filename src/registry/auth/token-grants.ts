// What a bearer token says it grants. Docker-style token servers (distribution's token
// spec, docker/auth, Harbor, Docker Hub, ACR, Quay) issue JWTs whose `access` claim lists
// exactly the actions granted, which may be less than was asked. A registry that hides
// repositories the caller may not read answers a pull-less token's manifest read with
// 404 NAME_UNKNOWN, and that 404 must not read as "absent" (tag-state.ts).
// https://distribution.github.io/distribution/spec/auth/jwt/
//
// The signature is not checked: only the registry can trust a grant, but what the token
// server itself said it left out is enough to distrust a 404. Nothing of the token but
// the `access` claim is kept, so no message can quote the rest.

/** One `access` entry: actions granted on a typed, named resource. */
export interface GrantedAccess {
  readonly type: string;
  readonly name: string;
  readonly actions: readonly string[];
}

/** A token's `access` claim. */
export type TokenGrants = readonly GrantedAccess[];

/** The fact a manifest read carries when its token granted no pull on the repository. */
export interface PullNotGranted {
  readonly pullGranted: false;
  /** What the token granted, as scopes (`repository:team/app:push`); empty when nothing. */
  readonly granted: readonly string[];
}

const JWT = /^[A-Za-z0-9_-]+\.([A-Za-z0-9_-]+)\.[A-Za-z0-9_-]*$/;

/** The token's `access` claim; undefined when the token is opaque or does not say. */
export function readTokenGrants(token: string): TokenGrants | undefined {
  const payload = JWT.exec(token)?.[1];
  if (payload === undefined) return undefined;
  let claims: unknown;
  try {
    claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
  } catch {
    return undefined;
  }
  const access = typeof claims === 'object' && claims !== null ? (claims as { access?: unknown }).access : undefined;
  if (!Array.isArray(access)) return undefined;
  return Object.freeze(access.flatMap(grantedAccess));
}

function grantedAccess(entry: unknown): GrantedAccess[] {
  const e = entry as { type?: unknown; name?: unknown; actions?: unknown } | null;
  if (typeof e?.type !== 'string' || typeof e.name !== 'string') return [];
  const actions = Array.isArray(e.actions) ? e.actions.filter((a): a is string => typeof a === 'string') : [];
  return [{ type: e.type, name: e.name, actions }];
}

/**
 * Undefined when the grants allow pull on `repository`; as distribution's token access
 * controller does, entries for the same resource add up and `*` stands for every action.
 */
export function pullNotGranted(grants: TokenGrants, repository: string): PullNotGranted | undefined {
  const actions = grants.filter((g) => g.type === 'repository' && g.name === repository).flatMap((g) => g.actions);
  if (actions.includes('pull') || actions.includes('*')) return undefined;
  return { pullGranted: false, granted: grants.filter((g) => g.actions.length > 0).map((g) => `${g.type}:${g.name}:${g.actions.join(',')}`) };
}
