// Review: a descriptor's embedded `data` (image-spec descriptor.md: "The decoded data MUST
// be identical to the referenced content"). immutag verifies the blob file and never looks at
// `data`, so a manifest whose layer descriptor embeds other bytes of the same size is
// verified, scanned and pushed as it is. A consumer that honours `data` when its length is the
// descriptor's size (containerd's remotes.Fetch does, and then fails the pull on the digest;
// others use it as is) gets bytes immutag never verified or scanned.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { ImmutagError } from '../src/errors.ts';
import { openImage } from '../src/image/open-image.ts';
import type { ImageManifest } from '../src/oci.ts';
import { buildImage, type BuiltImage } from './support/images.ts';
import { blobFile, entryFor, readJsonBlob, writeBlob, writeIndex } from './support/image-factory.ts';

let base: BuiltImage;

before(async () => {
  base = await buildImage({ tag: 'v1' });
});

after(async () => {
  await rm(join(base.layout, '..'), { recursive: true, force: true });
});

test('a layer descriptor whose embedded data is not the layer is refused', async () => {
  const layout = base.layout;
  const manifest = await readJsonBlob<ImageManifest>(layout, (await entryFor(layout, 'v1')).digest);
  const layer = manifest.layers[0]!;
  const real = await readFile(blobFile(layout, layer.digest));
  const other = Buffer.alloc(real.length, 0x41); // same size, other bytes
  assert.notDeepEqual(other, real);
  const edited = { ...manifest, layers: [{ ...layer, data: other.toString('base64') }, ...manifest.layers.slice(1)] };
  const desc = await writeBlob(layout, 'application/vnd.oci.image.manifest.v1+json', JSON.stringify(edited));
  await writeIndex(layout, { schemaVersion: 2, manifests: [{ ...desc, annotations: { 'org.opencontainers.image.ref.name': 'v1' } }] });
  let top: string | undefined;
  try {
    const image = await openImage(layout, { names: ['v1'] });
    top = image.top.digest;
    await image.close();
  } catch (err) {
    assert.ok(err instanceof ImmutagError && (err.code === 'IMAGE_INVALID' || err.code === 'DIGEST_MISMATCH'), String(err));
    return;
  }
  assert.fail(`accepted ${top}: its layer 1 descriptor embeds ${other.length} bytes of data that are not ${layer.digest}`);
});

test('a layer descriptor whose embedded data is the layer is accepted', async () => {
  const layout = base.layout;
  const manifest = await readJsonBlob<ImageManifest>(layout, (await entryFor(layout, 'v1')).digest);
  const layer = manifest.layers[0]!;
  const real = await readFile(blobFile(layout, layer.digest));
  const edited = { ...manifest, layers: [{ ...layer, data: real.toString('base64') }, ...manifest.layers.slice(1)] };
  const desc = await writeBlob(layout, 'application/vnd.oci.image.manifest.v1+json', JSON.stringify(edited));
  await writeIndex(layout, { schemaVersion: 2, manifests: [{ ...desc, annotations: { 'org.opencontainers.image.ref.name': 'v1' } }] });
  const image = await openImage(layout, { names: ['v1'] });
  assert.equal(image.top.digest, desc.digest);
  await image.close();
});
