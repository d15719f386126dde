// The registry handshake, composed. Every request to a registry goes through here:
//
//   1. Scheme   — https, or http for hosts in insecure-registries (scheme.ts).
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
import { discard, readAll } from './body.ts';
import { networkError } from './errors.ts';
import { headerValue, HttpClient, type HttpResponse, type RequestBody, type Timeouts } from './http.ts';
import { ping } from './ping.ts';
import { DEFAULT_RETRY_POLICY, isRetryableStatus, parseRetryAfter, systemClock, withRetry, type RetryClock, type RetryPolicy } from './retry.ts';
import { InsecureHosts } from './scheme.ts';
import { normaliseScopes } from './scope.ts';
import { registryApiHost } from '../reference.ts';
import { DEFAULT_DEADLINES, type DeadlineSettings } from './deadline.ts';
import { declaredLength } from './http.ts';

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
}

export class Transport {
  readonly http: HttpClient;
  readonly insecure: InsecureHosts;
  readonly logger: Logger;
  private readonly credentials: CredentialSource;
  private readonly policy: RetryPolicy;
  private readonly clock: RetryClock;
  private readonly sessions = new Map<string, Promise<RegistryAuth>>();

  constructor(options: TransportOptions) {
    this.logger = options.logger;
    this.credentials = options.credentials ?? noCredentials;
    this.insecure = new InsecureHosts(options.insecureRegistries ?? []);
    this.policy = { ...DEFAULT_RETRY_POLICY, ...options.retry };
    this.clock = options.clock ?? systemClock;
    this.http = new HttpClient({ ...(options.timeouts ? { timeouts: options.timeouts } : {}), userAgent: options.userAgent ?? 'immutag' });
    this.http.deadlines = { ...DEFAULT_DEADLINES, ...options.deadlines };
    this.http.runSignal = options.signal;
  }

  /** `https://host` (or http for insecure hosts) of the registry's API. */
  origin(registry: string): string {
    return this.insecure.originFor(registryApiHost(registry));
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
  request(req: RegistryRequest): Promise<HttpResponse> {
    return this.exchange(req, async (res) => res, (res) => discard(res.body));
  }

  /** A response read whole, up to `maxBytes`; a body that breaks off is retried like a failed connection. */
  fetch(req: RegistryRequest, maxBytes: number): Promise<BufferedResponse> {
    const what = `${req.method} ${req.path}`;
    return this.exchange(req, async (res) => ({ ...res, body: await readAll(res.body, maxBytes, what) }), async () => {});
  }

  async close(): Promise<void> {
    await this.http.close();
  }

  private session(registry: string): Promise<RegistryAuth> {
    let session = this.sessions.get(registry);
    if (session === undefined) {
      const ctx: TokenContext = { http: this.http, insecure: this.insecure, logger: this.logger, retry: this.policy, clock: this.clock };
      session = ping(this.http, this.origin(registry), this.policy, this.clock)
        .then((challenge) => new RegistryAuth(registry, challenge, this.credentials, ctx));
      this.sessions.set(registry, session); // a failed ping is kept: every tag reports it, none repeats it
    }
    return session;
  }

  private async exchange<R extends { status: number; headers: IncomingHttpHeaders; url: URL }>(
    req: RegistryRequest,
    read: (res: HttpResponse) => Promise<R>,
    drop: (r: R) => Promise<void>,
  ): Promise<R> {
    const origin = this.origin(req.registry);
    const url = new URL(req.path, origin);
    const auth = await this.session(req.registry);
    let scopes = normaliseScopes(req.scopes);
    for (let round = 1; ; round++) {
      const authorization = await auth.authorization(req.repository, scopes);
      const res = await this.send(req, url, authorization === undefined ? undefined : { value: authorization, origin }, read, drop);
      // A 401 from another origin (an upload Location elsewhere, or where a redirect led) is
      // not this registry's challenge: adopting its realm would send credentials there.
      if (res.status !== 401 || round > 1 || res.url.origin !== origin) return res;
      const next = await auth.onUnauthorized(req.repository, scopes, res.headers['www-authenticate']);
      if (next === undefined) return res;
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
