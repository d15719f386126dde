// Bearer tokens for one registry: one token per credential and scope set, shared by
// every request that needs it (concurrent requests wait on the same fetch), kept
// until shortly before `expires_in` runs out. A failed fetch is remembered too, so
// a wrong password is tried once per run, not once per tag (accounts get locked).
import { ImmutagError } from '../../errors.ts';
import type { Challenge } from './challenge.ts';
import type { Credential } from './credentials.ts';
import { requestToken, type TokenContext } from './token.ts';
import { readTokenGrants, type TokenGrants } from './token-grants.ts';
import { normaliseScopes } from '../scope.ts';

interface CachedToken {
  promise: Promise<{ token: string; expiresAt: number }>;
}

/** Refresh this long before expiry, so a token does not die in flight. */
const EXPIRY_MARGIN_MS = 10_000;
/** A run uses a handful of tokens; past this many the decoded grants start over. */
const GRANTS_REMEMBERED = 64;

export class BearerTokens {
  private realm: string;
  private service: string | undefined;
  private readonly ctx: TokenContext;
  private readonly cache = new Map<string, CachedToken>();
  /** Each token's `access` claim, decoded once: every request asks, only a new token pays. */
  private readonly decoded = new Map<string, TokenGrants | undefined>();
  /** Tokens fetched so far (tests and the benchmark count them). */
  fetched = 0;

  constructor(ctx: TokenContext, challenge: Challenge) {
    this.ctx = ctx;
    this.realm = challenge.params['realm'] ?? '';
    this.service = challenge.params['service'];
  }

  /** `Bearer <token>` for these scopes, fetching a token only when none is cached and fresh. */
  async authorization(scopes: readonly string[], credential: Credential | undefined, credentialKey: string): Promise<string> {
    if (credential?.kind === 'registry-token') return `${BEARER}${credential.token}`;
    const wanted = normaliseScopes(scopes);
    const key = cacheKey(credentialKey, wanted);
    let entry = this.cache.get(key);
    if (entry !== undefined && !(await this.fresh(entry))) entry = undefined;
    if (entry === undefined) {
      entry = { promise: this.fetch(wanted, credential) };
      this.cache.set(key, entry);
    }
    const { token } = await entry.promise;
    return `${BEARER}${token}`;
  }

  /** What the token in a `Bearer <token>` value handed out here says it grants (undefined: it does not say). */
  grants(authorization: string): TokenGrants | undefined {
    if (!authorization.startsWith(BEARER)) return undefined;
    const token = authorization.slice(BEARER.length);
    if (this.decoded.has(token)) return this.decoded.get(token);
    const grants = readTokenGrants(token);
    if (this.decoded.size >= GRANTS_REMEMBERED) this.decoded.clear();
    this.decoded.set(token, grants);
    return grants;
  }

  /** Forgets the token for these scopes (the registry rejected it). */
  invalidate(scopes: readonly string[], credentialKey: string): void {
    this.cache.delete(cacheKey(credentialKey, normaliseScopes(scopes)));
  }

  /** A later challenge may move the realm or service; later fetches follow it. */
  adopt(challenge: Challenge): void {
    const realm = challenge.params['realm'];
    if (realm !== undefined && realm !== this.realm) {
      this.realm = realm;
      this.cache.clear();
    }
    if (challenge.params['service'] !== undefined) this.service = challenge.params['service'];
  }

  private async fetch(scopes: string[], credential: Credential | undefined): Promise<{ token: string; expiresAt: number }> {
    this.fetched++;
    const request = { realm: this.realm, scopes, credential, ...(this.service !== undefined ? { service: this.service } : {}) };
    const { token, expiresIn } = await requestToken(this.ctx, request);
    const lifetimeMs = expiresIn * 1000;
    return { token, expiresAt: this.ctx.clock.now() + lifetimeMs - Math.min(EXPIRY_MARGIN_MS, lifetimeMs / 4) };
  }

  private async fresh(entry: CachedToken): Promise<boolean> {
    try {
      const { expiresAt } = await entry.promise;
      return expiresAt > this.ctx.clock.now();
    } catch (err) {
      // A refusal is kept (see the file comment); a connection that failed even after
      // its retries is not an answer about the credentials, so the next request tries again.
      return !(err instanceof ImmutagError && err.code === 'REGISTRY_UNREACHABLE');
    }
  }
}

const BEARER = 'Bearer ';

function cacheKey(credentialKey: string, scopes: readonly string[]): string {
  return `${credentialKey}\n${scopes.join(' ')}`;
}
