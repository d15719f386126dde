// A forwarding proxy in front of the REAL registry for what the fault proxy does
// not do: hold one chosen request until the test lets it go, so a race (another
// writer landing between two of immutag's requests) happens in a fixed order
// instead of by timing; and rewrite the registry's upload `Location` (relative, or
// on another host, as upload services answer). Everything else is forwarded
// untouched (Host included); it never answers by itself.
import { Agent, createServer, request, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Pause {
  /** Resolves when the matching request arrived and is being held. */
  reached: Promise<void>;
  /** Forwards the held request. */
  release(): void;
}

export interface SeenRequest {
  method: string;
  path: string;
  authorization: boolean;
}

export interface ForwardingProxy {
  host: string;
  url: string;
  seen: SeenRequest[];
  /** Request body bytes sent to blob upload URLs so far. */
  uploadedBytes(): number;
  /** Holds the first request for which `match` returns true (it sees every request, in order). */
  pauseWhen(match: (method: string, path: string) => boolean): Pause;
  stop(): Promise<void>;
}

export interface ForwardingOptions {
  /** Rewrites the Location header of every answer that has one. */
  rewriteLocation?: (location: string) => string;
  /**
   * Sent upstream on every request, as an upload service that authorises by its own
   * URL (a presigned Location) would: the client sends no credentials of its own.
   */
  upstreamAuthorization?: string;
}

export async function startForwardingProxy(upstreamUrl: string, options: ForwardingOptions = {}): Promise<ForwardingProxy> {
  const upstream = new URL(upstreamUrl);
  const agent = new Agent({ keepAlive: true });
  const seen: SeenRequest[] = [];
  let uploaded = 0;
  let armed: { match: (method: string, path: string) => boolean; arrived: () => void; gate: Promise<void> } | undefined;

  const count = (req: IncomingMessage) => {
    if (/\/blobs\/uploads\//.test(req.url ?? '')) req.on('data', (chunk: Buffer) => (uploaded += chunk.length));
  };
  const server = createServer((req, res) => {
    const method = req.method ?? 'GET';
    const path = req.url ?? '/';
    seen.push({ method, path, authorization: req.headers.authorization !== undefined });
    const pause = armed?.match(method, path) ? armed : undefined;
    if (pause === undefined) {
      forward(req, res, upstream, agent, options, count);
      return;
    }
    armed = undefined;
    pause.arrived();
    void pause.gate.then(() => forward(req, res, upstream, agent, options, count));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    host: `127.0.0.1:${port}`,
    url: `http://127.0.0.1:${port}`,
    seen,
    uploadedBytes: () => uploaded,
    pauseWhen(match) {
      let arrived!: () => void;
      let release!: () => void;
      const reached = new Promise<void>((resolve) => (arrived = resolve));
      const gate = new Promise<void>((resolve) => (release = resolve));
      armed = { match, arrived, gate };
      return { reached, release };
    },
    stop: () => new Promise((resolve) => {
      agent.destroy();
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}

function forward(req: IncomingMessage, res: ServerResponse, upstream: URL, agent: Agent, options: ForwardingOptions, count: (req: IncomingMessage) => void): void {
  const headers = options.upstreamAuthorization ? { ...req.headers, authorization: options.upstreamAuthorization } : req.headers;
  const out = request({ host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers, agent }, (up) => {
    const headers = { ...up.headers };
    if (options.rewriteLocation && typeof headers.location === 'string') headers.location = options.rewriteLocation(headers.location);
    res.writeHead(up.statusCode ?? 502, headers);
    up.pipe(res);
  });
  out.on('error', () => req.socket.destroy());
  count(req);
  req.pipe(out);
}
