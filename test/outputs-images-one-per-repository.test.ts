// Found by a review, fixed since: the `images` output is "one <repository>@<digest> per
// distinct repository", and the tags input treats a registry host as the transport keys
// it (`LOCALHOST:5000/app:1` and `localhost:5000/app:1` are one tag), but `images`
// counted repositories by their spelling: one repository listed under two spellings made
// a deploy step that walks `images` deploy it twice.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { useRegistry } from './support/registry.ts';
import { buildImage, removeLayout, type BuiltImage } from './support/images.ts';
import { runAction } from './support/action-runner.ts';

const reg = await useRegistry();
let image: BuiltImage;

before(async () => {
  image = await buildImage();
});

after(async () => {
  await removeLayout(image);
});

test('images: one line per repository, however the registry host of its tags is spelt', async () => {
  const port = reg.host.split(':')[1];
  const tags = `localhost:${port}/dedupe/app:1.0\nLOCALHOST:${port}/dedupe/app:1.0.1`;
  const r = await runAction({ tags, image: image.layout, push: 'false', scan: 'none', comment: 'never', 'insecure-registries': `localhost:${port}` });
  assert.equal(r.outputs['result'], 'pass', r.stdout);
  const lines = r.outputs['images']!.split('\n');
  assert.equal(lines.length, 1, `one repository, one line: ${JSON.stringify(lines)}`);
  assert.equal(lines[0], `localhost:${port}/dedupe/app@${r.outputs['digest']}`);
});
