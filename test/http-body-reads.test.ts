// Bodies read by src/registry/body.ts over real HTTP/1.1 and HTTP/2 exchanges on the
// transport: an abort mid-read, a ceiling, a body cut short and a body read after its
// end each settle (never hang), and a discarded HTTP/1.1 body leaves its connection
// reusable. Local Node servers, not a registry: this is the transport's contract.
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer } from 'node:http';
import { createSecureServer } from 'node:http2';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { createSecureContext } from 'node:tls';
import { Transport } from '../src/http/transport.ts';
import { discard, readAll, readPrefix } from '../src/registry/body.ts';
import { makeTls } from './support/tls.ts';

const dir = await mkdtemp(join(tmpdir(), 'immutag-body-reads-'));
after(() => rm(dir, { recursive: true, force: true }));
const tls = await makeTls(dir);
const ca = await readFile(tls.caFile);
const settings = { connectMs: 5000, headersMs: 5000, bodyMs: 5000, tlsContext: () => createSecureContext({ ca }) };

/** What the handler uses of an HTTP/1.1 or HTTP/2 response. */
interface Answer {
  writeHead(status: number, headers: Record<string, string>): unknown;
  write(chunk: string): unknown;
  end(chunk: string | Buffer): unknown;
}
type Handler = (path: string, res: Answer) => void;
const handler: Handler = (path, res) => {
  if (path === '/stall') { res.writeHead(200, { 'content-length': '1000' }); res.write('x'.repeat(10)); return; }
  if (path === '/big') { res.writeHead(200, { 'content-length': String(1 << 20) }); res.end(Buffer.alloc(1 << 20)); return; }
  if (path === '/short') { res.writeHead(200, { 'content-length': '1000' }); res.end('x'.repeat(10)); return; }
  res.writeHead(200, { 'content-length': '5' }); res.end('hello');
};

async function servers() {
  let connections = 0;
  const h1 = createServer({ keepAlive: true }, (req, res) => {
    if (req.url === '/short') { res.writeHead(200, { 'content-length': '1000' }); res.write('x'.repeat(10), () => req.socket.destroy()); return; }
    handler(req.url!, res);
  });
  h1.on('connection', () => connections++);
  const h2 = createSecureServer({ cert: await readFile(tls.certFile), key: await readFile(tls.keyFile) }, (req, res) => handler(req.url, res));
  await new Promise<void>((r) => h1.listen(0, '127.0.0.1', r));
  await new Promise<void>((r) => h2.listen(0, '127.0.0.1', r));
  return {
    origins: [`http://127.0.0.1:${(h1.address() as AddressInfo).port}`, `https://127.0.0.1:${(h2.address() as AddressInfo).port}`],
    connections: () => connections,
    close: () => { h1.closeAllConnections(); h1.close(); h2.close(); },
  };
}

function get(t: Transport, origin: string, path: string, signal = new AbortController().signal) {
  return t.request({ origin: new URL(origin), path, method: 'GET', headers: {}, body: null, signal });
}

/** What a read came to: its length, its error code and message, or HANG after 3 s (every case here settles in milliseconds). */
const outcome = (p: Promise<unknown>) => Promise.race([
  p.then((v) => `ok ${Buffer.isBuffer(v) ? v.length : v}`, (e: Error) => `err ${(e as { code?: string }).code ?? ''} ${e.message}`),
  new Promise((r) => setTimeout(() => r('HANG'), 3000)),
]);

test('over HTTP/1.1 and HTTP/2: an abort mid-read, a limit, a short body, a body read after its end', async () => {
  const s = await servers();
  const t = new Transport(settings);
  try {
    for (const origin of s.origins) {
      const ac = new AbortController();
      const stalled = await get(t, origin, '/stall', ac.signal);
      setTimeout(() => ac.abort(new Error('run aborted')), 50);
      assert.equal(await outcome(readAll(stalled.body, 1 << 20, 'x')), 'err  run aborted', origin);

      const big = await get(t, origin, '/big');
      assert.match(String(await outcome(readAll(big.body, 1000, 'big'))), /^err LIMIT_EXCEEDED/, origin);
      assert.equal(big.body.destroyed, true);

      const short = await get(t, origin, '/short');
      assert.match(String(await outcome(readAll(short.body, 1 << 20, 'short'))), /^err (ECONNRESET|ERR_STREAM_PREMATURE_CLOSE|ERR_HTTP2_STREAM_ERROR)/, origin);

      const whole = await get(t, origin, '/ok');
      await new Promise((r) => setTimeout(r, 50));
      assert.equal(await outcome(readAll(whole.body, 100, 'ok')), 'ok 5', origin);
      const prefix = await get(t, origin, '/big');
      assert.equal(await outcome(readPrefix(prefix.body, 100)), 'ok 100', origin);
    }
  } finally {
    t.close();
    s.close();
  }
});

test('discard keeps an HTTP/1.1 connection for the next request', async () => {
  const s = await servers();
  const t = new Transport(settings);
  try {
    for (let i = 0; i < 5; i++) await discard((await get(t, s.origins[0]!, '/ok')).body);
    assert.equal(s.connections(), 1);
  } finally {
    t.close();
    s.close();
  }
});
