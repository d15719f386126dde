// Pushing behind the registry's own authentication: htpasswd Basic, and bearer
// tokens with push scope, where a second repository on the same registry gets its
// blobs by cross-repository mount (the token server sees pull asked on the source).
// A token without push is a clear permission error before anything is tagged.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { openImage, type LocalImage } from '../src/image/open-image.ts';
import { pushImage } from '../src/registry/push.ts';
import { buildImage, inspectDigest, removeLayout, type BuiltImage } from './support/images.ts';
import { assertPullsBackIdentical } from './support/pull-back.ts';
import { useRegistry } from './support/registry.ts';
import { clientFor, refs } from './support/registry-client.ts';
import { QUICK_SETTLE } from './support/virtual-clock.ts';

const [htpasswd, token] = await Promise.all([
  useRegistry({ auth: 'htpasswd' }),
  // Repositories under readonly/ may be pulled but never pushed.
  useRegistry({ auth: 'token', tokenGrant: (account, repository, actions) => (account === undefined ? [] : repository.startsWith('readonly/') ? actions.filter((a) => a === 'pull') : actions) }),
]);
let built: BuiltImage;
let local: LocalImage;

before(async () => {
  built = await buildImage({ layers: [{ '/one': '1\n' }, { '/two': '2\n' }] });
  local = await openImage(built.layout);
});

after(async () => {
  await local.close();
  await removeLayout(built);
});

test('htpasswd: pushed with the input credentials, skopeo sees our digest and pulls it back identical', async () => {
  const { client, logger } = clientFor(htpasswd);
  try {
    const result = await pushImage({ client, image: local, refs: refs(htpasswd.host, 'basic/app:1.0'), logger, settle: QUICK_SETTLE });
    assert.deepEqual(Object.values(result.pushed), ['created']);
    assert.equal(await inspectDigest(htpasswd, 'basic/app:1.0'), local.top.digest);
    await assertPullsBackIdentical(htpasswd, 'basic/app', local);
    assert.ok(!logger.lines.join('\n').includes(htpasswd.password), 'the password is never logged');
  } finally {
    await client.close();
  }
});

test('token auth: two repositories, the second gets every blob by mount, one push token per repository', async () => {
  const { client, logger } = clientFor(token);
  try {
    const issuedBefore = token.token!.issued.length;
    const result = await pushImage({ client, image: local, refs: refs(token.host, 'team/api:1.0', 'team/api-mirror:1.0'), logger, settle: QUICK_SETTLE });

    assert.deepEqual(Object.values(result.pushed), ['created', 'created']);
    assert.equal(result.stats.blobsUploaded, local.blobs.length);
    assert.equal(result.stats.blobsMounted, local.blobs.length, 'the second repository mounted every blob');
    assert.equal(result.stats.bytesUploaded, local.blobs.reduce((sum, b) => sum + b.size, 0), 'each byte uploaded once');
    for (const repo of ['team/api', 'team/api-mirror']) {
      assert.equal(await inspectDigest(token, `${repo}:1.0`), local.top.digest);
      await assertPullsBackIdentical(token, repo, local);
    }
    const pushTokens = token.token!.issued.slice(issuedBefore).filter((t) => t.scopes.some((s) => s.endsWith(':pull,push')));
    const mirror = pushTokens.find((t) => t.scopes.includes('repository:team/api-mirror:pull,push'));
    assert.ok(mirror?.scopes.includes('repository:team/api:pull'), `the mirror's token asks pull on the mount source: ${JSON.stringify(pushTokens)}`);
    assert.equal(pushTokens.length, 2, 'one push token per repository');
  } finally {
    await client.close();
  }
});

test('token auth without push scope: a permission error naming push, nothing tagged', async () => {
  const { client, logger } = clientFor(token);
  try {
    const tag = refs(token.host, 'readonly/app:1.0');
    await assert.rejects(pushImage({ client, image: local, refs: tag, logger, settle: QUICK_SETTLE }), (err: Error & { code?: string; hint?: string }) => {
      assert.equal(err.code, 'AUTH_FAILED');
      assert.match(err.message, /readonly\/app/);
      assert.match(err.hint ?? '', /push/);
      return true;
    });
    assert.equal((await client.manifestState(tag[0]!)).kind, 'absent');
  } finally {
    await client.close();
  }
});
