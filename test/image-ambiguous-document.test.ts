// Review: a manifest document that is also an index (CVE-2021-41190, "ambiguous OCI
// manifest"). A document without a mediaType field that carries both `config`/`layers`
// and `manifests` is an image to a reader that takes it as a manifest and a list of other
// images to one that takes it as an index. The descriptor's type picks one reading for
// immutag; the other half is never verified. image-spec (since 1.0.2) and distribution
// refuse such documents; immutag should too, before anything else reads it.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { ImmutagError } from '../src/errors.ts';
import { openImage } from '../src/image/open-image.ts';
import type { ImageManifest } from '../src/oci.ts';
import { run } from './support/exec.ts';
import { buildImage, type BuiltImage } from './support/images.ts';
import { entryFor, readJsonBlob, tempDir, writeBlob, writeIndex } from './support/image-factory.ts';

const OCI_MANIFEST = 'application/vnd.oci.image.manifest.v1+json';
const OCI_INDEX = 'application/vnd.oci.image.index.v1+json';
/** A manifest that is not in the layout at all: never read, never verified. */
const ABSENT = { mediaType: OCI_MANIFEST, digest: `sha256:${'e'.repeat(64)}`, size: 1234, platform: { architecture: 'amd64', os: 'linux' } };

let work: Awaited<ReturnType<typeof tempDir>>;
let base: BuiltImage;
let manifest: ImageManifest;
let counter = 0;

before(async () => {
  work = await tempDir('review-ambiguous');
  base = await buildImage({ tag: 'v1' });
  manifest = await readJsonBlob<ImageManifest>(base.layout, (await entryFor(base.layout, 'v1')).digest);
});

after(async () => {
  await work.cleanup();
  await rm(join(base.layout, '..'), { recursive: true, force: true });
});

async function copyLayout(): Promise<string> {
  const dir = join(work.dir, `case-${++counter}`);
  await run('cp', ['-a', base.layout, dir]);
  return dir;
}

/** The image manifest with no mediaType field and a `manifests` list naming an image that is not in the file. */
function ambiguous(): string {
  const { mediaType: _drop, ...rest } = manifest;
  return JSON.stringify({ ...rest, manifests: [ABSENT] });
}

async function refused(layout: string, unread: string): Promise<void> {
  let opened: Awaited<ReturnType<typeof openImage>> | undefined;
  try {
    opened = await openImage(layout, { names: ['v1'] });
  } catch (err) {
    assert.ok(err instanceof ImmutagError, String(err));
    assert.equal(err.code, 'IMAGE_INVALID');
    return;
  }
  const listed = [...opened.manifests.keys()].join(', ');
  await opened.close();
  assert.fail(`accepted: top ${opened.top.digest} (${opened.top.mediaType}); verified manifests: ${listed}; ` +
    `but ${unread}`);
}

test('a manifest (by its descriptor) whose document also has a manifests list is refused', async () => {
  const layout = await copyLayout();
  const desc = await writeBlob(layout, OCI_MANIFEST, ambiguous());
  await writeIndex(layout, { schemaVersion: 2, manifests: [{ ...desc, annotations: { 'org.opencontainers.image.ref.name': 'v1' } }] });
  await refused(layout, `the document also lists ${ABSENT.digest}, which is not in the image and was never read`);
});

test('an index (by its descriptor) whose document also has config and layers is refused', async () => {
  const layout = await copyLayout();
  const inner = await writeBlob(layout, OCI_MANIFEST, JSON.stringify(manifest));
  const { mediaType: _drop, ...rest } = manifest;
  const desc = await writeBlob(layout, OCI_INDEX, JSON.stringify({ ...rest, manifests: [{ ...inner, platform: { architecture: 'amd64', os: 'linux' } }] }));
  await writeIndex(layout, { schemaVersion: 2, manifests: [{ ...desc, annotations: { 'org.opencontainers.image.ref.name': 'v1' } }] });
  await refused(layout, 'to a reader that takes the document as an image, its config and layers are what was never checked as such');
});

test('one document listed twice in an index, once as a manifest and once as an index, is refused', async () => {
  const layout = await copyLayout();
  const both = await writeBlob(layout, OCI_MANIFEST, ambiguous());
  const top = await writeBlob(layout, OCI_INDEX, JSON.stringify({
    schemaVersion: 2,
    mediaType: OCI_INDEX,
    manifests: [
      { ...both, mediaType: OCI_MANIFEST, platform: { architecture: 'amd64', os: 'linux' } },
      { ...both, mediaType: OCI_INDEX },
    ],
  }));
  await writeIndex(layout, { schemaVersion: 2, manifests: [{ ...top, annotations: { 'org.opencontainers.image.ref.name': 'v1' } }] });
  await refused(layout, `the second entry (as an index) was never walked: it lists ${ABSENT.digest}, not in the image`);
});

test('a plain manifest (mediaType set) listed a second time under an index type is refused, as it is when listed once', async () => {
  const layout = await copyLayout();
  const plain = await writeBlob(layout, OCI_MANIFEST, JSON.stringify({ ...manifest, mediaType: OCI_MANIFEST }));
  // Listed once as an index, checkDocument refuses it ("descriptor says … but the document says …").
  const once = await writeBlob(layout, OCI_INDEX, JSON.stringify({ schemaVersion: 2, mediaType: OCI_INDEX, manifests: [{ ...plain, mediaType: OCI_INDEX }] }));
  await writeIndex(layout, { schemaVersion: 2, manifests: [{ ...once, annotations: { 'org.opencontainers.image.ref.name': 'v1' } }] });
  await assert.rejects(openImage(layout, { names: ['v1'] }), { code: 'IMAGE_INVALID', message: /descriptor says .*index.* but the document says/ });
  // Listed first as a manifest, the second listing is skipped by digest and never type-checked.
  const twice = await writeBlob(layout, OCI_INDEX, JSON.stringify({
    schemaVersion: 2,
    mediaType: OCI_INDEX,
    manifests: [{ ...plain, platform: { architecture: 'amd64', os: 'linux' } }, { ...plain, mediaType: OCI_INDEX }],
  }));
  await writeIndex(layout, { schemaVersion: 2, manifests: [{ ...twice, annotations: { 'org.opencontainers.image.ref.name': 'v1' } }] });
  await refused(layout, 'its second entry calls a manifest an index, which is refused when it is the only entry');
});
