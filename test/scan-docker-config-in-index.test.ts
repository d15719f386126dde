// moby checks a Docker schema 2 manifest's config type against its exact list
// (validateMediaType, distribution.ImageTypes) only in pullTag, for the manifest a tag or
// digest names. A schema 2 manifest reached through a manifest list or OCI index goes
// pullManifestList -> pullSchema2 -> pullSchema2Layers, where only checkSupportedMediaType
// runs: any config or layer type starting with application/vnd.docker. passes, and the
// layers are decompressed by their bytes (moby daemon/internal/distribution/pull_v2.go).
// So such a child is an image Docker pulls and runs, and a layer of a type the scanner
// does not read must stop the scan, as it did before the plugin exception was added.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { gzipSync } from 'node:zlib';
import { MediaType } from '../src/oci.ts';
import { inventoryImage } from '../src/scan/inventory.ts';
import { scanTargets } from '../src/scan/platforms.ts';
import { MemoryBlobSource } from './support/blob-source.ts';
import { buildTar } from './support/layer-tar.ts';

test('a schema 2 manifest in an index with an application/vnd.docker.* config is an image to Docker', async () => {
  const source = new MemoryBlobSource();
  const config = source.add(Buffer.from('{"architecture":"amd64","os":"linux","rootfs":{"type":"layers","diff_ids":[]}}'), 'application/vnd.docker.plugin.v1+json');
  // Passes moby's checkSupportedMediaType; not a type the built-in scanner reads.
  const layer = source.add(gzipSync(await buildTar([{ name: 'etc/os-release', content: 'ID=alpine\nVERSION_ID=3.10.0\n' }])), 'application/vnd.docker.image.rootfs.diff.tar.bz2');
  const manifestBytes = Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType: MediaType.dockerManifest, config, layers: [layer] }));
  const manifest = source.add(manifestBytes, MediaType.dockerManifest);
  const indexBytes = Buffer.from(JSON.stringify({
    schemaVersion: 2, mediaType: MediaType.dockerManifestList,
    manifests: [{ ...manifest, platform: { architecture: 'amd64', os: 'linux' } }],
  }));
  const top = source.add(indexBytes, MediaType.dockerManifestList);
  const [target] = await scanTargets(top, source, new Map([[top.digest, indexBytes], [manifest.digest, manifestBytes]]));
  assert.equal(target!.inIndex, true);
  const outcome = await inventoryImage(source, target!.manifest, { inIndex: target!.inIndex })
    .then((inv) => `scanned, with notes: ${JSON.stringify(inv.notes)}`, (err: Error) => `refused: ${err.message}`);
  assert.match(outcome, /^refused: The image .* has a layer of a media type the built-in scanner does not read/);
});
