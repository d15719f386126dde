// A TLS front for the REAL registry: it terminates TLS with the registry's own
// certificate and the given options (old versions, one cipher, a client certificate
// required) and relays the plain bytes to the registry, so a test sees how immutag
// answers a TLS set-up the registry itself cannot be configured for.
import { readFile } from 'node:fs/promises';
import { connect, type AddressInfo, type Socket } from 'node:net';
import { join } from 'node:path';
import { createServer, type TlsOptions } from 'node:tls';
import type { TestRegistry } from './registry.ts';

export interface TlsFront {
  host: string;
  stop(): Promise<void>;
}

/** `reg` must have TLS material (tls or tokenTls): the front presents its certificate. */
export async function startTlsFront(reg: TestRegistry, options: TlsOptions): Promise<TlsFront> {
  const [cert, key] = await Promise.all([readFile(join(reg.dir, 'tls', 'server.pem')), readFile(join(reg.dir, 'tls', 'server.key'))]);
  const target = new URL(reg.url);
  const open = new Set<Socket>();
  const server = createServer({ cert, key, ...options }, (client) => {
    const up = connect(Number(target.port), target.hostname);
    for (const s of [client, up]) {
      open.add(s);
      s.on('close', () => open.delete(s));
      s.on('error', () => undefined);
    }
    client.pipe(up).pipe(client);
  });
  server.on('tlsClientError', () => undefined);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    host: `127.0.0.1:${(server.address() as AddressInfo).port}`,
    stop: () => new Promise((r) => {
      for (const s of open) s.destroy();
      server.close(() => r());
    }),
  };
}
