// The mutant tag: a tag moved by someone else is reported at the digest it points
// at now, every time; mutable patterns and the expected digest change the verdict,
// never the observation.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkTags, tagError } from '../src/gate.ts';
import { registryFor } from './support/registry.ts';
import { buildImage, inspectDigest, pushImage, removeLayout } from './support/images.ts';
import { clientFor, refs } from './support/registry-client.ts';

test('push A to :1.0 → refused at A; push B over it → refused at B', async (t) => {
  const reg = await registryFor(t);
  const a = await buildImage({ files: { '/which': 'A\n' } });
  const b = await buildImage({ files: { '/which': 'B\n' } });
  const { client, logger } = clientFor(reg);
  t.after(async () => {
    await client.close();
    await removeLayout(a);
    await removeLayout(b);
  });
  const target = refs(reg.host, 'mutant/app:1.0');

  const before = await checkTags({ refs: target, client, logger });
  assert.equal(before.result, 'pass');
  assert.equal(before.results[0]!.verdict, 'new');

  const digestA = await pushImage(reg, a.ociRef, 'mutant/app:1.0');
  const afterA = await checkTags({ refs: target, client, logger });
  assert.equal(afterA.result, 'violation');
  assert.deepEqual(afterA.existing, [{ tag: `${reg.host}/mutant/app:1.0`, digest: digestA }]);
  const err = tagError(afterA.results[0]!);
  assert.equal(err?.code, 'TAG_EXISTS');
  assert.ok(err?.message.includes(digestA) && err.message.includes('mutant/app:1.0'));
  assert.match(err?.hint ?? '', /mutable-tags/);

  const digestB = await pushImage(reg, b.ociRef, 'mutant/app:1.0');
  assert.notEqual(digestB, digestA);
  assert.equal(await inspectDigest(reg, 'mutant/app:1.0'), digestB);
  const afterB = await checkTags({ refs: target, client, logger });
  assert.equal(afterB.result, 'violation');
  assert.deepEqual(afterB.existing, [{ tag: `${reg.host}/mutant/app:1.0`, digest: digestB }]);
});

test('mutable patterns let a tag move; the expected digest makes a re-run pass', async (t) => {
  const reg = await registryFor(t);
  const image = await buildImage();
  const { client, logger } = clientFor(reg);
  t.after(async () => {
    await client.close();
    await removeLayout(image);
  });
  const digest = await pushImage(reg, image.ociRef, 'mut/app:1.0');
  await pushImage(reg, image.ociRef, 'mut/app:latest');
  await pushImage(reg, image.ociRef, 'mut/app:pr-7');
  const tags = refs(reg.host, 'mut/app:1.0', 'mut/app:latest', 'mut/app:pr-7', 'mut/app:1.1');

  const withPatterns = await checkTags({ refs: tags, client, logger, mutablePatterns: ['latest', 'pr-*'] });
  assert.deepEqual(withPatterns.results.map((r) => [r.verdict, r.pattern]), [['violation', undefined], ['mutable', 'latest'], ['mutable', 'pr-*'], ['new', undefined]]);
  assert.equal(withPatterns.result, 'violation');
  assert.equal(withPatterns.existing.length, 3);

  const rerun = await checkTags({ refs: tags, client, logger, mutablePatterns: ['latest', 'pr-*'], expectedDigest: digest });
  assert.deepEqual(rerun.results.map((r) => r.verdict), ['same', 'same', 'same', 'new']);
  assert.equal(rerun.result, 'pass');

  const otherDigest = `sha256:${'0'.repeat(64)}`;
  const wrong = await checkTags({ refs: tags, client, logger, mutablePatterns: ['latest'], expectedDigest: otherDigest });
  assert.deepEqual(wrong.results.map((r) => r.verdict), ['violation', 'mutable', 'violation', 'new']);
});
