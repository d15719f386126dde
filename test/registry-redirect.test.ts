// Redirects are followed by hand so that Authorization reaches only the registry's
// own origin: a registry that sends a manifest read to another host (blob storage,
// a CDN) must not hand that host its credentials.
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type AddressInfo } from 'node:net';
import { parseReference } from '../src/reference.ts';
import { registryFor, type TestRegistry } from './support/registry.ts';
import { startFaultProxy } from './support/fault-proxy.ts';
import { buildImage, pushImage, removeLayout } from './support/images.ts';
import { clientFor, insecureHostsFor } from './support/registry-client.ts';


/**
 * Two proxies in front of one real registry, two origins: the front one redirects
 * manifest reads to the other. The client talks to the front; everything stops after `t`.
 */
async function manifestRedirect(t: TestContext, reg: TestRegistry) {
  const elsewhere = await startFaultProxy(reg.url);
  const front = await startFaultProxy(reg.url, [{ path: /\/manifests\//, action: { kind: 'redirect', base: elsewhere.url } }]);
  const { client } = clientFor(reg, { via: front.host, options: { insecureRegistries: [front.host, elsewhere.host] } });
  t.after(async () => {
    await client.close();
    await front.stop();
    await elsewhere.stop();
  });
  return { client, front, elsewhere };
}

test('Authorization goes to the registry origin, never across a redirect to another origin', async (t) => {
  const reg = await registryFor(t, { auth: 'htpasswd' });
  const image = await buildImage();
  const { client, front, elsewhere } = await manifestRedirect(t, reg);
  t.after(() => removeLayout(image));
  await pushImage(reg, image.ociRef, 'redirect/app:1.0');

  const state = await client.manifestState(parseReference(`${front.host}/redirect/app:1.0`));

  const frontManifest = front.seen.filter((s) => s.path.includes('/manifests/'));
  const redirected = elsewhere.seen.filter((s) => s.path.includes('/manifests/'));
  assert.ok(frontManifest.length > 0 && frontManifest.every((s) => s.authorization), 'the registry origin gets the credentials');
  assert.ok(redirected.length > 0 && redirected.every((s) => !s.authorization), 'the other origin never does');
  // Without credentials the other origin answers 401, so the tag state is unknown, not absent.
  assert.ok(state.kind === 'unknown', JSON.stringify(state));
});

test('a 401 from where a redirect led is not a challenge to answer: its realm never gets credentials', async (t) => {
  const reg = await registryFor(t, { auth: 'token' });
  const image = await buildImage();
  // A canary realm: it must never be contacted.
  let canaryConnections = 0;
  const canary = createServer((socket) => {
    canaryConnections++;
    socket.destroy();
  });
  await new Promise<void>((resolve) => canary.listen(0, '127.0.0.1', resolve));
  const canaryHost = `127.0.0.1:${(canary.address() as AddressInfo).port}`;
  const elsewhere = await startFaultProxy(reg.url, [{ path: /\/manifests\//, action: {
    kind: 'status', status: 401, headers: { 'www-authenticate': `Bearer realm="http://${canaryHost}/token",service="x",error="invalid_token"` },
  } }]);
  const front = await startFaultProxy(reg.url, [{ path: /\/manifests\//, action: { kind: 'redirect', base: elsewhere.url } }]);
  const { client } = clientFor(reg, { via: front.host, options: { insecureRegistries: [...insecureHostsFor(reg, front.host), elsewhere.host, canaryHost] } });
  t.after(async () => {
    await client.close();
    await front.stop();
    await elsewhere.stop();
    await new Promise((resolve) => canary.close(resolve));
    await removeLayout(image);
  });
  await pushImage(reg, image.ociRef, 'redirect/app:1.0');

  const state = await client.manifestState(parseReference(`${front.host}/redirect/app:1.0`));

  assert.ok(state.kind === 'unknown', JSON.stringify(state));
  assert.equal(canaryConnections, 0);
  assert.ok(elsewhere.seen.every((s) => !s.authorization));
});

test('a /v2/ ping redirected to another origin is not adopted: that origin\'s token realm never gets credentials', async (t) => {
  const reg = await registryFor(t, { auth: 'htpasswd' });
  // The other origin is a real token-auth registry whose token server counts every request.
  const other = await registryFor(t, { auth: 'token' });
  const front = await startFaultProxy(reg.url, [{ path: /^\/v2\/$/, action: { kind: 'redirect', base: other.url } }]);
  const { client } = clientFor(reg, { via: front.host, options: { insecureRegistries: ['127.0.0.1'] } });
  t.after(async () => {
    await client.close();
    await front.stop();
  });
  const state = await client.manifestState(parseReference(`${front.host}/redirect/app:1.0`));
  assert.equal(state.kind, 'unknown');
  assert.equal(other.token!.requests(), 0, 'no token request, so no credentials, reach the other realm');
});

const bodyRedirects: Array<[string, number]> = [['POST', 307], ['POST', 308], ['PUT', 302], ['PATCH', 301]];

for (const [method, status] of bodyRedirects) {
  test(`a request body never follows a ${status} to another origin: ${method} (an OAuth refresh-token form, an upload)`, async (t) => {
    const { HttpClient } = await import('../src/registry/http.ts');
    const { createServer: createHttpServer } = await import('node:http');
    const received: string[] = [];
    const elsewhere = createHttpServer((req, res) => {
      req.on('data', (c: Buffer) => received.push(c.toString()));
      req.on('end', () => res.end('{}'));
    });
    await new Promise<void>((r) => elsewhere.listen(0, '127.0.0.1', r));
    const target = `http://127.0.0.1:${(elsewhere.address() as AddressInfo).port}/steal`;
    const origin = createHttpServer((req, res) => {
      req.resume();
      res.writeHead(status, { location: target }).end();
    });
    await new Promise<void>((r) => origin.listen(0, '127.0.0.1', r));
    const http = new HttpClient();
    t.after(async () => {
      await http.close();
      elsewhere.close();
      origin.close();
    });
    const res = await http.send({
      url: new URL(`http://127.0.0.1:${(origin.address() as AddressInfo).port}/token`),
      method, body: 'grant_type=refresh_token&refresh_token=SECRET',
    });
    res.body.resume();
    assert.equal(res.status, status, 'the redirect is handed back, not followed');
    assert.deepEqual(received, []);
  });
}

test('a 404 MANIFEST_UNKNOWN from where a redirect led is not "absent": only the registry itself may say so', async (t) => {
  const reg = await registryFor(t);
  const { client, front, elsewhere } = await manifestRedirect(t, reg);
  const state = await client.manifestState(parseReference(`${front.host}/redirect/missing:1.0`));
  assert.equal(state.kind, 'unknown', JSON.stringify(state));
  assert.ok(elsewhere.count('GET', /\/manifests\//) > 0, 'the redirect target did answer 404 MANIFEST_UNKNOWN');
});

test('a redirect\'s signed query never reaches a message: a stalled storage URL is named by its path', async (t) => {
  const reg = await registryFor(t);
  const image = await buildImage();
  t.after(() => removeLayout(image));
  await pushImage(reg, image.ociRef, 'redirect/signed:1.0');
  // Storage that never answers, behind a pre-signed URL (S3's query-string authentication).
  const storage = await startFaultProxy(reg.url, [{ path: /\/manifests\//, action: { kind: 'hold' } }]);
  const signed = '/v2/redirect/signed/manifests/1.0?X-Amz-Credential=AKIAEXAMPLE%2F20261203&X-Amz-Signature=5ec7e75ec7e7&X-Amz-Security-Token=tok3n';
  const front = await startFaultProxy(reg.url, [{ path: /\/manifests\//, action: { kind: 'status', status: 307, headers: { location: `${storage.url}${signed}` } } }]);
  const { client } = clientFor(reg, { via: front.host, options: {
    insecureRegistries: [front.host, storage.host], timeouts: { connectMs: 2000, headersMs: 300, bodyMs: 2000 }, retry: { maxAttempts: 1 },
  } });
  t.after(async () => {
    await client.close();
    await front.stop();
    await storage.stop();
  });

  const state = await client.manifestState(parseReference(`${front.host}/redirect/signed:1.0`));

  assert.ok(state.kind === 'unknown', JSON.stringify(state));
  assert.match(state.reason, new RegExp(`GET ${storage.host}/v2/redirect/signed/manifests/1\\.0: no answer`), state.reason);
  for (const secret of ['X-Amz', 'AKIAEXAMPLE', '5ec7e75ec7e7', 'tok3n', '?']) assert.ok(!state.reason.includes(secret), `${secret} in: ${state.reason}`);
});
