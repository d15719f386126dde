// Found by a review, fixed since: an HTTP/2 answer whose connection drops mid-body. The body of an HTTP/2 answer
// ends only with END_STREAM; a TCP connection that closes before it (no RST_STREAM, no
// GOAWAY, or a GOAWAY whose last-stream-id covers the stream and then the close) cut the
// answer short, as surely as a chunked HTTP/1.1 body without its last chunk (which the
// transport rejects, ECONNRESET "aborted"). h2.ts readerSide says so ("Closed with neither
// its end nor an error ... the answer is cut short"), yet Node ends the stream as complete
// when the session is torn down, so an answer without Content-Length is taken whole.
// A raw server: the real registry always sends Content-Length on HTTP/2.
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { createSecureServer, constants, type ServerHttp2Stream } from 'node:http2';
import { createServer as createNetServer, type AddressInfo } from 'node:net';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createSecureContext } from 'node:tls';
import { Transport } from '../src/http/transport.ts';
import { lazyTlsContext } from '../src/http/connect.ts';
import { readAll } from '../src/registry/body.ts';
import { makeTls } from './support/tls.ts';

async function h2Server(t: TestContext, answer: (stream: ServerHttp2Stream) => void): Promise<{ origin: URL; ca: Buffer }> {
  const dir = await mkdtemp(join(tmpdir(), 'review-h2-'));
  const m = await makeTls(dir);
  const [cert, key, ca] = await Promise.all([readFile(m.certFile), readFile(m.keyFile), readFile(m.caFile)]);
  const server = createSecureServer({ cert, key });
  server.on('stream', (stream) => {
    stream.on('error', () => {});
    answer(stream);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  t.after(async () => {
    server.close();
    await rm(dir, { recursive: true, force: true });
  });
  return { origin: new URL(`https://127.0.0.1:${(server.address() as AddressInfo).port}`), ca };
}

async function body(origin: URL, ca: Buffer): Promise<string> {
  const transport = new Transport({ connectMs: 2000, headersMs: 2000, bodyMs: 2000, tlsContext: () => createSecureContext({ ca }) });
  try {
    const res = await transport.request({ origin, path: '/v2/a/manifests/1.0', method: 'GET', headers: {}, body: null, signal: new AbortController().signal });
    return (await readAll(res.body, 1 << 20, 'GET')).toString();
  } finally {
    transport.close();
  }
}

const PART = '{"errors":[{"code":"MANIFEST_UNKNOWN"';

test('HTTP/1.1 control: a chunked body whose connection closes before the last chunk is an error', async (t) => {
  const server = createNetServer((s) => s.once('data', () => {
    s.write(`HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n${PART.length.toString(16)}\r\n${PART}\r\n`);
    setTimeout(() => s.destroy(), 50);
  }));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  t.after(() => server.close());
  const transport = new Transport({ connectMs: 2000, headersMs: 2000, bodyMs: 2000, tlsContext: lazyTlsContext() });
  t.after(() => transport.close());
  const res = await transport.request({ origin: new URL(`http://127.0.0.1:${(server.address() as AddressInfo).port}`), path: '/', method: 'GET', headers: {}, body: null, signal: new AbortController().signal });
  await assert.rejects(readAll(res.body, 1 << 20, 'GET'));
});

test('HTTP/2: the connection closes mid-body (no END_STREAM, no RST_STREAM): the body is an error, not a whole answer', async (t) => {
  const { origin, ca } = await h2Server(t, (stream) => {
    stream.respond({ ':status': 200, 'content-type': 'application/json' });
    stream.write(PART);
    setTimeout(() => stream.session?.socket.destroy(), 50);
  });
  await assert.rejects(body(origin, ca), (err: Error) => /premature|cut|closed|ECONNRESET/i.test(`${(err as { code?: string }).code} ${err.message}`));
});

test('HTTP/2: GOAWAY(NO_ERROR, last-stream-id = this stream) mid-body, then the connection closes: the body is an error', async (t) => {
  const { origin, ca } = await h2Server(t, (stream) => {
    stream.respond({ ':status': 200, 'content-type': 'application/json' });
    stream.write(PART);
    setTimeout(() => {
      stream.session?.goaway(constants.NGHTTP2_NO_ERROR, stream.id);
      setTimeout(() => stream.session?.socket.destroy(), 50);
    }, 50);
  });
  await assert.rejects(body(origin, ca), (err: Error) => /premature|cut|closed|ECONNRESET/i.test(`${(err as { code?: string }).code} ${err.message}`));
});
