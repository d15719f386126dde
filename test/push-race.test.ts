// The tag is written last and owned only by the job whose digest it names:
// another writer landing before our write (the re-check sees it) or right after it
// (the read-back sees it) fails the run with TAG_MOVED naming both digests, and a
// registry that protects tags itself is reported in its own words as TAG_EXISTS.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { checkTags } from '../src/gate.ts';
import { openImage, type LocalImage } from '../src/image/open-image.ts';
import type { RegistryClient } from '../src/registry/client.ts';
import { pushImage } from '../src/registry/push.ts';
import { run } from './support/exec.ts';
import { startFaultProxy } from './support/fault-proxy.ts';
import { buildImage, inspectDigest, pushImage as skopeoPush, removeLayout, type BuiltImage } from './support/images.ts';
import { startForwardingProxy } from './support/forwarding-proxy.ts';
import { useRegistry } from './support/registry.ts';
import { clientFor, refs } from './support/registry-client.ts';
import { virtualClock } from './support/virtual-clock.ts';

const reg = await useRegistry();
let client: RegistryClient;
let logger: ReturnType<typeof clientFor>['logger'];
let a: { built: BuiltImage; local: LocalImage };
let b: { built: BuiltImage; local: LocalImage };

before(async () => {
  ({ client, logger } = clientFor(reg));
  a = await image('A');
  b = await image('B');
});

after(async () => {
  await client.close();
  for (const x of [a, b]) {
    await x.local.close();
    await removeLayout(x.built);
  }
});

async function image(which: string): Promise<{ built: BuiltImage; local: LocalImage }> {
  const built = await buildImage({ files: { '/which': `${which}\n` } });
  return { built, local: await openImage(built.layout) };
}

function movedBetween(ours: string, theirs: string) {
  return (err: Error & { code?: string }) => {
    assert.equal(err.code, 'TAG_MOVED');
    assert.ok(err.message.includes(ours) && err.message.includes(theirs), err.message);
    return true;
  };
}

test('another writer moves the tag while we push: TAG_MOVED, and their image keeps the tag', async () => {
  const tag = refs(reg.host, 'race/before:1.0');
  const gate = await checkTags({ refs: tag, client, logger, expectedDigest: a.local.top.digest });
  assert.equal(gate.results[0]!.verdict, 'new');

  const pushing = pushImage({
    client, image: a.local, refs: tag, gate, logger, settle: { clock: virtualClock() },
    hooks: { beforeTagWrite: async () => void await skopeoPush(reg, b.built.ociRef, 'race/before:1.0') },
  });

  await assert.rejects(pushing, movedBetween(a.local.top.digest, b.local.top.digest));
  assert.equal(await inspectDigest(reg, 'race/before:1.0'), b.local.top.digest, 'immutag did not overwrite the other job');
});

test('the same image pushed by another job meanwhile: the tag is ours, unchanged', async () => {
  const tag = refs(reg.host, 'race/same:1.0');
  const result = await pushImage({
    client, image: a.local, refs: tag, logger, settle: { clock: virtualClock() },
    hooks: { beforeTagWrite: async () => void await skopeoPush(reg, a.built.ociRef, 'race/same:1.0') },
  });
  assert.deepEqual(Object.values(result.pushed), ['unchanged']);
});

test('an image deleted after the gate saw it at our digest is pushed again, content first', async () => {
  const tag = refs(reg.host, 'race/deleted:1.0');
  await pushImage({ client, image: a.local, refs: tag, logger, settle: { clock: virtualClock() } });
  const gate = await checkTags({ refs: tag, client, logger, expectedDigest: a.local.top.digest });
  assert.equal(gate.results[0]!.verdict, 'same');

  const result = await pushImage({
    client, image: a.local, refs: tag, gate, logger, settle: { clock: virtualClock() },
    hooks: { beforeTagWrite: async () => void await run('skopeo', ['delete', ...reg.skopeoArgs(), `docker://${reg.host}/race/deleted@${a.local.top.digest}`]) },
  });

  assert.deepEqual(Object.values(result.pushed), ['created']);
  assert.equal(result.stats.manifestsPushed, 1);
  assert.equal(await inspectDigest(reg, 'race/deleted:1.0'), a.local.top.digest);
});

test('another writer lands right after our write: the read-back sees it, TAG_MOVED', async () => {
  const proxy = await startForwardingProxy(reg.url);
  const { client: viaProxy } = clientFor(reg, { via: proxy.host });
  try {
    const tag = refs(proxy.host, 'race/after:1.0');
    let wrote = false;
    // Hold the first request on the tag after our PUT by tag: the read-back GET.
    const pause = proxy.pauseWhen((method, path) => {
      if (method === 'PUT' && path.endsWith('/manifests/1.0')) wrote = true;
      return wrote && method === 'GET' && path.endsWith('/manifests/1.0');
    });
    const outcome = pushImage({ client: viaProxy, image: a.local, refs: tag, logger, settle: { clock: virtualClock() } }).then(() => undefined, (err: unknown) => err);

    await Promise.race([pause.reached, outcome]);
    await skopeoPush(reg, b.built.ociRef, 'race/after:1.0');
    pause.release();

    const err = await outcome;
    assert.ok(err instanceof Error, 'the push must not succeed');
    movedBetween(a.local.top.digest, b.local.top.digest)(err);
    assert.match(err.message, /right after immutag wrote it/);
  } finally {
    await viaProxy.close();
    await proxy.stop();
  }
});

// What registries with their own tag protection answer to a tag PUT (only the
// status and body are injected; the by-digest PUTs before it reach the registry).
const refusals: { name: string; status: number; body: unknown; code: string; words?: RegExp }[] = [
  {
    name: 'ECR immutable repository', status: 400, code: 'TAG_EXISTS',
    body: { errors: [{ code: 'TAG_INVALID', message: "The image tag '1.0' already exists in the 'refuse/case0' repository and cannot be overwritten because the tag is immutable." }] },
    words: /TAG_INVALID: The image tag '1\.0' already exists .* cannot be overwritten/,
  },
  {
    name: 'Harbor immutability rule', status: 412, code: 'TAG_EXISTS',
    body: { errors: [{ code: 'PRECONDITION', message: "Failed to process request due to 'refuse/case1:1.0' configured as immutable." }] },
    words: /HTTP 412: "PRECONDITION: Failed to process request due to 'refuse\/case1:1\.0' configured as immutable\."/,
  },
  {
    name: 'a registry denying the overwrite', status: 403, code: 'TAG_EXISTS',
    body: { errors: [{ code: 'DENIED', message: 'tag 1.0 is protected and cannot be overwritten' }] },
  },
  {
    name: 'a registry denying push permission', status: 403, code: 'AUTH_FAILED',
    body: { errors: [{ code: 'DENIED', message: 'requested access to the resource is denied' }] },
  },
  {
    name: 'hostile words are flattened and bounded', status: 409, code: 'TAG_EXISTS',
    body: { errors: [{ code: 'CONFLICT', message: `tag exists\u001b[31m\r\n::error::spoofed${'x'.repeat(2000)}` }] },
    words: /"CONFLICT: tag exists \[31m ::error::spoofedx+…"\)$/,
  },
];

for (const [i, refusal] of refusals.entries()) {
  test(`registry refuses the tag write (${refusal.name}): ${refusal.code}, nothing tagged`, async () => {
    const repo = `refuse/case${i}`;
    const proxy = await startFaultProxy(reg.url, [{ method: 'PUT', path: /\/manifests\/1\.0$/, action: { kind: 'status', status: refusal.status, body: JSON.stringify(refusal.body) } }]);
    const { client: viaProxy } = clientFor(reg, { via: proxy.host });
    try {
      const tag = refs(proxy.host, `${repo}:1.0`);
      await assert.rejects(pushImage({ client: viaProxy, image: a.local, refs: tag, logger, settle: { clock: virtualClock() } }), (err: Error & { code?: string }) => {
        assert.equal(err.code, refusal.code, err.message);
        if (refusal.words) assert.match(err.message, refusal.words);
        assert.ok(err.message.length < 600, 'the registry\'s words are bounded');
        assert.doesNotMatch(err.message, /[\u0000-\u001f]/);
        return true;
      });
      assert.equal(proxy.count('PUT', /\/manifests\/sha256:/), 1, 'the manifest went in by digest first');
      assert.equal((await viaProxy.manifestState(tag[0]!)).kind, 'absent');
    } finally {
      await viaProxy.close();
      await proxy.stop();
    }
  });
}
