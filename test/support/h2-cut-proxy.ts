// A TLS relay in front of the real registry that speaks HTTP/2 to the client with the
// registry's own certificate, re-encrypts to the registry, and can drop the client's
// connection the moment the registry starts to answer (its first HEADERS frame on a
// stream): a connection lost after the request went out and before any response
// header came back, as a load balancer or a crashing server does it. Frames are only
// looked at (9-byte headers), never changed.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { connect as tlsConnect, createServer, type TLSSocket } from 'node:tls';
import type { AddressInfo } from 'node:net';
import type { TestRegistry } from './registry.ts';

const FRAME_HEADERS = 0x1;
const PREFACE_AND_SETTINGS = 0; // stream 0 carries SETTINGS, PING, WINDOW_UPDATE, GOAWAY

export interface H2CutProxy {
  host: string;
  /** Connections dropped before a response (one per cut). */
  cuts(): number;
  stop(): Promise<void>;
}

export async function startH2CutProxy(reg: TestRegistry): Promise<H2CutProxy> {
  const [cert, key, ca] = await Promise.all([
    readFile(join(reg.dir, 'tls', 'server.pem')), readFile(join(reg.dir, 'tls', 'server.key')), readFile(reg.caFile!),
  ]);
  const target = new URL(reg.url);
  const open = new Set<TLSSocket>();
  let cut = 0;
  const server = createServer({ cert, key, ALPNProtocols: ['h2'] }, (client) => {
    open.add(client);
    const upstream = tlsConnect({ host: target.hostname, port: Number(target.port), ca, ALPNProtocols: ['h2'], servername: 'localhost' });
    open.add(upstream);
    client.pipe(upstream);
    let pending = Buffer.alloc(0);
    upstream.on('data', (chunk: Buffer) => {
      pending = Buffer.concat([pending, chunk]);
      // Forward whole frames until a response HEADERS frame appears: then cut instead.
      let offset = 0;
      while (pending.length - offset >= 9) {
        const length = pending.readUIntBE(offset, 3);
        const type = pending[offset + 3]!;
        const stream = pending.readUInt32BE(offset + 5) & 0x7fffffff;
        if (type === FRAME_HEADERS && stream !== PREFACE_AND_SETTINGS) {
          client.write(pending.subarray(0, offset));
          cut++;
          client.destroy();
          upstream.destroy();
          return;
        }
        if (pending.length - offset < 9 + length) break;
        offset += 9 + length;
      }
      client.write(pending.subarray(0, offset));
      pending = pending.subarray(offset);
    });
    const close = () => {
      client.destroy();
      upstream.destroy();
    };
    client.on('error', close);
    upstream.on('error', close);
    client.on('close', close);
    upstream.on('close', close);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    host: `127.0.0.1:${(server.address() as AddressInfo).port}`,
    cuts: () => cut,
    stop: async () => {
      for (const s of open) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
