// Found by a review, fixed since: when an upload Location on the origin the request went
// to came to be accepted over plain HTTP, that origin was the one after redirects: a
// plain-HTTP registry whose upload POST was redirected (307) to another, unlisted
// plain-HTTP origin had its blobs sent there in clear. Only the registry's own origin
// is accepted now.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openImage } from '../src/image/open-image.ts';
import { pushImage } from '../src/registry/push.ts';
import { registryFor } from './support/registry.ts';
import { startFaultProxy } from './support/fault-proxy.ts';
import { buildImage, removeLayout } from './support/images.ts';
import { clientFor, refs } from './support/registry-client.ts';
import { QUICK_SETTLE } from './support/virtual-clock.ts';

test('a listed plain-HTTP registry whose upload POST is redirected to an unlisted plain-HTTP origin: no blob goes there', async (t) => {
  const reg = await registryFor(t, { auth: 'none' });
  const elsewhere = await startFaultProxy(reg.url);
  const unlisted = elsewhere.url.replace('127.0.0.1', 'localhost');
  const front = await startFaultProxy(reg.url, [{ method: 'POST', path: /\/blobs\/uploads\//, action: { kind: 'redirect', base: unlisted } }]);
  const built = await buildImage();
  const local = await openImage(built.layout);
  const { client, logger } = clientFor(reg, { options: { insecureRegistries: [front.host] } });
  t.after(async () => {
    await client.close();
    await local.close();
    await removeLayout(built);
    await front.stop();
    await elsewhere.stop();
  });

  const outcome = await pushImage({ client, image: local, refs: refs(front.host, 'redirect/push:1.0'), logger, settle: QUICK_SETTLE })
    .then((r) => `pushed ${JSON.stringify(Object.values(r.pushed))}`, (err: Error & { code?: string }) => `${err.code}: ${err.message}`);
  const uploads = elsewhere.seen.filter((s) => s.method === 'PUT' || s.method === 'PATCH').map((s) => `${s.method} ${unlisted}${s.path.replace(/\?.*/, '')}`);
  assert.deepEqual(uploads, [], `blob bytes went over plain HTTP to ${unlisted}, which is not in insecure-registries [${front.host}]; outcome: ${outcome}`);
});
