// Picking one image out of several. run.ts passes the full references being pushed and
// their bare tags (candidateNames). A bare tag matched any image whose name carried that
// tag, whatever repository that name stated, so an image the file explicitly names as
// another repository was pushed when it was the only one with the tag, and two images
// each carrying one of the tags being pushed were settled by which spelt its name in
// full (found by a review). Now a name for another repository is not that tag of this
// one, and tags that lead to different images are refused.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { ImmutagError } from '../src/errors.ts';
import { openImage } from '../src/image/open-image.ts';
import { selectImage } from '../src/image/select-image.ts';
import { buildImage, type BuiltImage } from './support/images.ts';
import { entryFor, readIndex, writeIndex } from './support/image-factory.ts';

/** What run.ts's candidateNames gives openImage for one ref ghcr.io/acme/api:1.4.0. */
const PUSHING = ['ghcr.io/acme/api:1.4.0', '1.4.0'];

test('unit: an image named for another repository is not taken for a tag of this one', () => {
  const held = [
    { id: 'sha256:api-2', names: ['ghcr.io/acme/api:2.0.0'] },
    { id: 'sha256:web', names: ['ghcr.io/acme/web:1.4.0'] },
  ];
  let chosen: string | undefined;
  try {
    chosen = selectImage(held, PUSHING, 'image.tar').id;
  } catch (err) {
    assert.ok(err instanceof ImmutagError && err.code === 'IMAGE_INVALID', String(err));
    return;
  }
  assert.fail(`pushing ghcr.io/acme/api:1.4.0 chose ${chosen}, the image the file names ghcr.io/acme/web:1.4.0`);
});

test('unit: two images that each carry a different tag being pushed are ambiguous, whichever spells its name in full', () => {
  // Pushing ghcr.io/acme/api:1.4.0 and ghcr.io/acme/api:latest (run.ts: both refs and both bare tags).
  const wanted = ['ghcr.io/acme/api:1.4.0', '1.4.0', 'ghcr.io/acme/api:latest', 'latest'];
  const held = [
    { id: 'sha256:new', names: ['1.4.0'] },
    { id: 'sha256:stale', names: ['ghcr.io/acme/api:latest'] },
  ];
  let chosen: string | undefined;
  try {
    chosen = selectImage(held, wanted, 'image.tar').id;
  } catch (err) {
    assert.ok(err instanceof ImmutagError && err.code === 'IMAGE_INVALID', String(err));
    return;
  }
  assert.fail(`chose ${chosen} to push as both 1.4.0 and latest, though the file names another image 1.4.0`);
});

let api: BuiltImage;
let web: BuiltImage;

before(async () => {
  api = await buildImage({ tag: 'api' });
  web = await buildImage({ layout: api.layout, tag: 'web' });
  const a = await entryFor(api.layout, 'api');
  const w = await entryFor(api.layout, 'web');
  const index = await readIndex(api.layout);
  index.manifests = [
    { ...a, annotations: { 'org.opencontainers.image.ref.name': 'ghcr.io/acme/api:2.0.0' } },
    { ...w, annotations: { 'org.opencontainers.image.ref.name': 'ghcr.io/acme/web:1.4.0' } },
  ];
  await writeIndex(api.layout, index);
});

after(async () => {
  await rm(join(api.layout, '..'), { recursive: true, force: true });
});

test('a layout holding acme/api:2.0.0 and acme/web:1.4.0: pushing acme/api:1.4.0 does not push the web image', async () => {
  const webDigest = (await readIndex(web.layout)).manifests[1]!.digest;
  let image: Awaited<ReturnType<typeof openImage>>;
  try {
    image = await openImage(api.layout, { names: PUSHING });
  } catch (err) {
    assert.ok(err instanceof ImmutagError && err.code === 'IMAGE_INVALID', String(err));
    return;
  }
  const top = image.top.digest;
  await image.close();
  assert.notEqual(top, webDigest, `ghcr.io/acme/api:1.4.0 would be pushed as ${top}, the image named ghcr.io/acme/web:1.4.0`);
});
