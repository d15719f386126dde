// Found by a review: a proxy that wants credentials (CONNECT answered with 407 Proxy
// Authentication Required, the usual corporate-proxy answer when HTTPS_PROXY lacks
// user:password or holds a wrong one). immutag's message names the 407, but the hint is the
// generic "check that the proxy is up and answers CONNECT, or list the registry in
// NO_PROXY" - the proxy is up and answered; what to do (give the proxy's credentials in the
// proxy URL, or fix them) is never said. The same happens with credentials present:
// the hint does not say they were refused.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type AddressInfo } from 'node:net';
import { parseReference } from '../src/reference.ts';
import { RegistryClient } from '../src/registry/client.ts';
import { MemoryLogger } from '../src/log.ts';
import { noCredentials } from '../src/registry/auth/credentials.ts';

const PROXY_VARS = ['HTTPS_PROXY', 'https_proxy', 'HTTP_PROXY', 'http_proxy', 'NO_PROXY', 'no_proxy'];

for (const userinfo of ['', 'alice:wrong-proxy-pass@']) {
  test(`a proxy answering CONNECT with 407 (${userinfo === '' ? 'no proxy credentials' : 'proxy credentials refused'}): the hint says what to do about proxy authentication`, { timeout: 30_000 }, async (t) => {
    const proxy = createServer((socket) => {
      socket.once('data', () => {
        socket.end('HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic realm="corp"\r\nContent-Length: 0\r\n\r\n');
      });
    });
    await new Promise<void>((r) => proxy.listen(0, '127.0.0.1', r));
    const saved = PROXY_VARS.map((n) => [n, process.env[n]] as const);
    for (const n of PROXY_VARS) delete process.env[n];
    process.env['HTTPS_PROXY'] = `http://${userinfo}127.0.0.1:${(proxy.address() as AddressInfo).port}`;
    const client = new RegistryClient({ logger: new MemoryLogger(), credentials: noCredentials, retry: { maxAttempts: 1 } });
    t.after(async () => {
      await client.close();
      for (const [n, v] of saved) if (v === undefined) delete process.env[n]; else process.env[n] = v;
      await new Promise((r) => proxy.close(r));
    });

    const state = await client.manifestState(parseReference('registry.example.com/acme/api:1.0'));

    assert.equal(state.kind, 'unknown');
    const said = state.kind === 'unknown' ? `${state.reason} || ${state.hint}` : '';
    console.log(said);
    assert.match(said, /407/, said);
    assert.match(state.kind === 'unknown' ? state.hint : '', /authenticat|credential|user(name)?:password/i,
      `the hint should say the proxy wants (other) credentials in the proxy URL: ${said}`);
  });
}
