// Artifacts Docker's own tools push as OCI manifests whose config type starts with
// `application/vnd.docker.`, and which no runtime runs as an image:
//  - a Docker Model Runner model (`docker model package` / `docker model push`): config
//    application/vnd.docker.ai.model.config.v0.1+json, GGUF and license layers. moby's
//    puller refuses every `application/vnd.docker.ai.` type outright (pull_v2.go
//    checkSupportedMediaType: AIModelNotSupportedError);
//  - a Compose project (`docker compose publish`, OCI 1.0 fallback): config
//    application/vnd.docker.compose.config.empty.v1+json, one compose.yaml layer. moby's
//    prefix rule lets the types through, then archive/tar fails on the YAML: the pull
//    fails, nothing runs.
// Both are artifacts: their layers are notes, as they were before the prefix rule
// (isImageConfigType), not a stopped scan.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MediaType } from '../src/oci.ts';
import { inventoryImage } from '../src/scan/inventory.ts';
import { MemoryBlobSource } from './support/blob-source.ts';

describe('artifacts Docker tools push with application/vnd.docker. config types', () => {
  it('a Docker Model Runner model is an artifact, not an image whose layers stop the scan', async () => {
    const source = new MemoryBlobSource();
    const gguf = source.add(Buffer.concat([Buffer.from('GGUF\x03\x00\x00\x00'), Buffer.alloc(4096, 1)]), 'application/vnd.docker.ai.gguf.v3');
    const license = source.add(Buffer.from('Apache License 2.0\n'), 'application/vnd.docker.ai.license');
    const config = source.add(Buffer.from(JSON.stringify({
      config: { format: 'gguf', quantization: 'Q4_K_M', parameters: '1.24 B', architecture: 'llama', size: '762.81 MiB' },
      descriptor: { created: '2025-04-01T00:00:00Z' },
      rootfs: { type: 'rootfs', diff_ids: [gguf.digest] },
    })), 'application/vnd.docker.ai.model.config.v0.1+json');
    const inventory = await inventoryImage(source, { schemaVersion: 2, mediaType: MediaType.ociManifest, config, layers: [gguf, license] });
    assert.deepEqual(inventory.unread, []);
    assert.match(inventory.notes.join('\n'), /application\/vnd\.docker\.ai\.gguf\.v3\) was not scanned: it is not a filesystem layer/);
  });

  it('a Compose project published as an OCI 1.0 artifact is an artifact too', async () => {
    const source = new MemoryBlobSource();
    const compose = source.add(Buffer.from('services:\n  web:\n    image: nginx:1.27\n'), 'application/vnd.docker.compose.file+yaml');
    const config = source.add(Buffer.from('{}'), 'application/vnd.docker.compose.config.empty.v1+json');
    const inventory = await inventoryImage(source, { schemaVersion: 2, mediaType: MediaType.ociManifest, config, layers: [compose] });
    assert.deepEqual(inventory.unread, []);
    assert.match(inventory.notes.join('\n'), /application\/vnd\.docker\.compose\.file\+yaml\) was not scanned/);
  });
});

describe('a manifest Docker\'s puller takes by its types, whose layers are of no filesystem type', () => {
  it('stops the scan when a layer is a tar once decompressed (Docker untars it), and not when it is not', async () => {
    const { buildTar, compress } = await import('./support/layer-tar.ts');
    const tar = await buildTar([{ name: 'etc/os-release', content: 'ID=alpine\nVERSION_ID=3.10.0\n' }]);
    const config = { mediaType: 'application/vnd.docker.custom.config.v1+json' };
    const { execFileSync } = await import('node:child_process');
    const xz = execFileSync('xz', ['-c'], { input: tar });
    const bzip2 = execFileSync('bzip2', ['-c'], { input: tar });
    for (const [content, stops] of [[compress(tar, 'zstd'), true], [compress(tar, 'gzip'), true], [tar, true], [xz, true], [bzip2, true], [Buffer.from('services: {}\n'), false]] as const) {
      const source = new MemoryBlobSource();
      const layer = source.add(content, 'application/vnd.docker.custom.layer.v1');
      const configBlob = source.add(Buffer.from('{}'), config.mediaType);
      const run = inventoryImage(source, { schemaVersion: 2, mediaType: MediaType.ociManifest, config: configBlob, layers: [layer] });
      if (stops) await assert.rejects(run, /has a layer of a media type the built-in scanner does not read as a filesystem/);
      else assert.deepEqual((await run).unread, []);
    }
  });
});
