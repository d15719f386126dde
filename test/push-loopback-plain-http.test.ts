// Found by a review, fixed since: a loopback registry that does not speak TLS is reached
// over plain HTTP without an insecure-registries entry (README: a `registry:2` service
// container on `localhost:5000` needs no entry). The check worked that way, but a push
// failed: the registry answers the upload POST with a Location on its own plain-HTTP
// origin, and the upload accepted plain HTTP only for listed hosts ("which is not
// HTTPS"). An upload to the origin the request itself went to is no downgrade.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openImage } from '../src/image/open-image.ts';
import { parseReference } from '../src/reference.ts';
import { pushImage } from '../src/registry/push.ts';
import { registryFor } from './support/registry.ts';
import { buildImage, inspectDigest, removeLayout } from './support/images.ts';
import { clientFor, refs } from './support/registry-client.ts';
import { QUICK_SETTLE } from './support/virtual-clock.ts';

test('a plain-HTTP registry on loopback, not listed: a push works as the check does', async (t) => {
  const reg = await registryFor(t, { auth: 'htpasswd' });
  const built = await buildImage();
  const local = await openImage(built.layout);
  const { client, logger } = clientFor(reg, { options: { insecureRegistries: [] } });
  t.after(async () => {
    await client.close();
    await local.close();
    await removeLayout(built);
  });

  // The check reaches it over plain HTTP without an entry (the loopback fallback).
  assert.equal((await client.manifestState(parseReference(`${reg.host}/loop/push:1.0`))).kind, 'absent');

  const outcome = await pushImage({ client, image: local, refs: refs(reg.host, 'loop/push:1.0'), logger, settle: QUICK_SETTLE })
    .then((r) => `pushed ${JSON.stringify(Object.values(r.pushed))}`, (err: Error & { code?: string; hint?: string }) => `${err.code}: ${err.message} | ${err.hint}`);
  console.log(outcome);
  assert.equal(outcome, 'pushed ["created"]', 'the push to the loopback registry completes');
  assert.equal(await inspectDigest(reg, 'loop/push:1.0'), local.top.digest);
});
