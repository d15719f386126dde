// One HTTP exchange on the client's transport (http/transport.ts), redirects included.
// Redirects are followed here, by hand, so that `Authorization` goes only to the
// origin it was meant for: registries redirect blob reads and writes to storage
// hosts (S3, GCS, CDNs), which must never see a registry credential. A redirect from
// https to plain http is refused unless the target host is listed insecure: an answer
// that travelled in the clear (a manifest, a 404) could have been written by anyone
// on the path, and a verdict must not rest on it.
import type { IncomingHttpHeaders } from 'node:http';
import type { Readable } from 'node:stream';
import { Transport } from '../http/transport.ts';
import type { BodyWriter } from '../http/exchange.ts';
import { lazyTlsContext } from '../http/connect.ts';
import { DEFAULT_DEADLINES, requestDeadline, type Deadline, type DeadlineSettings } from './deadline.ts';
import { ImmutagError } from '../errors.ts';
import { discard } from './body.ts';
import { sameOrigin } from './origin.ts';

export interface Timeouts {
  connectMs: number;
  /** Until the response headers arrive. */
  headersMs: number;
  /** Longest silence between two body chunks. */
  bodyMs: number;
}

export const DEFAULT_TIMEOUTS: Timeouts = { connectMs: 10_000, headersMs: 30_000, bodyMs: 30_000 };

/** A body that can be sent again (retries, redirects, re-challenges): bytes, or a factory. */
export type RequestBody = string | Uint8Array | (() => BodyWriter);

export interface HttpRequest {
  url: URL;
  method: string;
  headers?: Record<string, string>;
  body?: RequestBody;
  /** Sent only to `origin` (the registry's), never after a redirect or to a Location elsewhere. */
  authorization?: { value: string; origin: string };
  /** 0 returns redirects to the caller (push reads `Location` of upload sessions itself). */
  maxRedirects?: number;
  /** The whole exchange's deadline, shared by its retries; default: one for this send alone. */
  deadline?: Deadline;
}

export interface HttpResponse {
  status: number;
  headers: IncomingHttpHeaders;
  /** Must be read or discarded by the caller. */
  body: Readable;
  /** Where the answer came from, after redirects. */
  url: URL;
}

const REDIRECTS = new Set([301, 302, 303, 307, 308]);

/** Whether following this redirect would send the request body again (RFC 9110 15.4). */
function keepsBody(status: number, method: string, body: RequestBody | undefined): boolean {
  if (body === undefined || status === 303) return false;
  return !((status === 301 || status === 302) && method === 'POST');
}

export class HttpClient {
  private readonly transport: Transport;
  private readonly userAgent: string;
  private readonly plainHttpAllowed: (host: string) => boolean;

  constructor(options: {
    timeouts?: Timeouts;
    userAgent?: string;
    /** Hosts a redirect from https may lead to over plain http (default: none). */
    plainHttpAllowed?: (host: string) => boolean;
  } = {}) {
    this.plainHttpAllowed = options.plainHttpAllowed ?? (() => false);
    const timeouts = options.timeouts ?? DEFAULT_TIMEOUTS;
    // HTTP/2 where the registry offers it (ALPN), so a check's requests share one
    // connection; kept-alive HTTP/1.1 otherwise. HTTP(S)_PROXY and NO_PROXY apply when
    // set, as for docker, skopeo and crane (http/proxy-env.ts).
    this.transport = new Transport({ ...timeouts, tlsContext: lazyTlsContext() });
    this.userAgent = options.userAgent ?? 'immutag';
  }

  /** HTTP exchanges sent, redirect hops included (the benchmark reports it). */
  requestCount = 0;

  /** Overall bounds (deadline.ts): per request, and the run's, which aborts every request open when it passes. */
  deadlines: DeadlineSettings = DEFAULT_DEADLINES;
  runSignal: AbortSignal | undefined;

  /** A deadline for `what` carrying `bytes` (a blob's size, an upload's length). */
  deadline(what: string, bytes = 0): Deadline {
    return requestDeadline(what, this.deadlines, bytes, this.runSignal);
  }

  async send(req: HttpRequest): Promise<HttpResponse> {
    const maxRedirects = req.maxRedirects ?? 5;
    let url = req.url;
    let method = req.method;
    let body = req.body;
    const signal = (req.deadline ?? this.deadline(`${req.method} ${req.url.host}${req.url.pathname}`, declaredLength(req.headers))).signal;
    for (let hop = 0; ; hop++) {
      const authorization = req.authorization !== undefined && sameOrigin(url, req.authorization.origin) ? req.authorization.value : undefined;
      const res = await this.once(url, method, req.headers ?? {}, body, authorization, signal);
      const location = headerValue(res.headers, 'location');
      if (!REDIRECTS.has(res.status) || location === undefined || maxRedirects === 0) return res;
      // A body (a token form, an upload) never follows a redirect to another origin.
      if (keepsBody(res.status, method, body) && new URL(location, url).origin !== url.origin) return res;
      await discard(res.body);
      if (hop >= maxRedirects) {
        throw new ImmutagError('REGISTRY_ERROR', `${req.method} ${req.url.origin}${req.url.pathname}: more than ${maxRedirects} redirects`, {
          hint: 'The registry or a proxy in front of it redirects in a loop; check its configuration.',
        });
      }
      url = this.redirectTarget(req, url, location);
      if (res.status === 303 || ((res.status === 301 || res.status === 302) && method === 'POST')) {
        if (method !== 'HEAD') method = 'GET';
        body = undefined;
      }
    }
  }

  /** Where a redirect leads, refusing what would leave TLS for a host not listed insecure. */
  private redirectTarget(req: HttpRequest, from: URL, location: string): URL {
    let next: URL;
    try {
      next = new URL(location, from);
    } catch {
      throw new ImmutagError('REGISTRY_ERROR', `${req.method} ${req.url.origin}${req.url.pathname} was redirected to an unreadable Location`, {
        hint: 'The registry or a proxy in front of it answers a broken redirect; check its configuration.',
      });
    }
    const plain = next.protocol === 'http:';
    if ((!plain && next.protocol !== 'https:') || (plain && from.protocol === 'https:' && !this.plainHttpAllowed(next.host))) {
      throw new ImmutagError('REGISTRY_ERROR', `${req.method} ${req.url.origin}${req.url.pathname} was redirected from ${from.origin} to ${next.origin}; ` +
        'immutag does not follow a redirect from HTTPS to plain HTTP', {
        hint: `An answer over plain HTTP could come from anyone on the network. Fix the redirect so it stays on HTTPS, or list ${next.host} in insecure-registries if plain HTTP to it is intended.`,
      });
    }
    return next;
  }

  async close(): Promise<void> {
    this.transport.close();
  }

  private async once(
    url: URL,
    method: string,
    headers: Record<string, string>,
    body: RequestBody | undefined,
    authorization: string | undefined,
    signal: AbortSignal,
  ): Promise<HttpResponse> {
    const sent: Record<string, string> = { 'user-agent': this.userAgent, ...lowercaseKeys(headers) };
    if (authorization !== undefined) sent['authorization'] = authorization;
    const payload = typeof body === 'function' ? body() : body;
    this.requestCount++;
    const res = await this.transport.request({
      origin: url,
      path: url.pathname + url.search,
      method,
      headers: sent,
      body: payload ?? null,
      // Aborts the exchange whenever the deadline passes: connecting, waiting, or mid-body.
      signal,
    });
    return { status: res.statusCode, headers: res.headers, body: res.body, url };
  }
}

/** The first value of a header, by lowercase name. */
export function headerValue(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** The Content-Length a request declares (an upload's), which scales its deadline. */
export function declaredLength(headers: Record<string, string> | undefined): number {
  const value = Object.entries(headers ?? {}).find(([k]) => k.toLowerCase() === 'content-length')?.[1];
  const n = Number(value);
  return Number.isSafeInteger(n) && n > 0 ? n : 0;
}

function lowercaseKeys(headers: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(headers)) out[k.toLowerCase()] = v;
  return out;
}
