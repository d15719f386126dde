// Found by a review, fixed since: NO_PROXY as curl (>= 7.86) and Go's ProxyFromEnvironment read it, against the
// real registry. A registry the user exempted from the proxy must be reached directly;
// here the proxy refuses every CONNECT (as a corporate proxy refuses internal hosts), so
// a registry wrongly sent through it is "unknown" instead of its real state.
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type AddressInfo, type Socket } from 'node:net';
import { parseReference } from '../src/reference.ts';
import { proxyFor } from '../src/http/proxy-env.ts';
import { registryFor } from './support/registry.ts';
import { buildImage, pushImage, removeLayout } from './support/images.ts';
import { clientFor } from './support/registry-client.ts';

const PROXY_VARS = ['HTTPS_PROXY', 'https_proxy', 'HTTP_PROXY', 'http_proxy', 'NO_PROXY', 'no_proxy'];

/** A proxy that answers every CONNECT with 403, recording the targets. */
async function refusingProxy(t: TestContext): Promise<{ url: string; asked: string[] }> {
  const asked: string[] = [];
  const open = new Set<Socket>();
  const server = createServer((s) => {
    open.add(s);
    s.once('data', (head: Buffer) => {
      asked.push(head.toString('latin1').split('\r\n')[0]!);
      s.end('HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\n\r\n');
    });
    s.on('error', () => {});
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  t.after(() => {
    for (const s of open) s.destroy();
    server.close();
  });
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, asked };
}

function setEnv(t: TestContext, env: Record<string, string>): void {
  const saved = PROXY_VARS.map((name) => [name, process.env[name]] as const);
  for (const name of PROXY_VARS) delete process.env[name];
  Object.assign(process.env, env);
  t.after(() => {
    for (const [name, value] of saved) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  });
}

async function stateWith(t: TestContext, env: (proxyUrl: string) => Record<string, string>) {
  const proxy = await refusingProxy(t);
  const reg = await registryFor(t);
  const image = await buildImage();
  const digest = await pushImage(reg, image.ociRef, 'np/app:1.0');
  t.after(() => removeLayout(image));
  setEnv(t, env(proxy.url));
  const { client } = clientFor(reg, { options: { retry: { maxAttempts: 1 } } });
  t.after(() => client.close());
  const state = await client.manifestState(parseReference(`${reg.host}/np/app:1.0`));
  return { state, digest, asked: proxy.asked };
}

test('NO_PROXY with a CIDR block (127.0.0.0/8) exempts a registry at 127.0.0.1, as curl and Go do', { timeout: 60_000 }, async (t) => {
  const { state, digest, asked } = await stateWith(t, (url) => ({ HTTP_PROXY: url, HTTPS_PROXY: url, NO_PROXY: '127.0.0.0/8' }));
  assert.deepEqual(state.kind === 'present' && state.digest, digest, JSON.stringify(state));
  assert.deepEqual(asked, [], 'the proxy was asked for an exempted registry');
  assert.equal(proxyFor(new URL('http://10.1.2.3:5000'), { HTTP_PROXY: 'http://p:1', NO_PROXY: '10.0.0.0/8' }), undefined, 'proxyFor: 10.1.2.3 is inside 10.0.0.0/8');
});

test('an empty no_proxy does not hide NO_PROXY (curl and Go skip empty variables, as immutag does for *_proxy)', { timeout: 60_000 }, async (t) => {
  const { state, digest, asked } = await stateWith(t, (url) => ({ HTTP_PROXY: url, HTTPS_PROXY: url, no_proxy: '', NO_PROXY: '127.0.0.1' }));
  assert.deepEqual(state.kind === 'present' && state.digest, digest, JSON.stringify(state));
  assert.deepEqual(asked, [], 'the proxy was asked for an exempted registry');
  assert.equal(proxyFor(new URL('http://reg.local:5000'), { HTTP_PROXY: 'http://p:1', no_proxy: '', NO_PROXY: 'reg.local' }), undefined, 'proxyFor: NO_PROXY lists reg.local');
});
