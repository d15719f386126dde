// The registry handshake, composed. Every request to a registry goes through here:
//
//   1. Scheme   — https, or http for hosts in insecure-registries; a loopback host
//                 whose https side does not speak TLS is reached over http (scheme.ts).
//   2. Ping     — `GET /v2/` once per registry and run, anonymous; its 401 challenge
//                 says Basic or Bearer (ping.ts, auth/challenge.ts).
//   3. Identify — credentials for the registry (and repository) from the inputs,
//                 Docker config or containers auth.json, looked up once and masked
//                 (auth/credentials.ts, auth/docker-config.ts).
//   4. Authorize — Basic: the credentials themselves (auth/basic.ts). Bearer: a token
//                 for the request's scopes, one per credential and scope set, reused
//                 until it expires (auth/bearer.ts, auth/token.ts).
//   5. Send     — on the shared keep-alive agent with connect/headers/body timeouts
//                 and an overall deadline per request and per run (deadline.ts);
//                 redirects followed by hand, Authorization only to the registry's
//                 origin (http.ts); 429, 5xx and dropped connections retried with
//                 backoff, honouring Retry-After (retry.ts).
//   6. Re-challenge — a 401 is answered once: a new scheme, wider scopes on
//                 `insufficient_scope`, or a fresh token (auth/session.ts).
//   7. Errors   — what is left is the caller's: a status to interpret, or a
//                 REGISTRY_UNREACHABLE naming the kind of network failure (errors.ts).
import type { IncomingHttpHeaders } from 'node:http';
import type { Logger } from '../log.ts';
import { noCredentials, type Credential, type CredentialSource } from './auth/credentials.ts';
import { RegistryAuth } from './auth/session.ts';
import type { TokenContext } from './auth/token.ts';
import type { TokenGrants } from './auth/token-grants.ts';
import { discard, readAll } from './body.ts';
import { networkError } from './errors.ts';
import { headerValue, HttpClient, type HttpResponse, type RequestBody, type Timeouts } from './http.ts';
import { canonicalOrigin, registryKey, sameOrigin } from './origin.ts';
import { ping, type PingResult } from './ping.ts';
import { DEFAULT_RETRY_POLICY, isRetryableStatus, parseRetryAfter, systemClock, withRetry, type RetryClock, type RetryPolicy } from './retry.ts';
import { InsecureHosts } from './scheme.ts';
import { proxyFor } from '../http/proxy-env.ts';
import { normaliseScopes } from './scope.ts';
import { registryApiHost } from '../reference.ts';
import { DEFAULT_DEADLINES, type DeadlineSettings } from './deadline.ts';
import { declaredLength } from './http.ts';

// What a TLS client sees when the server answers its handshake in plain HTTP.
const NOT_TLS = new Set(['ERR_SSL_WRONG_VERSION_NUMBER', 'ERR_SSL_PACKET_LENGTH_TOO_LONG', 'ERR_SSL_HTTP_REQUEST', 'EPROTO']);

function notTls(err: unknown): boolean {
  for (let e: unknown = err, depth = 0; e instanceof Error && depth < 5; e = e.cause, depth++) {
    if (NOT_TLS.has(String((e as { code?: unknown }).code))) return true;
  }
  return false;
}

export interface TransportOptions {
  logger: Logger;
  credentials?: CredentialSource;
  insecureRegistries?: readonly string[];
  retry?: Partial<RetryPolicy>;
  timeouts?: Timeouts;
  userAgent?: string;
  /** Tests replace sleeping and the clock. */
  clock?: RetryClock;
  /** Per-request deadlines (tests shrink them). */
  deadlines?: Partial<DeadlineSettings>;
  /** The run's deadline: aborts every request still open when it passes. */
  signal?: AbortSignal;
}

export interface RegistryRequest {
  /** The registry as in a reference: `docker.io`, `ghcr.io`, `127.0.0.1:5000`. */
  registry: string;
  /** The repository whose credentials apply (the target, for a mount). */
  repository: string;
  method: string;
  /** A path (`/v2/acme/api/manifests/1.0`) or an absolute URL the registry returned (`Location`). */
  path: string;
  /** Token scopes the request needs: `repository:acme/api:pull`. */
  scopes: readonly string[];
  headers?: Record<string, string>;
  body?: RequestBody;
  /** False for requests that must not be repeated (default true). */
  retry?: boolean;
  /** 0 hands redirects to the caller. */
  maxRedirects?: number;
  /** Bytes the response is expected to carry (a blob's size): its deadline grows with them. */
  size?: number;
}

export interface BufferedResponse {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
  url: URL;
  /** What the bearer token sent says it grants, when it says (never the token itself). */
  grants?: TokenGrants;
}

export class Transport {
  readonly http: HttpClient;
  readonly insecure: InsecureHosts;
  readonly logger: Logger;
  private readonly credentials: CredentialSource;
  private readonly policy: RetryPolicy;
  private readonly clock: RetryClock;
  private readonly pings = new Map<string, Promise<PingResult>>();
  /** Loopback registries that answered over plain HTTP, by canonical name. */
  private readonly plainOrigins = new Map<string, string>();
  private readonly sessions = new Map<string, Promise<RegistryAuth>>();

  constructor(options: TransportOptions) {
    this.logger = options.logger;
    this.credentials = options.credentials ?? noCredentials;
    this.insecure = new InsecureHosts(options.insecureRegistries ?? []);
    this.policy = { ...DEFAULT_RETRY_POLICY, ...options.retry };
    this.clock = options.clock ?? systemClock;
    this.http = new HttpClient({
      ...(options.timeouts ? { timeouts: options.timeouts } : {}),
      userAgent: options.userAgent ?? 'immutag',
      plainHttpAllowed: (host) => this.insecure.has(host),
    });
    this.http.deadlines = { ...DEFAULT_DEADLINES, ...options.deadlines };
    this.http.runSignal = options.signal;
  }

  /**
   * The canonical origin of the registry's API, `https://host` (http for insecure hosts):
   * what every origin comparison (Authorization, "absent only from the registry") uses.
   */
  origin(registry: string): string {
    return this.plainOrigins.get(registryKey(registry)) ?? this.insecure.originFor(registryApiHost(registry));
  }

  /** The `Docker-Distribution-Api-Version` the registry's /v2/ answered with, if any. */
  async apiVersion(registry: string): Promise<string | undefined> {
    return (await this.pinged(registry)).apiVersion;
  }

  /** The credential that requests on `repository` use (undefined: anonymous). */
  async credential(registry: string, repository: string): Promise<Credential | undefined> {
    return (await this.session(registry)).credential(repository);
  }

  /** Tokens fetched from `registry`'s realm in this run. */
  async tokensFetched(registry: string): Promise<number> {
    return (await this.session(registry)).tokensFetched;
  }

  /** A streaming response; the caller must read or discard `body`. */
  async request(req: RegistryRequest): Promise<HttpResponse> {
    return (await this.exchange(req, async (res) => res, (res) => discard(res.body))).res;
  }

  /** A response read whole, up to `maxBytes`; a body that breaks off is retried like a failed connection. */
  async fetch(req: RegistryRequest, maxBytes: number): Promise<BufferedResponse> {
    const what = `${req.method} ${req.path}`;
    const { res, grants } = await this.exchange(req, async (r) => ({ ...r, body: await readAll(r.body, maxBytes, what) }), async () => {});
    return grants === undefined ? res : { ...res, grants };
  }

  async close(): Promise<void> {
    await this.http.close();
  }

  // Keyed by the canonical name: `Registry.Example.com` and `registry.example.com:443` share one.
  private pinged(registry: string): Promise<PingResult> {
    const key = registryKey(registry);
    let pinged = this.pings.get(key);
    if (pinged === undefined) {
      pinged = this.ping(registry);
      this.pings.set(key, pinged); // a failed ping is kept: every tag reports it, none repeats it
    }
    return pinged;
  }

  /**
   * The ping, over plain HTTP for a loopback host whose HTTPS side is not TLS (scheme.ts).
   * Only on a direct connection: the exception rests on loopback traffic never leaving
   * the machine, and through a proxy it does (credentials in clear to whatever answers
   * the proxy's CONNECT). There, plain HTTP takes insecure-registries or NO_PROXY.
   */
  private async ping(registry: string): Promise<PingResult> {
    const host = registryApiHost(registry);
    try {
      return await ping(this.http, this.origin(registry), this.policy, this.clock);
    } catch (err) {
      const plain = canonicalOrigin('http', host);
      if (!this.insecure.fallsBackToPlainHttp(host) || !notTls(err) || proxyFor(new URL(plain)) !== undefined) throw err;
      this.logger.debug(`${host} does not speak TLS; it is a loopback host, so immutag uses ${plain}`);
      const result = await ping(this.http, plain, this.policy, this.clock);
      this.plainOrigins.set(registryKey(registry), plain);
      return result;
    }
  }

  private session(registry: string): Promise<RegistryAuth> {
    const key = registryKey(registry);
    let session = this.sessions.get(key);
    if (session === undefined) {
      const ctx: TokenContext = { http: this.http, insecure: this.insecure, logger: this.logger, retry: this.policy, clock: this.clock };
      session = this.pinged(registry).then(({ challenge }) => new RegistryAuth(registry, challenge, this.credentials, ctx));
      this.sessions.set(key, session);
    }
    return session;
  }

  private async exchange<R extends { status: number; headers: IncomingHttpHeaders; url: URL }>(
    req: RegistryRequest,
    read: (res: HttpResponse) => Promise<R>,
    drop: (r: R) => Promise<void>,
  ): Promise<{ res: R; grants: TokenGrants | undefined }> {
    const auth = await this.session(req.registry); // first: the ping settles the origin
    const origin = this.origin(req.registry);
    const url = new URL(req.path, origin);
    let scopes = normaliseScopes(req.scopes);
    for (let round = 1; ; round++) {
      const authorization = await auth.authorization(req.repository, scopes);
      const res = await this.send(req, url, authorization === undefined ? undefined : { value: authorization, origin }, read, drop);
      // A 401 from another origin (an upload Location elsewhere, or where a redirect led) is
      // not this registry's challenge: adopting its realm would send credentials there.
      if (res.status !== 401 || round > 1 || !sameOrigin(res.url, origin)) return { res, grants: auth.grants(authorization) };
      const next = await auth.onUnauthorized(req.repository, scopes, res.headers['www-authenticate']);
      if (next === undefined) return { res, grants: auth.grants(authorization) };
      await drop(res);
      scopes = next;
    }
  }

  private async send<R extends { status: number; headers: IncomingHttpHeaders; url: URL }>(
    req: RegistryRequest,
    url: URL,
    authorization: { value: string; origin: string } | undefined,
    read: (res: HttpResponse) => Promise<R>,
    drop: (r: R) => Promise<void>,
  ): Promise<R> {
    const policy = req.retry === false ? { ...this.policy, maxAttempts: 1 } : this.policy;
    // One deadline for the request, its retries and its body together.
    const deadline = this.http.deadline(`${req.method} ${url.host}${url.pathname}`, req.size ?? declaredLength(req.headers));
    const attempt = async (): Promise<R> => read(await this.http.send({
      url,
      deadline,
      method: req.method,
      ...(req.headers ? { headers: req.headers } : {}),
      ...(req.body !== undefined ? { body: req.body } : {}),
      ...(authorization ? { authorization } : {}),
      ...(req.maxRedirects !== undefined ? { maxRedirects: req.maxRedirects } : {}),
    }));
    try {
      return await withRetry(attempt, {
        retryable: (r) => isRetryableStatus(r.status)
          ? { reason: `HTTP ${r.status}`, retryAfterMs: parseRetryAfter(headerValue(r.headers, 'retry-after'), this.clock.now()) }
          : undefined,
        discard: drop,
        onRetry: ({ attempt: n, delayMs, reason }) =>
          this.logger.debug(`${req.method} ${url.host}${url.pathname}: ${reason}, retry ${n} in ${delayMs} ms`),
      }, policy, this.clock, deadline);
    } catch (err) {
      throw networkError(err, url.host, `${req.method} ${url.host}${url.pathname}`);
    }
  }
}
