// Review: a docker save archive whose manifest.json lists one layer file many times (and a
// config whose rootfs.diff_ids repeats its digest as often) makes synthesizeManifest hash
// that file once per listing: nothing dedupes the hashes, as VerifiedBlobs does for OCI
// layouts. A few MB of JSON turn one layer into gigabytes, or terabytes, of hashing before
// the image is verified or refused. (An OCI layout listing one layer many times is hashed once.)
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { openImage } from '../src/image/open-image.ts';
import { sha256, tempDir } from './support/image-factory.ts';

test('a docker save listing one 8 MiB layer 1500 times is verified in seconds, not by hashing it 1500 times', { timeout: 300_000 }, async () => {
  const work = await tempDir('review-docker-repeat');
  try {
    const layer = randomBytes(8 * 1024 * 1024);
    const times = 1500;
    const diffId = sha256(layer);
    await writeFile(join(work.dir, 'layer.tar'), layer);
    const config = Buffer.from(JSON.stringify({ architecture: 'amd64', os: 'linux', rootfs: { type: 'layers', diff_ids: new Array(times).fill(diffId) } }));
    const configName = `${sha256(config).slice('sha256:'.length)}.json`;
    await writeFile(join(work.dir, configName), config);
    await writeFile(join(work.dir, 'manifest.json'), JSON.stringify([{ Config: configName, RepoTags: ['api:1'], Layers: new Array(times).fill('layer.tar') }]));
    const started = Date.now();
    const image = await openImage(work.dir, { names: ['api:1'] });
    const ms = Date.now() - started;
    assert.equal(image.blobs.length, 2, 'one config and one layer');
    await image.close();
    assert.ok(ms < 5000, `${times} listings of one 8 MiB layer took ${ms} ms: ${(times * 8 / 1024).toFixed(1)} GiB hashed for 8 MiB of content`);
  } finally {
    await work.cleanup();
  }
});
