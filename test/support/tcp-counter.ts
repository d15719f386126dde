// A plain TCP forwarder that counts connections: TLS (and HTTP/2) pass through it
// untouched, so a test can see how many connections a client really opened. It can
// also reset every open connection at a moment the test chooses (the network drops).
import { connect, createServer, type AddressInfo, type Socket } from 'node:net';

export interface TcpCounter {
  host: string;
  connections(): number;
  /** Resets (RST) every connection open now, on the client's side. */
  resetAll(): void;
  stop(): Promise<void>;
}

export async function startTcpCounter(upstreamHost: string): Promise<TcpCounter> {
  const [hostname, port] = [upstreamHost.slice(0, upstreamHost.lastIndexOf(':')), Number(upstreamHost.slice(upstreamHost.lastIndexOf(':') + 1))];
  let count = 0;
  const open = new Set<Socket>();
  const clients = new Set<Socket>();
  const server = createServer((client) => {
    count++;
    clients.add(client);
    client.on('close', () => clients.delete(client));
    const upstream = connect(port, hostname);
    for (const s of [client, upstream]) {
      open.add(s);
      s.on('close', () => open.delete(s));
      s.on('error', () => undefined);
    }
    client.pipe(upstream).pipe(client);
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    host: `127.0.0.1:${(server.address() as AddressInfo).port}`,
    connections: () => count,
    resetAll: () => {
      for (const c of clients) c.resetAndDestroy();
    },
    stop: () => new Promise((resolve) => {
      for (const s of open) s.destroy();
      server.close(() => resolve());
    }),
  };
}
