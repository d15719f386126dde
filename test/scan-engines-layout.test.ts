// trivy and grype are handed a layout that names only the verified image, even when
// the built layout holds several; skopeo, a real client, must read it back whole.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openImage } from '../src/image/open-image.ts';
import { singleImageLayout } from '../src/scan/engines/single-image-layout.ts';
import { buildImage, removeLayout } from './support/images.ts';
import { run } from './support/exec.ts';

test('the engines\' layout names only the chosen image, and every blob of it resolves', async (t) => {
  const first = await buildImage({ files: { '/which': 'first\n' }, tag: 'other' });
  await buildImage({ layout: first.layout, files: { '/which': 'chosen\n' }, tag: '1.0' });
  const image = await openImage(first.layout, { names: ['1.0'] });
  const out = await mkdtemp(join(tmpdir(), 'immutag-engine-copy-'));
  t.after(async () => {
    await image.close();
    await removeLayout(first);
    await rm(out, { recursive: true, force: true });
  });
  const layout = await singleImageLayout(first.layout, image.top, [...image.manifests.keys(), ...image.blobs.map((b) => b.digest)]);
  const index = JSON.parse(await readFile(join(layout.dir, 'index.json'), 'utf8')) as { manifests: { digest: string }[] };
  assert.deepEqual(index.manifests.map((m) => m.digest), [image.top.digest]);
  const { stdout } = await run('skopeo', ['inspect', '--raw', `oci:${layout.dir}`]);
  assert.equal(`sha256:${createHash('sha256').update(stdout).digest('hex')}`, image.top.digest);
  await run('skopeo', ['copy', '--quiet', `oci:${layout.dir}`, `dir:${join(out, 'copy')}`]);
  await layout.close();
  assert.equal(existsSync(layout.dir), false, 'nothing is left behind');
  assert.ok(existsSync(join(first.layout, 'index.json')), 'the built layout is untouched');
});
