// Review: a docker save archive whose manifest.json lists one layer file many times (and a
// config whose rootfs.diff_ids repeats its digest as often) made synthesizeManifest hash
// that file once per listing: nothing deduped the hashes, as VerifiedBlobs does for OCI
// layouts. A few MB of JSON turned one layer into gigabytes, or terabytes, of hashing before
// the image was verified or refused. (An OCI layout listing one layer many times is hashed
// once.) Hashes are now kept per file span. No timing assertion: 6,000 listings took about
// 30 s before, a fraction of a second now, and the test's own limit of 15 s sits between.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { openImage } from '../src/image/open-image.ts';
import { sha256, tempDir } from './support/image-factory.ts';

test('a docker save listing one 8 MiB layer 6,000 times is verified without hashing it 6,000 times', { timeout: 15_000 }, async () => {
  const work = await tempDir('review-docker-repeat');
  try {
    const layer = randomBytes(8 * 1024 * 1024);
    const times = 6000;
    const diffId = sha256(layer);
    await writeFile(join(work.dir, 'layer.tar'), layer);
    const config = Buffer.from(JSON.stringify({ architecture: 'amd64', os: 'linux', rootfs: { type: 'layers', diff_ids: new Array(times).fill(diffId) } }));
    const configName = `${sha256(config).slice('sha256:'.length)}.json`;
    await writeFile(join(work.dir, configName), config);
    await writeFile(join(work.dir, 'manifest.json'), JSON.stringify([{ Config: configName, RepoTags: ['api:1'], Layers: new Array(times).fill('layer.tar') }]));
    const image = await openImage(work.dir, { names: ['api:1'] });
    assert.equal(image.blobs.length, 2, 'one config and one layer');
    await image.close();
  } finally {
    await work.cleanup();
  }
});
