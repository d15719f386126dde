// promote-same-revision switches the image to deploy to the one already published.
// Every tag is then judged again against THAT digest: a tag that holds the new build
// is no longer "unchanged". Otherwise a dry run (push: false) passed and named the
// published image to deploy while that tag named another image, and the real push of
// the same inputs failed with TAG_EXISTS on that very tag.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useRegistry } from './support/registry.ts';
import { revisionBuilds } from './support/test-builds.ts';
import { inspectDigest, pushImage } from './support/images.ts';
import { entryFor } from './support/image-factory.ts';
import { runAction } from './support/action-runner.ts';

const reg = await useRegistry();

const build = revisionBuilds();

test('promote-same-revision dry run: a tag holding the new build does not pass as "unchanged" for the promoted image', async () => {
  const main = await build('main');
  const published = await pushImage(reg, main.ociRef, 'dry/api:sha-ec26c3e');
  const release = await build('1.2.3');
  const ours = (await entryFor(release.layout, release.tag)).digest;
  // An earlier attempt of the release wrote 1.2.3 (reproducible build) before losing sha-ec26c3e.
  await pushImage(reg, release.ociRef, 'dry/api:1.2.3');
  assert.equal(await inspectDigest(reg, 'dry/api:1.2.3'), ours);
  const tags = [`${reg.host}/dry/api:1.2.3`, `${reg.host}/dry/api:sha-ec26c3e`].join('\n');
  const inputs = { tags, image: release.layout, 'promote-same-revision': 'true', 'insecure-registries': reg.host, scan: 'none', comment: 'never' };

  const pushed = await runAction({ ...inputs, push: 'true' });
  console.log(`push: exit ${pushed.code}, result ${pushed.outputs['result']}`);
  const dry = await runAction({ ...inputs, push: 'false' });
  console.log(`dry run: exit ${dry.code}, result ${dry.outputs['result']}, image ${dry.outputs['image']}, 1.2.3 names ${ours}`);
  assert.equal(dry.outputs['result'], pushed.outputs['result'], 'the dry run and the push of the same inputs agree');
  assert.ok(!(dry.outputs['result'] === 'pass' && dry.outputs['image'] === `${reg.host}/dry/api@${published}`),
    `the dry run passes naming ${published} to deploy, while 1.2.3 names ${ours}`);
});
