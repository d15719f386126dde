// Upload sessions go wherever the registry's Location says: relative, absolute, or
// on another host. The table covers how a Location is resolved and which ones are
// refused; against the real registry (behind a proxy that rewrites Location the
// way other registries answer) a relative Location works with credentials, and a
// Location on another host never receives them.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { openImage, type LocalImage } from '../src/image/open-image.ts';
import { MemoryLogger } from '../src/log.ts';
import { pushImage } from '../src/registry/push.ts';
import { Transport } from '../src/registry/transport.ts';
import { nextLocation } from '../src/registry/upload-session.ts';
import { startFaultProxy } from './support/fault-proxy.ts';
import { startForwardingProxy } from './support/forwarding-proxy.ts';
import { buildImage, inspectDigest, removeLayout, type BuiltImage } from './support/images.ts';
import { registryFor, useRegistry } from './support/registry.ts';
import { clientFor, insecureHostsFor, refs } from './support/registry-client.ts';
import { QUICK_SETTLE } from './support/virtual-clock.ts';

// Above every test(): one registered before this await starts while the module still loads,
// and the file never ends.
const reg = await useRegistry({ auth: 'token' });
const transport = new Transport({ logger: new MemoryLogger(), insecureRegistries: ['127.0.0.1:5000', 'plain.example'] });
const POST_URL = new URL('https://reg.example/v2/team/app/blobs/uploads/');

const locations: { name: string; location: string | undefined; from?: URL; expect: string | RegExp }[] = [
  { name: 'absolute path', location: '/v2/team/app/blobs/uploads/u1?_state=abc', expect: 'https://reg.example/v2/team/app/blobs/uploads/u1?_state=abc' },
  { name: 'relative to the request', location: 'u2?_state=x%3D', expect: 'https://reg.example/v2/team/app/blobs/uploads/u2?_state=x%3D' },
  { name: 'absolute URL on the registry', location: 'https://reg.example/v2/team/app/blobs/uploads/u3', expect: 'https://reg.example/v2/team/app/blobs/uploads/u3' },
  { name: 'another HTTPS host (an upload service)', location: 'https://uploads.example/session/u4?sig=1', expect: 'https://uploads.example/session/u4?sig=1' },
  { name: 'plain HTTP on a listed insecure host', location: 'http://plain.example:8080/u5', expect: 'http://plain.example:8080/u5' },
  { name: 'plain HTTP on the insecure registry itself', location: '/v2/x/blobs/uploads/u6', from: new URL('http://127.0.0.1:5000/v2/x/blobs/uploads/'), expect: 'http://127.0.0.1:5000/v2/x/blobs/uploads/u6' },
  { name: 'a downgrade to plain HTTP elsewhere', location: 'http://uploads.example/u7', expect: /to http:\/\/uploads\.example, which is not HTTPS/ },
  { name: 'another scheme', location: 'ftp://uploads.example/u8', expect: /not HTTPS/ },
  { name: 'no Location at all', location: undefined, expect: /no Location header/ },
  { name: 'an empty Location', location: '  ', expect: /no Location header/ },
];

for (const c of locations) {
  test(`upload Location: ${c.name}`, () => {
    const headers = c.location === undefined ? {} : { location: c.location };
    const target = { registry: (c.from ?? POST_URL).host, repository: 'team/app', scopes: [] };
    const resolve = () => nextLocation(transport, target, headers, c.from ?? POST_URL, 'POST upload').href;
    if (typeof c.expect === 'string') assert.equal(resolve(), c.expect);
    else assert.throws(resolve, (err: Error & { code?: string }) => err.code === 'REGISTRY_ERROR' && (c.expect as RegExp).test(err.message));
  });
}

let built: BuiltImage;
let local: LocalImage;

before(async () => {
  built = await buildImage();
  local = await openImage(built.layout);
});

after(async () => {
  await local.close();
  await removeLayout(built);
  await transport.close();
});

test('a relative Location from the registry: the upload goes on, with credentials, to the registry', async () => {
  const front = await startForwardingProxy(reg.url, { rewriteLocation: (l) => { const u = new URL(l); return u.pathname + u.search; } });
  const { client, logger } = clientFor(reg, { via: front.host });
  try {
    const result = await pushImage({ client, image: local, refs: refs(front.host, 'location/relative:1.0'), logger, settle: QUICK_SETTLE });
    assert.deepEqual(Object.values(result.pushed), ['created']);
    assert.equal(await inspectDigest(reg, 'location/relative:1.0'), local.top.digest);
    const uploads = front.seen.filter((s) => /\/blobs\/uploads\//.test(s.path));
    assert.ok(uploads.length >= 2 * local.blobs.length);
    assert.ok(uploads.every((s) => s.authorization));
  } finally {
    await client.close();
    await front.stop();
  }
});

test('a Location on another host gets no credentials: the push stops with a clear error, nothing tagged', async () => {
  const elsewhere = await startFaultProxy(reg.url);
  const front = await startForwardingProxy(reg.url, { rewriteLocation: (l) => { const u = new URL(l); return `${elsewhere.url}${u.pathname}${u.search}`; } });
  const { client, logger } = clientFor(reg, { via: front.host, options: { insecureRegistries: [...insecureHostsFor(reg, front.host), elsewhere.host] } });
  try {
    const tag = refs(front.host, 'location/elsewhere:1.0');
    await assert.rejects(pushImage({ client, image: local, refs: tag, logger, settle: QUICK_SETTLE }), (err: Error & { code?: string; hint?: string }) => {
      assert.equal(err.code, 'AUTH_FAILED');
      assert.ok(err.message.includes(elsewhere.host), err.message);
      assert.match(err.hint ?? '', /never sends registry credentials to another host/);
      return true;
    });
    assert.ok(elsewhere.seen.length > 0, 'the upload went to the other host');
    assert.ok(elsewhere.seen.every((s) => !s.authorization), 'without Authorization');
    assert.equal((await client.manifestState(tag[0]!)).kind, 'absent');
  } finally {
    await client.close();
    await front.stop();
    await elsewhere.stop();
  }
});

test('a Location on another host that needs no credentials of ours (a presigned upload URL): the push completes, that host never sees them', async (t) => {
  const basic = await registryFor(t, { auth: 'htpasswd' });
  // The other host authorises uploads itself, as a presigned URL does.
  const presigned = await startForwardingProxy(basic.url, { upstreamAuthorization: `Basic ${Buffer.from(`${basic.username}:${basic.password}`).toString('base64')}` });
  const front = await startForwardingProxy(basic.url, { rewriteLocation: (l) => { const u = new URL(l, basic.url); return `${presigned.url}${u.pathname}${u.search}`; } });
  const { client, logger } = clientFor(basic, { via: front.host, options: { insecureRegistries: [...insecureHostsFor(basic, front.host), presigned.host] } });
  try {
    const result = await pushImage({ client, image: local, refs: refs(front.host, 'location/presigned:1.0'), logger, settle: QUICK_SETTLE });
    assert.deepEqual(Object.values(result.pushed), ['created']);
    assert.equal(await inspectDigest(basic, 'location/presigned:1.0'), local.top.digest);
    const uploads = presigned.seen.filter((s) => s.path.includes('/blobs/uploads/'));
    assert.ok(uploads.length > 0, 'the blobs went to the other host');
    assert.ok(uploads.every((s) => !s.authorization), 'which never received our credentials');
  } finally {
    await client.close();
    await front.stop();
    await presigned.stop();
  }
});
