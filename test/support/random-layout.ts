// An OCI image layout written directly, for sizes umoci would take long to pack:
// each layer is a real, uncompressed tar (made by GNU tar) holding one file of
// random bytes, so no compression can shrink what is pushed. Config, manifest and
// index.json are written the way umoci writes them. Used by the large-blob push
// test and by the push benchmark.
import { createHash, randomFillSync } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, mkdtemp, open, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { run } from './exec.ts';

export interface RandomLayout {
  layout: string;
  tag: string;
  ociRef: string;
  manifestDigest: string;
  layers: { digest: string; size: number }[];
}

const MEDIA = {
  index: 'application/vnd.oci.image.index.v1+json',
  manifest: 'application/vnd.oci.image.manifest.v1+json',
  config: 'application/vnd.oci.image.config.v1+json',
  layer: 'application/vnd.oci.image.layer.v1.tar',
};

/** Writes the layout at `layout` (created) with one layer per entry of `layerSizes` (bytes of random file content). */
export async function writeRandomLayout(layout: string, layerSizes: number[], tag = 'latest'): Promise<RandomLayout> {
  const blobs = join(layout, 'blobs', 'sha256');
  await mkdir(blobs, { recursive: true });
  await writeFile(join(layout, 'oci-layout'), JSON.stringify({ imageLayoutVersion: '1.0.0' }));
  const layers: { digest: string; size: number }[] = [];
  for (const [i, size] of layerSizes.entries()) layers.push(await randomTarLayer(blobs, `layer${i}.bin`, size));
  const config = Buffer.from(JSON.stringify({
    created: '2024-01-01T00:00:00Z',
    architecture: 'amd64',
    os: 'linux',
    config: { Cmd: ['/layer0.bin'] },
    rootfs: { type: 'layers', diff_ids: layers.map((l) => l.digest) },
    history: layers.map(() => ({ created: '2024-01-01T00:00:00Z', created_by: 'random-layout' })),
  }));
  const configDesc = await writeBlob(blobs, MEDIA.config, config);
  const manifest = Buffer.from(JSON.stringify({
    schemaVersion: 2,
    mediaType: MEDIA.manifest,
    config: configDesc,
    layers: layers.map((l) => ({ mediaType: MEDIA.layer, digest: l.digest, size: l.size })),
  }));
  const manifestDesc = await writeBlob(blobs, MEDIA.manifest, manifest);
  await writeFile(join(layout, 'index.json'), JSON.stringify({
    schemaVersion: 2,
    mediaType: MEDIA.index,
    manifests: [{ ...manifestDesc, annotations: { 'org.opencontainers.image.ref.name': tag } }],
  }));
  return { layout, tag, ociRef: `oci:${layout}:${tag}`, manifestDigest: manifestDesc.digest, layers };
}

async function writeBlob(blobs: string, mediaType: string, bytes: Buffer): Promise<{ mediaType: string; digest: string; size: number }> {
  const hex = createHash('sha256').update(bytes).digest('hex');
  await writeFile(join(blobs, hex), bytes);
  return { mediaType, digest: `sha256:${hex}`, size: bytes.length };
}

/** A tar of one random file, written in 1 MiB pieces and hashed from disk (memory stays flat). */
async function randomTarLayer(blobs: string, name: string, size: number): Promise<{ digest: string; size: number }> {
  const work = await mkdtemp(join(tmpdir(), 'immutag-random-'));
  try {
    const fh = await open(join(work, name), 'w');
    const piece = Buffer.allocUnsafe(1024 * 1024);
    for (let written = 0; written < size;) {
      const n = Math.min(piece.length, size - written);
      randomFillSync(piece, 0, n);
      await fh.write(piece, 0, n);
      written += n;
    }
    await fh.close();
    const tarFile = join(blobs, `.partial-${name}`);
    await run('tar', ['--format=pax', '--mtime=2024-01-01 00:00:00', '--owner=0', '--group=0', '--numeric-owner', '-C', work, '-cf', tarFile, name]);
    const hash = createHash('sha256');
    let bytes = 0;
    for await (const chunk of createReadStream(tarFile)) {
      hash.update(chunk as Buffer);
      bytes += (chunk as Buffer).length;
    }
    const hex = hash.digest('hex');
    await rename(tarFile, join(blobs, hex));
    return { digest: `sha256:${hex}`, size: bytes };
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}
