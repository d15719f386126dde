// A forwarding proxy in front of the REAL registry that can hold one chosen request
// until the test lets it go, so a race (another writer landing between two of
// immutag's requests) happens in a fixed order instead of by timing. Everything
// is forwarded untouched (Host included); it never answers by itself.
import { Agent, createServer, request, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Pause {
  /** Resolves when the matching request arrived and is being held. */
  reached: Promise<void>;
  /** Forwards the held request. */
  release(): void;
}

export interface PausingProxy {
  host: string;
  seen: { method: string; path: string }[];
  /** Holds the first request for which `match` returns true (it sees every request, in order). */
  pauseWhen(match: (method: string, path: string) => boolean): Pause;
  stop(): Promise<void>;
}

export async function startPausingProxy(upstreamUrl: string): Promise<PausingProxy> {
  const upstream = new URL(upstreamUrl);
  const agent = new Agent({ keepAlive: true });
  const seen: { method: string; path: string }[] = [];
  let armed: { match: (method: string, path: string) => boolean; arrived: () => void; gate: Promise<void> } | undefined;

  const server = createServer((req, res) => {
    const method = req.method ?? 'GET';
    const path = req.url ?? '/';
    seen.push({ method, path });
    const pause = armed !== undefined && armed.match(method, path) ? armed : undefined;
    if (pause === undefined) {
      forward(req, res, upstream, agent);
      return;
    }
    armed = undefined;
    pause.arrived();
    void pause.gate.then(() => forward(req, res, upstream, agent));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    host: `127.0.0.1:${port}`,
    seen,
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

function forward(req: IncomingMessage, res: ServerResponse, upstream: URL, agent: Agent): void {
  const out = request({ host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers: req.headers, agent }, (up) => {
    res.writeHead(up.statusCode ?? 502, up.headers);
    up.pipe(res);
  });
  out.on('error', () => req.socket.destroy());
  req.pipe(out);
}
