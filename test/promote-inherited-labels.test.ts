// Found by a review, fixed since: "same revision" is two config labels, and a Dockerfile inherits them from its
// base image (official images built with docker/metadata-action carry the base's own
// org.opencontainers.image.revision/source). Without labels of its own, every build of
// the app on that base has the same "revision": a release of a NEW commit is promoted to
// the image an older commit published under the release tag, and the new commit's
// immutable sha tag is created on that old image. Nothing ties the labels to the run
// (GITHUB_SHA, GITHUB_REPOSITORY), so the run passes with bytes of another commit.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { buildImage, inspectDigest, pushImage, removeLayout, type BuiltImage } from './support/images.ts';
import { entryFor } from './support/image-factory.ts';
import { useRegistry } from './support/registry.ts';
import { runAction } from './support/action-runner.ts';

const reg = await useRegistry();
const layouts: BuiltImage[] = [];
after(async () => { for (const l of layouts) await removeLayout(l); });
// The base image's labels, inherited by every build FROM it.
const BASE = { 'org.opencontainers.image.revision': '0f0e0d0c0b0a09080706050403020100ffeeddcc', 'org.opencontainers.image.source': 'https://github.com/nodejs/docker-node' };
const OLD = '1111111111111111111111111111111111111111';
const NEW = '2222222222222222222222222222222222222222';

test('a build whose revision labels are not its commit (inherited from the base) is never promoted to another commit\'s image', async () => {
  const old = await buildImage({ files: { '/app/main.js': 'console.log("commit 1111")\n' }, labels: BASE });
  const fresh = await buildImage({ files: { '/app/main.js': 'console.log("commit 2222")\n' }, labels: BASE });
  layouts.push(old, fresh);
  // Commit 1111 was (mistakenly) released as 1.2.3; the release job for commit 2222 runs with tag 1.2.3.
  const published = await pushImage(reg, old.ociRef, 'inh/api:1.2.3');
  const ours = (await entryFor(fresh.layout, fresh.tag)).digest;
  const tags = [`${reg.host}/inh/api:1.2.3`, `${reg.host}/inh/api:sha-2222222`].join('\n');
  const r = await runAction({ tags, image: fresh.layout, 'insecure-registries': reg.host, scan: 'none', comment: 'never', 'promote-same-revision': 'true', 'tag-settle-seconds': '0.5' },
    { GITHUB_SHA: NEW, GITHUB_REPOSITORY: 'acme/api', GITHUB_SERVER_URL: 'https://github.com' });
  const sha = await inspectDigest(reg, 'inh/api:sha-2222222').catch(() => 'absent');
  console.log(`result ${r.outputs['result']}, image ${r.outputs['image']}; sha-2222222 -> ${sha}; commit 1111's image ${published}; this build ${ours}`);
  assert.notEqual(r.outputs['result'], 'pass', `commit ${NEW}'s release passed deploying commit ${OLD}'s image, and sha-2222222 now names it`);
});
