// The transport loads h2.ts while the first TLS connection to an origin is made, and
// waits for it when the server chose h2 (src/http/transport.ts, probe). A reset from the
// server in that window must be a transport error, never an uncaught exception that ends
// the process. The load is slowed by 2 s here (a cold disk, a loaded runner) so the reset,
// 50 ms after the handshake, lands inside the window.
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { register } from 'node:module';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { createServer } from 'node:net';
import { createSecureContext, TLSSocket } from 'node:tls';
import { makeTls } from './support/tls.ts';

// Slow the load of src/http/h2.ts (and only it) by 2 s.
register(`data:text/javascript,${encodeURIComponent(`
export async function load(url, context, next) {
  if (url.endsWith('/src/http/h2.ts')) await new Promise((r) => setTimeout(r, 2000));
  return next(url, context);
}`)}`);
const { Transport } = await import('../src/http/transport.ts');

const dir = await mkdtemp(join(tmpdir(), 'immutag-h2-window-'));
after(() => rm(dir, { recursive: true, force: true }));
const tls = await makeTls(dir);

test('a server that resets the connection right after choosing h2 is a transport error, not an uncaught exception', async () => {
  const uncaught: unknown[] = [];
  const onUncaught = (err: unknown) => uncaught.push(err);
  process.on('uncaughtException', onUncaught);
  const cert = await readFile(tls.certFile);
  const key = await readFile(tls.keyFile);
  // TLS on a TCP socket of our own, so the connection can be reset (RST) once h2 is chosen.
  const server = createServer((raw) => {
    const secure = new TLSSocket(raw, { isServer: true, cert, key, ALPNProtocols: ['h2'] });
    secure.on('error', () => {});
    secure.once('secure', () => { secure.write(Buffer.alloc(100)); setTimeout(() => raw.resetAndDestroy(), 50); });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const ca = await readFile(tls.caFile);
  const transport = new Transport({ connectMs: 5000, headersMs: 5000, bodyMs: 5000, tlsContext: () => createSecureContext({ ca }) });
  try {
    const origin = new URL(`https://127.0.0.1:${(server.address() as AddressInfo).port}`);
    const outcome = await transport.request({ origin, path: '/v2/', method: 'GET', headers: {}, body: null, signal: new AbortController().signal })
      .then(() => 'answered', (err: Error) => `rejected: ${(err as { code?: string }).code}`);
    assert.match(outcome, /^rejected/);
    assert.deepEqual(uncaught.map((e) => `${(e as { code?: string }).code}: ${(e as Error).message}`), []);
  } finally {
    process.off('uncaughtException', onUncaught);
    transport.close();
    server.close();
  }
});
