// immutag's own HTTP transport (src/http/): which proxy a request takes, HTTP/1.1 over
// TLS when a server does not offer HTTP/2 (the connection that learned the protocol
// serves the first request), and a body whose reader is slow is never mistaken for a
// server gone silent. The servers are the real registry, and the fault proxy (Node's
// HTTPS server, which speaks HTTP/1.1 only) in front of it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ImmutagError } from '../src/errors.ts';
import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { getCACertificates, setDefaultCACertificates } from 'node:tls';
import { proxyAuthorization, proxyCredentials, proxyFor, proxyUserinfo } from '../src/http/proxy-env.ts';
import { HttpClient } from '../src/registry/http.ts';
import { checkTags } from '../src/gate.ts';
import { registryFor } from './support/registry.ts';
import { startFaultProxy } from './support/fault-proxy.ts';
import { startTcpCounter } from './support/tcp-counter.ts';
import { buildImage, pushImage, removeLayout } from './support/images.ts';
import { clientFor, refs } from './support/registry-client.ts';
import { makeTls } from './support/tls.ts';

test('proxy variables: lowercase first, https falls back to the http proxy, NO_PROXY names, subdomains, ports and *', () => {
  const env = { https_proxy: 'http://low:3128', HTTPS_PROXY: 'http://up:3128', HTTP_PROXY: 'plain:8080' };
  assert.equal(proxyFor(new URL('https://ghcr.io'), env)?.url.host, 'low:3128');
  assert.equal(proxyFor(new URL('https://ghcr.io'), env)?.variable, 'https_proxy');
  assert.equal(proxyFor(new URL('http://reg.local:5000'), env)?.url.href, 'http://plain:8080/', 'a scheme-less proxy is http');
  assert.equal(proxyFor(new URL('https://ghcr.io'), { HTTP_PROXY: 'http://p:1' })?.variable, 'HTTP_PROXY');
  assert.equal(proxyFor(new URL('http://ghcr.io'), { HTTPS_PROXY: 'http://p:1' }), undefined, 'plain http never takes the https proxy');

  const via = (url: string, noProxy: string) => proxyFor(new URL(url), { HTTPS_PROXY: 'http://p:1', HTTP_PROXY: 'http://p:1', NO_PROXY: noProxy }) !== undefined;
  assert.equal(via('https://ghcr.io', 'ghcr.io'), false);
  assert.equal(via('https://pkg.ghcr.io', '.ghcr.io'), false);
  assert.equal(via('https://pkg.ghcr.io', '*.ghcr.io'), false);
  assert.equal(via('https://pkg.ghcr.io', 'ghcr.io'), false, 'a name covers its subdomains');
  assert.equal(via('https://notghcr.io', 'ghcr.io'), true, 'only whole labels match');
  assert.equal(via('http://reg.local:5000', 'reg.local:5000'), false);
  assert.equal(via('http://reg.local:5001', 'reg.local:5000'), true, 'a port in NO_PROXY must match');
  assert.equal(via('https://[::1]:5000', '::1'), false);
  assert.equal(via('https://[::1]:5000', '[::1]:5000'), false);
  assert.equal(via('https://anything.example', 'a.b, *'), false);
  assert.equal(via('http://127.0.0.1:5000', 'localhost'), true, 'loopback is not exempt unless listed');
  assert.equal(proxyFor(new URL('https://ghcr.io'), { no_proxy: 'ghcr.io', NO_PROXY: '', HTTPS_PROXY: 'http://p:1' }), undefined, 'lowercase no_proxy first');
});

test('a proxy variable that is not a URL is an error, never a reason to connect directly, and its value is not echoed', () => {
  for (const raw of ['http://user:s3cret@proxy:notaport', 'proxy corp:3128']) {
    assert.throws(() => proxyFor(new URL('https://ghcr.io'), { HTTPS_PROXY: raw }),
      (e: unknown) => e instanceof ImmutagError && e.code === 'INVALID_INPUT' && /HTTPS_PROXY/.test(e.message) && !e.message.includes('s3cret') && !e.message.includes('corp'));
  }
  assert.equal(proxyFor(new URL('https://ghcr.io'), { HTTPS_PROXY: 'http://proxy:notaport', NO_PROXY: 'ghcr.io' }), undefined, 'a bypassed host never reads it');
});

test('proxy credentials: every proxy variable\'s password (or token user) is a secret in each form; %-escapes are sent as the bytes they name, a malformed one as written', () => {
  const env = { HTTPS_PROXY: 'http://bob:p%40ss%zz@proxy:3128', http_proxy: 'tok3n-only@proxy2:3128', NO_PROXY: '*', HTTP_PROXY: 'not a url' };
  assert.deepEqual(proxyCredentials(env), [
    'p%40ss%zz', 'p%40ss%zz', 'p@ss%zz', Buffer.from('bob:p@ss%zz').toString('base64'),
    'tok3n-only', 'tok3n-only', 'tok3n-only', Buffer.from('tok3n-only:').toString('base64'),
  ]);
  const url = new URL(env.HTTPS_PROXY);
  assert.equal(proxyAuthorization(proxyUserinfo(url)!), `Basic ${Buffer.from('bob:p@ss%zz').toString('base64')}`);
  // As written in the variable, which the URL parser re-encodes (`^` → %5E), and %-escapes
  // that are not UTF-8 sent as the bytes they name, as curl and Go send them.
  const raw = 'http://u:s3cr%21t^pass@proxy:3128';
  assert.ok(proxyCredentials({ HTTPS_PROXY: raw }).includes('s3cr%21t^pass'), 'the password as the variable writes it');
  const bytes = Buffer.concat([Buffer.from('u:'), Buffer.from([0xff, 0x41])]).toString('base64');
  assert.equal(proxyAuthorization(proxyUserinfo(new URL('http://u:%ff%41@proxy'))!), `Basic ${bytes}`);
  assert.equal(proxyUserinfo(new URL('http://proxy:3128')), undefined);
});

test('HTTP/1.1 over TLS: the connection that learned the protocol is used, and the checks share kept-alive connections', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'immutag-h1-tls-'));
  const tls = await makeTls(dir);
  // This process trusts the test CA, as NODE_EXTRA_CA_CERTS would at startup.
  setDefaultCACertificates([...getCACertificates('default'), await readFile(tls.caFile, 'utf8')]);
  const reg = await registryFor(t);
  const image = await buildImage();
  await pushImage(reg, image.ociRef, 'h1/app:1.0');
  const front = await startFaultProxy(reg.url, [], { tls: { cert: await readFile(tls.certFile, 'utf8'), key: await readFile(tls.keyFile, 'utf8') } });
  const counter = await startTcpCounter(front.host);
  const { client, logger } = clientFor(reg, { options: { insecureRegistries: [] } });
  t.after(async () => {
    await client.close();
    await counter.stop();
    await front.stop();
    await removeLayout(image);
    await rm(dir, { recursive: true, force: true });
  });
  // One at a time: the ping and every GET can ride one connection, the ALPN one included.
  const tags = Array.from({ length: 6 }, (_, i) => (i === 0 ? 'h1/app:1.0' : `h1/app:2.${i}`));
  const result = await checkTags({ refs: refs(counter.host, ...tags), client, logger, concurrency: 1, mutablePatterns: ['*'] });
  assert.equal(result.result, 'pass', JSON.stringify(result.results.map((r) => r.state)));
  assert.equal(result.results[0]?.state.kind, 'present');
  assert.equal(front.count(), 1 + tags.length, 'the ping and one GET per tag, over TLS');
  assert.equal(counter.connections(), 1, 'one TLS connection: the one that learned HTTP/1.1 serves every request');
});

for (const tls of [false, true]) test(`a slow reader is not a silent server (${tls ? 'HTTP/2 over TLS' : 'HTTP/1.1'}): a body read with pauses longer than the body timeout arrives whole`, async (t) => {
  const reg = await registryFor(t, { tls });
  const image = await buildImage({ files: { 'big.bin': randomText(2 * 1024 * 1024) } });
  await pushImage(reg, image.ociRef, 'slow/app:1.0');
  if (tls) setDefaultCACertificates([...getCACertificates('default'), await readFile(reg.caFile!, 'utf8')]);
  // A body timeout of 1.5 s: a registry starved of CPU on a busy runner can go quiet for
  // a few hundred milliseconds on its own; the reader's pauses are longer still.
  const http = new HttpClient({ timeouts: { connectMs: 5000, headersMs: 5000, bodyMs: 1500 } });
  t.after(async () => {
    await http.close();
    await removeLayout(image);
  });
  const manifest = await http.send({ url: new URL(`${reg.url}/v2/slow/app/manifests/1.0`), method: 'GET', headers: { accept: 'application/vnd.oci.image.manifest.v1+json' } });
  const parsed = JSON.parse((await readBody(manifest.body)).toString('utf8')) as { layers: { digest: string; size: number }[] };
  const layer = parsed.layers.reduce((a, b) => (a.size >= b.size ? a : b));
  assert.ok(layer.size > 1024 * 1024, 'the layer is larger than the connection buffers');

  const res = await http.send({ url: new URL(`${reg.url}/v2/slow/app/blobs/${layer.digest}`), method: 'GET' });
  assert.equal(res.status, 200);
  const hash = createHash('sha256');
  let bytes = 0;
  let paused = 0;
  for await (const chunk of res.body) {
    hash.update(chunk as Buffer);
    bytes += (chunk as Buffer).length;
    // Two pauses, each over two body timeouts long, while the server has more to send.
    if (paused < 2 && bytes > (paused + 1) * 64 * 1024) {
      paused++;
      await sleep(4000);
    }
  }
  assert.equal(paused, 2);
  assert.equal(bytes, layer.size);
  assert.equal(`sha256:${hash.digest('hex')}`, layer.digest);
});

async function readBody(body: AsyncIterable<unknown>): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of body) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

/** Text gzip cannot shrink much (hex of random bytes), so the layer blob stays large. */
function randomText(bytes: number): string {
  const out: string[] = [];
  for (let n = 0; n < bytes; n += 64) out.push(createHash('sha256').update(String(Math.random())).digest('hex'));
  return out.join('');
}

test('HTTP/2: an answer read after its stream has closed arrives whole (no "premature close")', async (t) => {
  const reg = await registryFor(t, { tls: true });
  const image = await buildImage();
  await pushImage(reg, image.ociRef, 'late/app:1.0');
  setDefaultCACertificates([...getCACertificates('default'), await readFile(reg.caFile!, 'utf8')]);
  const http = new HttpClient();
  t.after(async () => {
    await http.close();
    await removeLayout(image);
  });
  const url = new URL(`${reg.url}/v2/late/app/manifests/1.0`);
  const accept = { accept: 'application/vnd.oci.image.manifest.v1+json' };
  const first = await http.send({ url, method: 'GET', headers: accept });
  const expected = await readBody(first.body);
  // The whole answer (headers, data, end of stream) arrives before the reader starts:
  // the HTTP/2 stream is closed by then, and Node's Http2Stream says so in `closed`.
  const late = await http.send({ url, method: 'GET', headers: accept });
  await sleep(300);
  assert.deepEqual(await readBody(late.body), expected);
  assert.ok(expected.length > 0);
});

test('HTTP/2: a connection lost after the request and before any response header is a failure, retried, never a hang', { timeout: 60_000 }, async (t) => {
  const { startH2CutProxy } = await import('./support/h2-cut-proxy.ts');
  const reg = await registryFor(t, { tls: true });
  setDefaultCACertificates([...getCACertificates('default'), await readFile(reg.caFile!, 'utf8')]);
  const cutter = await startH2CutProxy(reg);
  const { client } = clientFor(reg, { via: cutter.host, options: { insecureRegistries: [], timeouts: { connectMs: 5000, headersMs: 20_000, bodyMs: 20_000 } } });
  t.after(async () => {
    await client.close();
    await cutter.stop();
  });
  const started = Date.now();
  const state = await client.manifestState(refs(cutter.host, 'cut/app:1.0')[0]!);
  assert.ok(state.kind === 'unknown' && state.code === 'REGISTRY_UNREACHABLE', JSON.stringify(state));
  assert.ok(cutter.cuts() >= 2, `a lost connection is retried like one that failed to connect (${cutter.cuts()} cut)`);
  assert.ok(Date.now() - started < 15_000, 'answered by the failure itself, not by the headers timeout or the deadline');
});
