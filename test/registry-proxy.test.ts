// HTTP(S)_PROXY: the tunnel is held to the connect timeout and a proxy that fails is
// named as the culprit. A proxy that accepts the connection and never answers CONNECT
// used to hold each request for undici's 300 s default and blame the registry. The
// working cases go through a real CONNECT tunnel to the real registry, plain and TLS;
// NO_PROXY sends a listed registry around the proxy.
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { connect, createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { readFile } from 'node:fs/promises';
import { getCACertificates, setDefaultCACertificates } from 'node:tls';
import { parseReference } from '../src/reference.ts';
import { registryFor } from './support/registry.ts';
import { buildImage, pushImage, removeLayout } from './support/images.ts';
import { clientFor } from './support/registry-client.ts';

const PROXY_VARS = ['HTTPS_PROXY', 'https_proxy', 'HTTP_PROXY', 'http_proxy', 'NO_PROXY', 'no_proxy'];

/** Sets the proxy variables for the clients made until `restore` (read when each request is sent). */
function useProxy(url: string): () => void {
  const saved = PROXY_VARS.map((name) => [name, process.env[name]] as const);
  for (const name of PROXY_VARS) delete process.env[name];
  process.env['HTTPS_PROXY'] = url;
  process.env['HTTP_PROXY'] = url;
  return () => {
    for (const [name, value] of saved) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  };
}

async function listen(server: Server): Promise<string> {
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

test('a proxy that accepts and never answers CONNECT: unknown within the connect timeout, naming the proxy', { timeout: 60_000 }, async (t) => {
  const sockets: Socket[] = [];
  const silent = createServer((s) => sockets.push(s));
  const proxyUrl = await listen(silent);
  const restore = useProxy(proxyUrl);
  const reg = await registryFor(t);
  const { client } = clientFor(reg, { options: { timeouts: { connectMs: 1000, headersMs: 30_000, bodyMs: 30_000 }, retry: { maxAttempts: 1 } } });
  t.after(async () => {
    restore();
    await client.close();
    for (const s of sockets) s.destroy();
    silent.close();
  });
  const state = await client.manifestState(parseReference(`${reg.host}/a/b:1.0`));
  assert.equal(state.kind, 'unknown', JSON.stringify(state));
  const reason = state.kind === 'unknown' ? state.reason : '';
  assert.equal(state.kind === 'unknown' && state.code, 'REGISTRY_UNREACHABLE');
  assert.match(reason, new RegExp(`^The proxy ${proxyUrl} \\((HTTPS|HTTP)_PROXY\\) did not open a tunnel to ${reg.host} within 1 s`), reason);
  assert.match(state.kind === 'unknown' ? state.hint : '', /proxy/);
  assert.ok(sockets.length >= 1, 'the request went to the proxy');
});

/** A CONNECT proxy that records each tunnel's target and pipes bytes both ways. */
async function startConnectProxy(): Promise<{ url: string; tunnels: string[]; stop: () => void }> {
  const tunnels: string[] = [];
  const open = new Set<Socket>();
  const proxy = createServer((client) => {
    open.add(client);
    client.once('data', (head: Buffer) => {
      const target = /^CONNECT (\S+):(\d+) HTTP/.exec(head.toString('latin1'));
      if (!target) return client.destroy();
      tunnels.push(`${target[1]}:${target[2]}`);
      const upstream = connect(Number(target[2]), target[1], () => {
        client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
        upstream.pipe(client).pipe(upstream);
      });
      open.add(upstream);
      upstream.on('error', () => client.destroy());
      client.on('error', () => upstream.destroy());
    });
  });
  const url = await listen(proxy);
  return {
    url,
    tunnels,
    stop: () => {
      for (const s of open) s.destroy();
      proxy.close();
    },
  };
}

/** The proxy variables set (and NO_PROXY), a plain registry with one pushed image, and a client; all undone after the test. */
async function imageBehindProxy(t: TestContext, proxy: { url: string; stop: () => void }, tag: string, noProxy?: string) {
  const restore = useProxy(proxy.url);
  if (noProxy !== undefined) process.env['NO_PROXY'] = noProxy;
  const reg = await registryFor(t);
  const image = await buildImage();
  const digest = await pushImage(reg, image.ociRef, tag);
  const { client } = clientFor(reg);
  t.after(async () => {
    restore();
    await client.close();
    proxy.stop();
    await removeLayout(image);
  });
  return { reg, digest, client };
}

test('through a working CONNECT proxy the real registry answers as usual', { timeout: 60_000 }, async (t) => {
  const proxy = await startConnectProxy();
  const { reg, digest, client } = await imageBehindProxy(t, proxy, 'via/proxy:1.0');
  const state = await client.manifestState(parseReference(`${reg.host}/via/proxy:1.0`));
  assert.deepEqual(state.kind === 'present' && state.digest, digest, JSON.stringify(state));
  assert.ok(proxy.tunnels.includes(reg.host), proxy.tunnels.join(' '));
});

test('a TLS registry through the proxy: TLS and HTTP/2 inside one tunnel, the certificate still checked', { timeout: 60_000 }, async (t) => {
  const reg = await registryFor(t, { tls: true });
  const image = await buildImage();
  const digest = await pushImage(reg, image.ociRef, 'via/tls:1.0');
  const proxy = await startConnectProxy();
  const restore = useProxy(proxy.url);
  t.after(async () => {
    restore();
    proxy.stop();
    await removeLayout(image);
  });
  // The tunnel does not vouch for the registry: its certificate must be trusted.
  const untrusting = clientFor(reg).client;
  const refused = await untrusting.manifestState(parseReference(`${reg.host}/via/tls:1.0`));
  await untrusting.close();
  assert.ok(refused.kind === 'unknown' && /TLS certificate of 127\.0\.0\.1:\d+ was not accepted/.test(refused.reason), JSON.stringify(refused));
  proxy.tunnels.length = 0;
  // As NODE_EXTRA_CA_CERTS would at startup: clients made from here on trust the test CA.
  setDefaultCACertificates([...getCACertificates('default'), await readFile(reg.caFile!, 'utf8')]);
  const { client } = clientFor(reg);
  t.after(() => client.close());
  const refs = Array.from({ length: 5 }, () => parseReference(`${reg.host}/via/tls:1.0`));
  const states = await Promise.all(refs.map((ref) => client.manifestState(ref)));
  for (const state of states) assert.deepEqual(state.kind === 'present' && state.digest, digest, JSON.stringify(state));
  assert.deepEqual(proxy.tunnels.filter((h) => h === reg.host), [reg.host], 'one tunnel to the registry carries every request (HTTP/2)');
});

test('NO_PROXY: a listed registry is reached directly, the proxy never asked', { timeout: 60_000 }, async (t) => {
  const proxy = await startConnectProxy();
  const { reg, digest, client } = await imageBehindProxy(t, proxy, 'direct/app:1.0', 'example.invalid, 127.0.0.1');
  const state = await client.manifestState(parseReference(`${reg.host}/direct/app:1.0`));
  assert.deepEqual(state.kind === 'present' && state.digest, digest, JSON.stringify(state));
  assert.deepEqual(proxy.tunnels, []);
});

test('through the proxy, a registry addressed by IP is held to that IP in its certificate, as it is directly', { timeout: 60_000 }, async (t) => {
  // Trusted CA, but the certificate names only localhost: not valid for 127.0.0.1.
  const reg = await registryFor(t, { tls: true, tlsSan: 'DNS:localhost' });
  setDefaultCACertificates([...getCACertificates('default'), await readFile(reg.caFile!, 'utf8')]);
  const ref = parseReference(`${reg.host}/via/ip:1.0`);
  const direct = clientFor(reg).client;
  const directState = await direct.manifestState(ref);
  await direct.close();
  assert.ok(directState.kind === 'unknown' && /TLS certificate of 127\.0\.0\.1:\d+ was not accepted/.test(directState.reason), JSON.stringify(directState));

  const proxy = await startConnectProxy();
  const restore = useProxy(proxy.url);
  const { client } = clientFor(reg);
  t.after(async () => {
    restore();
    await client.close();
    proxy.stop();
  });
  const state = await client.manifestState(ref);
  assert.ok(proxy.tunnels.includes(reg.host), 'the request went through the proxy');
  assert.ok(state.kind === 'unknown' && /TLS certificate of 127\.0\.0\.1:\d+ was not accepted/.test(state.reason), JSON.stringify(state));
});

test('a loopback registry\'s plain-HTTP fallback is for a direct connection only: through a proxy its traffic leaves the machine', { timeout: 60_000 }, async (t) => {
  const proxy = await startConnectProxy();
  const { reg, digest } = await imageBehindProxy(t, proxy, 'loop/proxied:1.0');
  const ref = parseReference(`${reg.host}/loop/proxied:1.0`);
  const unlisted = clientFor(reg, { options: { insecureRegistries: [] } }).client;
  t.after(() => unlisted.close());
  const state = await unlisted.manifestState(ref);
  assert.ok(state.kind === 'unknown' && /answers in plain HTTP, not HTTPS/.test(state.reason), JSON.stringify(state));
  assert.ok(proxy.tunnels.every((h) => h === reg.host), proxy.tunnels.join(' '));
  assert.equal(proxy.tunnels.length, 1, 'one tunnel: the HTTPS attempt, no plain-HTTP one after it');

  // Listed, plain HTTP is the user's choice, through the proxy as well; in NO_PROXY it is direct again.
  const listed = clientFor(reg, { options: { insecureRegistries: [reg.host] } }).client;
  t.after(() => listed.close());
  const viaProxy = await listed.manifestState(ref);
  assert.ok(viaProxy.kind === 'present' && viaProxy.digest === digest, JSON.stringify(viaProxy));
  process.env['NO_PROXY'] = '127.0.0.1';
  const direct = clientFor(reg, { options: { insecureRegistries: [] } }).client;
  t.after(() => direct.close());
  const state2 = await direct.manifestState(ref);
  assert.ok(state2.kind === 'present' && state2.digest === digest, JSON.stringify(state2));
});

test('a proxy variable that is not a URL: the tag is unknown, the registry never reached around the proxy', { timeout: 60_000 }, async (t) => {
  const reg = await registryFor(t);
  const restore = useProxy('http://user:s3cret@proxy.invalid:notaport');
  const { client } = clientFor(reg);
  t.after(async () => {
    restore();
    await client.close();
  });
  const state = await client.manifestState(parseReference(`${reg.host}/a/b:1.0`));
  assert.ok(state.kind === 'unknown' && state.code === 'INVALID_INPUT' && /HTTP_PROXY is set but is not a URL/.test(state.reason), JSON.stringify(state));
  assert.ok(!JSON.stringify(state).includes('s3cret'));
});
