// oci-layout is read with MANIFEST_FIELDS, which has no imageLayoutVersion: a folded key
// is let through. Go (image-spec's ImageLayout, as containerd's importer and umoci decode
// it) takes the later of {"imageLayoutVersion":"1.0.0","imageLayoutVerſion":"2.0.0"}:
// version 2.0.0, which containerd refuses ("unsupported OCI version") and immutag accepts
// as 1.0.0 (checked with Go 1.19's encoding/json).
import assert from 'node:assert/strict';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { gzipSync } from 'node:zlib';
import { ImmutagError } from '../src/errors.ts';
import { openImage } from '../src/image/open-image.ts';
import { buildTar } from './support/layer-tar.ts';
import { sha256, tempDir, writeBlob, writeIndex } from './support/image-factory.ts';

let work: Awaited<ReturnType<typeof tempDir>>;
before(async () => { work = await tempDir('layout-version-fold'); });
after(async () => { await work.cleanup(); });

test('an oci-layout whose version Go reads from a folded key is refused', async () => {
  const layout = join(work.dir, 'layout');
  await mkdir(join(layout, 'blobs', 'sha256'), { recursive: true });
  await writeFile(join(layout, 'oci-layout'), '{"imageLayoutVersion":"1.0.0","imageLayoutVer\u017fion":"2.0.0"}');
  const rootfs = await buildTar([{ name: 'hello.txt', content: 'hi\n' }]);
  const layer = await writeBlob(layout, 'application/vnd.oci.image.layer.v1.tar+gzip', gzipSync(rootfs));
  const config = await writeBlob(layout, 'application/vnd.oci.image.config.v1+json', JSON.stringify({ architecture: 'amd64', os: 'linux', rootfs: { type: 'layers', diff_ids: [sha256(rootfs)] } }));
  const manifest = await writeBlob(layout, 'application/vnd.oci.image.manifest.v1+json', JSON.stringify({ schemaVersion: 2, mediaType: 'application/vnd.oci.image.manifest.v1+json', config, layers: [layer] }));
  await writeIndex(layout, { schemaVersion: 2, manifests: [{ ...manifest, annotations: { 'org.opencontainers.image.ref.name': 'v1' } }] });
  await assert.rejects(async () => (await openImage(layout, { names: ['v1'] })).close(), (err: unknown) => {
    assert.ok(err instanceof ImmutagError && err.code === 'IMAGE_INVALID', String(err));
    return true;
  });
});
