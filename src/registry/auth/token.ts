// Fetching one bearer token from a token realm.
// https://distribution.github.io/distribution/spec/auth/token/ (GET with Basic)
// https://distribution.github.io/distribution/spec/auth/oauth/ (POST with a refresh token)
import { ImmutagError } from '../../errors.ts';
import { registerSecret } from '../../secrets.ts';
import type { Logger } from '../../log.ts';
import { discard, readAll, readPrefix } from '../body.ts';
import { httpError, networkError, parseErrorBody } from '../errors.ts';
import { headerValue, type HttpClient, type HttpResponse } from '../http.ts';
import { isRetryableStatus, parseRetryAfter, withRetry, type RetryClock, type RetryPolicy } from '../retry.ts';
import type { InsecureHosts } from '../scheme.ts';
import { basicValue, describeCredential, IDENTITY_TOKEN_USER, type Credential } from './credentials.ts';

export interface TokenRequest {
  realm: string;
  service?: string;
  scopes: readonly string[];
  credential: Credential | undefined;
}

export interface Token {
  token: string;
  /** Seconds from issue; the spec's default when the server is silent is 60. */
  expiresIn: number;
}

export interface TokenContext {
  http: HttpClient;
  insecure: InsecureHosts;
  logger: Logger;
  retry: RetryPolicy;
  clock: RetryClock;
}

const TOKEN_BODY_LIMIT = 1024 * 1024;
const DEFAULT_EXPIRES_IN = 60;
const CLIENT_ID = 'immutag';

export async function requestToken(ctx: TokenContext, req: TokenRequest): Promise<Token> {
  const realm = checkRealm(ctx, req);
  const cred = req.credential;
  if (cred?.kind === 'identity-token') {
    const res = await send(ctx, realm, req, () => oauthPost(realm, req, cred.token));
    // Not every token server speaks the OAuth2 POST; the spec's GET with Basic is the fallback.
    if (res.status !== 404 && res.status !== 405) return readToken(ctx, realm, res, req);
    const username = cred.username ?? IDENTITY_TOKEN_USER;
    return readToken(ctx, realm, await send(ctx, realm, req, () => basicGet(realm, req, username, cred.token)), req);
  }
  if (cred?.kind === 'basic') {
    return readToken(ctx, realm, await send(ctx, realm, req, () => basicGet(realm, req, cred.username, cred.password)), req);
  }
  return readToken(ctx, realm, await send(ctx, realm, req, () => anonymousGet(realm, req)), req);
}

/** Credentials go to a realm only over HTTPS, or plain HTTP to a host the user listed as insecure. */
function checkRealm(ctx: TokenContext, req: TokenRequest): URL {
  let realm: URL;
  try {
    realm = new URL(req.realm);
  } catch {
    throw realmError(`The registry's token realm "${req.realm}" is not a URL`);
  }
  if (realm.protocol !== 'https:' && realm.protocol !== 'http:') {
    throw realmError(`The registry's token realm ${realm.origin} is not http(s)`);
  }
  if (realm.protocol === 'http:' && req.credential !== undefined && !ctx.insecure.has(realm.host)) {
    throw new ImmutagError('AUTH_FAILED', `Refusing to send ${describeCredential(req.credential)} to the token realm ${realm.origin} over plain HTTP`, {
      hint: `Serve the token realm over HTTPS, or list ${realm.host} in insecure-registries if plain HTTP is intended.`,
    });
  }
  return realm;
}

interface Prepared {
  url: URL;
  method: string;
  headers?: Record<string, string>;
  body?: string;
  authorization?: { value: string; origin: string };
  maxRedirects?: number;
}

function withParams(realm: URL, req: TokenRequest, account?: string): URL {
  const url = new URL(realm.href);
  if (req.service) url.searchParams.set('service', req.service);
  for (const scope of req.scopes) url.searchParams.append('scope', scope);
  if (account) url.searchParams.set('account', account);
  return url;
}

function basicGet(realm: URL, req: TokenRequest, username: string, password: string): Prepared {
  const account = username === IDENTITY_TOKEN_USER ? undefined : username;
  return {
    url: withParams(realm, req, account),
    method: 'GET',
    authorization: { value: `Basic ${basicValue(username, password)}`, origin: realm.origin },
  };
}

function anonymousGet(realm: URL, req: TokenRequest): Prepared {
  return { url: withParams(realm, req), method: 'GET' };
}

function oauthPost(realm: URL, req: TokenRequest, refreshToken: string): Prepared {
  const form = new URLSearchParams({ grant_type: 'refresh_token', refresh_token: refreshToken, client_id: CLIENT_ID });
  if (req.service) form.set('service', req.service);
  if (req.scopes.length > 0) form.set('scope', req.scopes.join(' '));
  return {
    url: new URL(realm.href),
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: form.toString(),
    // The form carries the refresh token: it goes to the realm and nowhere else.
    maxRedirects: 0,
  };
}

/** An answer whose body was read whole inside the retried attempt (an error's, in part). */
interface TokenAnswer {
  status: number;
  headers: HttpResponse['headers'];
  body: Buffer;
}

/**
 * The body is read inside the retried attempt: a token answer cut off mid-body is a
 * dropped connection like any other, retried, and never mistaken for an answer that
 * is not a token (which would fail every request of the run).
 */
async function send(ctx: TokenContext, realm: URL, req: TokenRequest, prepare: () => Prepared): Promise<TokenAnswer> {
  const p = prepare();
  const what = describe(realm, req);
  const deadline = ctx.http.deadline(`Token request to ${realm.origin}${realm.pathname}`);
  const attempt = async (): Promise<TokenAnswer> => {
    const res = await ctx.http.send({ ...p, deadline });
    if (req.credential !== undefined && res.url.origin !== realm.origin) {
      // http.ts drops Authorization at another origin: whatever token that origin issues
      // was issued to nobody, and an anonymous view must never pass for the user's.
      await discard(res.body);
      throw new ImmutagError('AUTH_FAILED', `${what}: the token realm redirected to ${res.url.origin}, which never saw ${describeCredential(req.credential)}`, {
        hint: 'Point the registry\'s token realm at the token service itself, not at a redirect to another host.',
      });
    }
    const body = res.status === 200 ? await readAll(res.body, TOKEN_BODY_LIMIT, what) : await readPrefix(res.body);
    return { status: res.status, headers: res.headers, body };
  };
  try {
    return await withRetry(attempt, {
      retryable: (r) => isRetryableStatus(r.status)
        ? { reason: `HTTP ${r.status}`, retryAfterMs: parseRetryAfter(headerValue(r.headers, 'retry-after')) }
        : undefined,
    }, ctx.retry, ctx.clock, deadline);
  } catch (err) {
    throw networkError(err, realm.host, `Token request to ${realm.origin}${realm.pathname}`);
  }
}

function describe(realm: URL, req: TokenRequest): string {
  return `Token request to ${realm.origin}${realm.pathname} for ${req.scopes.join(' ') || 'no scope'}`;
}

function readToken(ctx: TokenContext, realm: URL, res: TokenAnswer, req: TokenRequest): Token {
  const what = describe(realm, req);
  if (res.status !== 200) {
    const err = httpError(res.status, parseErrorBody(res.body), { what, authenticated: req.credential !== undefined });
    if (res.status === 401 || res.status === 403) {
      throw new ImmutagError('AUTH_FAILED', `${err.message} (with ${describeCredential(req.credential)})`, {
        hint: 'The token service refused these credentials: check the username and the password or token.',
      });
    }
    throw err;
  }
  let json: unknown;
  try {
    json = JSON.parse(res.body.toString('utf8'));
  } catch {
    throw new ImmutagError('AUTH_FAILED', `${what}: the answer is not JSON`, { hint: 'The token realm is not a distribution token service.' });
  }
  const body = (json ?? {}) as { token?: unknown; access_token?: unknown; expires_in?: unknown; refresh_token?: unknown };
  const token = typeof body.token === 'string' && body.token !== '' ? body.token : body.access_token;
  if (typeof token !== 'string' || token === '') {
    throw new ImmutagError('AUTH_FAILED', `${what}: the answer has neither "token" nor "access_token"`, {
      hint: 'The token realm is not a distribution token service.',
    });
  }
  ctx.logger.secret(token);
  registerSecret(token);
  if (typeof body.refresh_token === 'string') registerSecret(body.refresh_token);
  // The spec: tokens live at least 60 s; a smaller or missing value means 60.
  const expiresIn = typeof body.expires_in === 'number' && body.expires_in > DEFAULT_EXPIRES_IN ? body.expires_in : DEFAULT_EXPIRES_IN;
  return { token, expiresIn };
}

function realmError(message: string): ImmutagError {
  return new ImmutagError('AUTH_FAILED', message, {
    hint: 'The registry\'s WWW-Authenticate challenge names an unusable token realm; check the registry\'s auth configuration.',
  });
}
