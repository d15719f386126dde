// Every shape a build step hands immutag opens to the same verified content, built
// from real umoci images: an OCI layout, its tar, a legacy docker save archive
// written by skopeo, the OCI form Docker 25+ writes, and a multi-platform index
// with a buildx-style attestation.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { openImage, type LocalImage } from '../src/image/open-image.ts';
import { MemoryLogger } from '../src/log.ts';
import type { Descriptor, ImageIndex, ImageManifest } from '../src/oci.ts';
import { readBlobBytes } from './support/blob-source.ts';
import { run } from './support/exec.ts';
import { buildImage, buildIndex, type BuiltImage } from './support/images.ts';
import { addAttestation, blobFile, dockerArchive, dockerArchiveOci, entryFor, readJsonBlob, sha256, tarDirectory, tempDir } from './support/image-factory.ts';

let work: Awaited<ReturnType<typeof tempDir>>;
let single: BuiltImage;
let multi: BuiltImage & { platforms: { arch: string; digest: string }[] };
let ociTar: string;
let legacyTar: string;
let dockerOci: { file: string; manifests: string[] };
let attested: { index: string; attestation: string };

before(async () => {
  work = await tempDir('image-open');
  // Big enough that layers span many read chunks, random so gzip cannot shrink it.
  single = await buildImage({ tag: '1.4.0', files: { '/data/blob.bin': randomBytes(1_500_000), '/etc/hello': 'hello\n' } });
  multi = await buildIndex({ arches: ['amd64', 'arm64'], tag: 'multi' });
  attested = await addAttestation(multi.layout, 'multi');
  ociTar = await tarDirectory(single.layout, join(work.dir, 'oci.tar'));
  legacyTar = await dockerArchive(single, join(work.dir, 'legacy.tar'), 'ghcr.io/acme/api:1.4.0');
  dockerOci = await dockerArchiveOci([{ image: single, repoTags: ['ghcr.io/acme/api:1.4.0'] }], join(work.dir, 'docker-oci.tar'));
});

after(async () => {
  await work.cleanup();
  await run('rm', ['-rf', join(single.layout, '..'), join(multi.layout, '..')]);
});

async function skopeoDigest(ref: string): Promise<string> {
  const { stdout } = await run('skopeo', ['inspect', '--raw', ref]);
  return sha256(stdout);
}

async function drain(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** Every blob served by source.open and openRaw hashes to its digest, at its size. */
async function assertServesVerifiedBytes(image: LocalImage): Promise<void> {
  for (const desc of [...image.blobs, image.top]) {
    for (const bytes of [await drain(await image.source.open(desc)), await readBlobBytes(await image.openRaw(desc))]) {
      assert.equal(bytes.length, desc.size, desc.digest);
      assert.equal(sha256(bytes), desc.digest);
    }
  }
}

test('an OCI layout directory and the same layout as a tar give the digest skopeo reports', async (t) => {
  const expected = await skopeoDigest(single.ociRef);
  const cases: Array<[string, string, LocalImage['kind']]> = [
    ['layout directory', single.layout, 'oci-layout'],
    ['OCI archive', ociTar, 'oci-archive'],
  ];
  for (const [name, path, kind] of cases) {
    await t.test(name, async () => {
      const logger = new MemoryLogger();
      const image = await openImage(path, { names: ['ghcr.io/acme/api:1.4.0', '1.4.0'], logger });
      try {
        assert.equal(image.kind, kind);
        assert.equal(image.top.digest, expected);
        assert.deepEqual(image.platforms.map((p) => p.platform), ['linux/amd64']);
        const manifest = await readJsonBlob<ImageManifest>(single.layout, expected);
        assert.deepEqual(image.blobs.map((b) => b.digest), [manifest.config.digest, ...manifest.layers.map((l) => l.digest)]);
        assert.deepEqual(image.platforms[0]?.manifest, manifest);
        assert.deepEqual(image.manifests.get(expected), await readFile(blobFile(single.layout, expected)));
        assert.deepEqual(image.manifestOrder, [image.top]);
        await assertServesVerifiedBytes(image);
        const config = JSON.parse((await image.source.read(manifest.config)).toString()) as { architecture: string };
        assert.equal(config.architecture, 'amd64');
        assert.ok(logger.lines.some((l) => l.includes(`Verified 1 manifest(s) and 2 blob(s)`)));
      } finally {
        await image.close();
      }
    });
  }
});

test('a legacy docker save archive gets the manifest Docker 25+ would write: config bytes unchanged, uncompressed OCI layers', async () => {
  const image = await openImage(legacyTar, { names: ['ghcr.io/acme/api:1.4.0'] });
  try {
    assert.equal(image.kind, 'docker-archive');
    assert.equal(image.top.mediaType, 'application/vnd.oci.image.manifest.v1+json');
    const manifest = JSON.parse(image.manifests.get(image.top.digest)!.toString()) as ImageManifest;
    const original = await readJsonBlob<ImageManifest>(single.layout, (await entryFor(single.layout, '1.4.0')).digest);
    assert.equal(manifest.config.mediaType, 'application/vnd.oci.image.config.v1+json');
    assert.equal(manifest.config.digest, original.config.digest, 'the config bytes are pushed as they are');
    const config = await readJsonBlob<{ rootfs: { diff_ids: string[] } }>(single.layout, original.config.digest);
    assert.deepEqual(manifest.layers.map((l) => [l.mediaType, l.digest]),
      config.rootfs.diff_ids.map((d) => ['application/vnd.oci.image.layer.v1.tar', d]));
    // The two docker save forms of one image name the same bytes with the same digest.
    assert.equal(image.top.digest, dockerOci.manifests[0]);
    assert.deepEqual(image.platforms.map((p) => p.platform), ['linux/amd64']);
    await assertServesVerifiedBytes(image);
  } finally {
    await image.close();
  }
});

test('the OCI form of docker save (index.json + manifest.json) is read as an OCI layout', async () => {
  const image = await openImage(dockerOci.file, { names: ['1.4.0'] });
  try {
    assert.equal(image.kind, 'docker-archive-oci');
    assert.equal(image.top.digest, dockerOci.manifests[0]);
    assert.equal(image.top.annotations?.['io.containerd.image.name'], 'ghcr.io/acme/api:1.4.0');
    assert.equal(image.blobs.length, 2);
    await assertServesVerifiedBytes(image);
  } finally {
    await image.close();
  }
});

test('a multi-platform index is kept whole; the attestation is verified and carried but is not a platform', async () => {
  const image = await openImage(multi.layout, { names: ['localhost:5000/acme/multi:multi', 'multi'] });
  try {
    assert.equal(image.top.mediaType, 'application/vnd.oci.image.index.v1+json');
    assert.equal(image.top.digest, attested.index);
    assert.equal(image.top.digest, await skopeoDigest(multi.ociRef));
    assert.deepEqual(image.platforms.map((p) => [p.platform, p.descriptor.digest]),
      multi.platforms.map((p) => [`linux/${p.arch}`, p.digest]));
    const index = await readJsonBlob<ImageIndex>(multi.layout, attested.index);
    assert.deepEqual([...image.manifests.keys()].sort(), [attested.index, ...index.manifests.map((m) => m.digest)].sort());
    assert.deepEqual(image.manifestOrder.map((d) => d.digest), [...index.manifests.map((m) => m.digest), attested.index],
      'children first, the index last: the order they must be pushed in');
    const expectedBlobs = new Set<string>();
    for (const child of index.manifests) {
      const m = await readJsonBlob<ImageManifest>(multi.layout, child.digest);
      for (const d of [m.config, ...m.layers] as Descriptor[]) expectedBlobs.add(d.digest);
    }
    assert.deepEqual(image.blobs.map((b) => b.digest).sort(), [...expectedBlobs].sort());
    await assertServesVerifiedBytes(image);
  } finally {
    await image.close();
  }
});

test('a blob outside the selected image is not served, and nothing is served after close', async () => {
  const image = await openImage(multi.layout, { names: ['multi'] });
  const other = (await entryFor(multi.layout, 'p-amd64'));
  const config = (await readJsonBlob<ImageManifest>(multi.layout, other.digest)).config;
  const stray: Descriptor = { mediaType: 'application/octet-stream', digest: sha256('not in the image'), size: 16 };
  await assert.rejects(image.source.open(stray), { code: 'IMAGE_INVALID' });
  await assert.rejects(image.source.read(stray), { code: 'IMAGE_INVALID' });
  await assert.rejects(image.source.open({ ...config, size: config.size + 1 }), { code: 'DIGEST_MISMATCH' });
  await image.close();
  await assert.rejects(image.source.open(config), { code: 'IMAGE_INVALID' });
});
