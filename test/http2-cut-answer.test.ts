// An HTTP/2 server (or a proxy in front of one) that resets a stream with NO_ERROR
// before END_STREAM cuts the answer short, and Node ends the stream as if it were
// whole. Where the answer declared its Content-Length, fewer bytes are a cut answer:
// a dropped connection to the retry rules. Before, a cut token answer was AUTH_FAILED
// ("not JSON") for the rest of the run, and a cut blob DIGEST_MISMATCH ("tampered"),
// neither retried. Found by a review helper.
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { constants, createSecureServer, type Http2SecureServer } from 'node:http2';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { createSecureContext, getCACertificates, setDefaultCACertificates } from 'node:tls';
import { Transport } from '../src/http/transport.ts';
import { MemoryLogger } from '../src/log.ts';
import { requestToken } from '../src/registry/auth/token.ts';
import { readAll } from '../src/registry/body.ts';
import { HttpClient } from '../src/registry/http.ts';
import { systemClock } from '../src/registry/retry.ts';
import { InsecureHosts } from '../src/registry/scheme.ts';
import { makeTls } from './support/tls.ts';

const dir = await mkdtemp(join(tmpdir(), 'immutag-h2-cut-'));
after(() => rm(dir, { recursive: true, force: true }));
const tls = await makeTls(dir);
const ANSWER = JSON.stringify({ token: 't'.repeat(2000), expires_in: 300 });

/** Answers with a declared length; `cut(n)` says whether the n-th answer stops after 100 bytes with a NO_ERROR reset. */
async function server(cut: (n: number) => boolean): Promise<{ url: string; requests: () => number; close: () => void }> {
  let n = 0;
  const s: Http2SecureServer = createSecureServer({ cert: await readFile(tls.certFile), key: await readFile(tls.keyFile) }, (req, res) => {
    n++;
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(ANSWER)) });
    if (req.method === 'HEAD') {
      res.end();
      return;
    }
    if (!cut(n)) {
      res.end(ANSWER);
      return;
    }
    res.write(ANSWER.slice(0, 100), () => setTimeout(() => res.stream.close(constants.NGHTTP2_NO_ERROR), 20));
  });
  await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve));
  return { url: `https://127.0.0.1:${(s.address() as AddressInfo).port}`, requests: () => n, close: () => s.close() };
}

async function read(transport: Transport, origin: string, method: string): Promise<string> {
  const res = await transport.request({ origin: new URL(origin), path: '/token', method, headers: {}, body: null, signal: new AbortController().signal });
  try {
    return `${(await readAll(res.body, 1 << 20, `${method} /token`)).length} bytes`;
  } catch (err) {
    return `${(err as { code?: string }).code}: ${(err as Error).message}`;
  }
}

test('an answer cut short of its Content-Length is a premature close; a whole answer and a HEAD are read as they are', async () => {
  const s = await server((n) => n === 1);
  const ca = await readFile(tls.caFile);
  const transport = new Transport({ connectMs: 5000, headersMs: 5000, bodyMs: 5000, tlsContext: () => createSecureContext({ ca }) });
  try {
    assert.equal(await read(transport, s.url, 'GET'), 'ERR_STREAM_PREMATURE_CLOSE: the HTTP/2 stream ended after 100 of the 2029 bytes its Content-Length declared');
    assert.equal(await read(transport, s.url, 'GET'), '2029 bytes');
    assert.equal(await read(transport, s.url, 'HEAD'), '0 bytes');
  } finally {
    transport.close();
    s.close();
  }
});

test('a token answer cut off over HTTP/2 is asked again, not taken as "not a token service" for the whole run', async () => {
  setDefaultCACertificates([...getCACertificates('default'), await readFile(tls.caFile, 'utf8')]);
  const s = await server((n) => n === 1);
  const http = new HttpClient();
  try {
    const ctx = { http, insecure: new InsecureHosts([]), logger: new MemoryLogger(), retry: { maxAttempts: 3, baseDelayMs: 10, maxDelayMs: 50, maxTotalMs: 10_000 }, clock: systemClock };
    const token = await requestToken(ctx, { realm: `${s.url}/token`, scopes: ['repository:a/b:pull'], credential: undefined });
    assert.equal(token.token.length, 2000);
    assert.equal(s.requests(), 2);
  } finally {
    await http.close();
    s.close();
  }
});
