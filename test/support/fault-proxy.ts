// An HTTP proxy in front of the REAL registry that injects faults by rule: 429 with
// Retry-After, 5xx bursts, connection resets, truncated bodies, slow headers, held
// or trickled answers, stripped headers. Everything not matched by a rule is forwarded untouched (Host
// included, so the registry's own URLs point back at the proxy). It answers nothing
// by itself except the faults it is told to inject.
import { Agent, createServer, request, STATUS_CODES, type IncomingMessage, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';

export type FaultAction =
  /** Answer with this status instead of forwarding. */
  | { kind: 'status'; status: number; headers?: Record<string, string>; body?: string }
  /**
   * Answer `status` at once, on the raw connection, and read none of the request body for
   * `readAgainAfterMs`, keeping the connection open: a server that refused (or accepted)
   * an upload before its body arrived and stalled. Then it reads (and drops) the rest, so
   * a client that closed the connection meanwhile is seen to have (`SeenRequest.closed`).
   */
  | { kind: 'answer-early'; status: number; body?: string; readAgainAfterMs: number }
  /** Drop the client connection with a TCP reset, before any response. */
  | { kind: 'reset' }
  /** Forward the request, let the registry apply it, then drop the client connection without its answer. */
  | { kind: 'reset-after-forward' }
  /**
   * Forward, but cut the body after `bytes`. `keepLength` keeps the upstream Content-Length
   * and then resets the connection (a body that breaks off); otherwise Content-Length is
   * rewritten to match, so the client sees a complete, shorter answer.
   */
  | { kind: 'truncate'; bytes: number; keepLength?: boolean; stripHeaders?: string[] }
  /** Hold the response headers back for `ms`, then forward. */
  | { kind: 'delay'; ms: number }
  /** Forward the headers and the first `bytes` of the body, then send nothing more (the connection stays open). */
  | { kind: 'stall'; bytes: number }
  /** Answer nothing, ever: the request is read and the connection held open until the client gives up. */
  | { kind: 'hold' }
  /** Forward, but stop reading the request body for `ms` after its first `afterBytes` (an uplink that stalls a while). */
  | { kind: 'pause-body'; afterBytes: number; ms: number }
  /**
   * Forward the headers at once, then the body one `bytes`-sized piece every `everyMs`: never
   * silent long enough for an idle timeout, and never finished in any useful time.
   */
  | { kind: 'trickle'; bytes: number; everyMs: number }
  /** Forward without these response headers (lowercase names). */
  | { kind: 'strip-headers'; headers: string[] }
  /** Forward, replacing (or adding) these response headers (lowercase names). */
  | { kind: 'set-headers'; headers: Record<string, string> }
  /** Forward, but answer this instead when the registry answered `from` (a registry that hides 401s as 404s). */
  | { kind: 'replace-status'; from: number; status: number; headers?: Record<string, string>; body?: string }
  /** Answer a redirect to `base` + the request's path (e.g. another proxy, another origin). */
  | { kind: 'redirect'; base: string; status?: number }
  /** Answer `status` with an error body quoting the request's Authorization header, as careless gateways do. */
  | { kind: 'echo-authorization'; status: number };

export interface FaultRule {
  method?: string;
  /** Matches the request path (and query). */
  path?: RegExp;
  /** true: only requests without an Authorization header; false: only those with one. */
  anonymous?: boolean;
  /** Applies only when this returns true for the request's Authorization header. */
  caller?: (authorization: string | undefined) => boolean;
  /** How many matching requests the rule applies to (default: all). */
  times?: number;
  /**
   * Runs (and is awaited) when a request matches, before the action: another writer
   * lands "while" the request is in flight, in a fixed order instead of by timing.
   */
  during?: () => Promise<void>;
  action: FaultAction;
}

export interface SeenRequest {
  method: string;
  path: string;
  /** Whether the request carried an Authorization header. */
  authorization: boolean;
  /** The Connection header the client sent, if any. */
  connection?: string;
  /** The Cache-Control header the client sent, if any. */
  cacheControl?: string;
  /** The fault applied, if any. */
  fault?: FaultAction['kind'];
  /** Set once the client's connection that carried the request has closed. */
  closed?: boolean;
  /** answer-early: body bytes the client had sent by the time the connection closed. */
  bodyBytes?: number;
}

export interface FaultProxy {
  host: string;
  url: string;
  seen: SeenRequest[];
  /** Requests seen, optionally only those with this method and a path matching `path`. */
  count(method?: string, path?: RegExp): number;
  /** Replaces the rules (and their remaining counts). */
  setRules(rules: FaultRule[]): void;
  stop(): Promise<void>;
}

export interface FaultProxyOptions {
  /** Listen over HTTPS with this certificate (PEM), as a TLS front of a plain-HTTP registry. */
  tls?: { cert: string; key: string };
}

export async function startFaultProxy(upstreamUrl: string, rules: FaultRule[] = [], options: FaultProxyOptions = {}): Promise<FaultProxy> {
  const upstream = new URL(upstreamUrl);
  if (upstream.protocol !== 'http:') throw new Error('the fault proxy forwards to plain-HTTP registries only');
  const agent = new Agent({ keepAlive: true });
  let active = rules.map((r) => ({ ...r, left: r.times ?? Infinity }));
  const seen: SeenRequest[] = [];

  const server = createServer((req, res) => {
    const path = req.url ?? '/';
    const method = req.method ?? 'GET';
    const rule = active.find((r) => r.left > 0 && (r.method === undefined || r.method === method) && (r.path === undefined || r.path.test(path))
      && (r.anonymous === undefined || r.anonymous === (req.headers.authorization === undefined))
      && (r.caller === undefined || r.caller(req.headers.authorization)));
    if (rule) rule.left--;
    const entry: SeenRequest = {
      method, path, authorization: req.headers.authorization !== undefined,
      ...(req.headers.connection ? { connection: req.headers.connection } : {}),
      ...(req.headers['cache-control'] ? { cacheControl: req.headers['cache-control'] } : {}),
      ...(rule ? { fault: rule.action.kind } : {}),
    };
    seen.push(entry);
    entries.set(req, entry);
    req.socket.once('close', () => {
      entry.closed = true;
    });
    const during = rule?.during;
    if (during === undefined) {
      void handle(req, res, rule?.action, upstream, agent);
      return;
    }
    req.pause();
    void during().then(() => handle(req, res, rule?.action, upstream, agent), () => req.socket.destroy());
  });
  // A TLS front hands what it decrypts to the same handler.
  const front = options.tls ? createHttpsServer(options.tls, (req, res) => server.emit('request', req, res)) : server;
  await new Promise<void>((resolve) => front.listen(0, '127.0.0.1', resolve));
  const port = (front.address() as AddressInfo).port;
  return {
    host: `127.0.0.1:${port}`,
    url: `${options.tls ? 'https' : 'http'}://127.0.0.1:${port}`,
    seen,
    count: (method, path) => seen.filter((s) => (method === undefined || s.method === method) && (path === undefined || path.test(s.path))).length,
    setRules: (next) => {
      active = next.map((r) => ({ ...r, left: r.times ?? Infinity }));
    },
    stop: () => new Promise((resolve) => {
      agent.destroy();
      front.closeAllConnections();
      front.close(() => resolve());
    }),
  };
}

/** What was recorded of each request, for actions that add to it. */
const entries = new WeakMap<IncomingMessage, SeenRequest>();

async function handle(req: IncomingMessage, res: ServerResponse, action: FaultAction | undefined, upstream: URL, agent: Agent): Promise<void> {
  if (action?.kind === 'reset') {
    req.socket.resetAndDestroy();
    return;
  }
  if (action?.kind === 'status') {
    req.resume();
    res.writeHead(action.status, { 'content-type': 'application/json', ...action.headers });
    res.end(action.body ?? JSON.stringify({ errors: [{ code: 'INJECTED', message: `fault proxy: ${action.status}` }] }));
    return;
  }
  if (action?.kind === 'answer-early') {
    // Written on the socket, not through `res`: Node would read (and drop) the rest of the body.
    req.socket.pause();
    const body = action.body ?? '';
    req.socket.write(`HTTP/1.1 ${action.status} ${STATUS_CODES[action.status] ?? ''}\r\ncontent-type: application/json\r\ncontent-length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
    let bytes = 0;
    req.socket.once('close', () => {
      const entry = entries.get(req);
      if (entry !== undefined) entry.bodyBytes = bytes;
    });
    setTimeout(() => {
      // A 'data' listener reads: only from now on.
      req.on('data', (chunk: Buffer) => {
        bytes += chunk.length;
      });
      req.socket.resume();
    }, action.readAgainAfterMs);
    return;
  }
  if (action?.kind === 'echo-authorization') {
    req.resume();
    res.writeHead(action.status, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ errors: [{ code: 'DENIED', message: `not allowed with Authorization: ${req.headers.authorization ?? '(none)'}` }] }));
    return;
  }
  if (action?.kind === 'redirect') {
    req.resume();
    res.writeHead(action.status ?? 307, { location: new URL(req.url ?? '/', action.base).href, 'content-length': '0' });
    res.end();
    return;
  }
  if (action?.kind === 'hold') {
    req.resume();
    return;
  }
  if (action?.kind === 'delay') await new Promise((r) => setTimeout(r, action.ms));
  const forward = request({
    host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers: req.headers, agent,
  }, (up) => {
    if (action?.kind !== 'reset-after-forward') return respond(req, res, up, action);
    up.resume();
    up.on('end', () => req.socket.resetAndDestroy());
  });
  forward.on('error', () => req.socket.destroy());
  if (action?.kind !== 'pause-body') {
    req.pipe(forward);
    return;
  }
  let read = 0;
  let paused = false;
  req.on('data', (chunk: Buffer) => {
    forward.write(chunk);
    read += chunk.length;
    if (paused || read < action.afterBytes) return;
    paused = true;
    req.pause();
    setTimeout(() => req.resume(), action.ms);
  });
  req.on('end', () => forward.end());
}

function respond(req: IncomingMessage, res: ServerResponse, up: IncomingMessage, action: FaultAction | undefined): void {
  const headers = { ...up.headers };
  if (action?.kind === 'strip-headers') for (const h of action.headers) delete headers[h];
  if (action?.kind === 'set-headers') Object.assign(headers, action.headers);
  if (action?.kind === 'truncate') for (const h of action.stripHeaders ?? []) delete headers[h];
  if (action?.kind === 'stall') {
    const chunks: Buffer[] = [];
    up.on('data', (c: Buffer) => chunks.push(c));
    up.on('end', () => {
      res.writeHead(up.statusCode ?? 502, headers);
      res.write(Buffer.concat(chunks).subarray(0, action.bytes));
    });
    return;
  }
  if (action?.kind === 'trickle') {
    trickle(res, up, action.bytes, action.everyMs);
    return;
  }
  if (action?.kind === 'replace-status' && up.statusCode === action.from) {
    up.resume();
    res.writeHead(action.status, { 'content-type': 'application/json', ...action.headers });
    res.end(action.body ?? '');
    return;
  }
  if (action?.kind !== 'truncate') {
    res.writeHead(up.statusCode ?? 502, headers);
    up.pipe(res);
    return;
  }
  const chunks: Buffer[] = [];
  up.on('data', (c: Buffer) => chunks.push(c));
  up.on('end', () => {
    const body = Buffer.concat(chunks);
    const cut = body.subarray(0, Math.min(action.bytes, body.length));
    if (!action.keepLength) headers['content-length'] = String(cut.length);
    res.writeHead(up.statusCode ?? 502, headers);
    if (action.keepLength) {
      res.write(cut, () => req.socket.resetAndDestroy());
      return;
    }
    res.end(cut);
  });
}

function trickle(res: ServerResponse, up: IncomingMessage, bytes: number, everyMs: number): void {
  const chunks: Buffer[] = [];
  up.on('data', (c: Buffer) => chunks.push(c));
  up.on('end', () => {
    const body = Buffer.concat(chunks);
    res.writeHead(up.statusCode ?? 502, up.headers);
    res.flushHeaders();
    let sent = 0;
    const timer = setInterval(() => {
      if (res.destroyed || sent >= body.length) {
        clearInterval(timer);
        res.end();
        return;
      }
      res.write(body.subarray(sent, sent + bytes));
      sent += bytes;
    }, everyMs);
    res.on('close', () => clearInterval(timer));
  });
}
