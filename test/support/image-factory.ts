// Turns umoci-built layouts (support/images.ts) into the other shapes a build step
// hands immutag: an OCI archive (tar of the layout), a legacy docker save archive
// (written by skopeo), the OCI form of docker save that Docker 25+ writes (built by
// hand, see dockerArchiveOci), and a buildx-style attestation manifest in an index.
import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { run } from './exec.ts';
import type { BuiltImage } from './images.ts';

export interface Desc {
  mediaType: string;
  digest: string;
  size: number;
  annotations?: Record<string, string>;
  platform?: { architecture: string; os: string };
}

interface LayoutIndex {
  schemaVersion: 2;
  mediaType?: string;
  manifests: Desc[];
}

export async function tempDir(prefix: string): Promise<{ dir: string; cleanup: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), `immutag-${prefix}-`));
  return { dir, cleanup: () => rm(dir, { recursive: true, force: true }) };
}

export function sha256(data: Uint8Array | string): string {
  return `sha256:${createHash('sha256').update(data).digest('hex')}`;
}

export function blobFile(layout: string, digest: string): string {
  return join(layout, 'blobs', 'sha256', digest.replace(/^sha256:/, ''));
}

export async function readIndex(layout: string): Promise<LayoutIndex> {
  return JSON.parse(await readFile(join(layout, 'index.json'), 'utf8')) as LayoutIndex;
}

export async function writeIndex(layout: string, index: LayoutIndex): Promise<void> {
  await writeFile(join(layout, 'index.json'), JSON.stringify(index));
}

/** The index.json entry that carries `tag` as its ref name. */
export async function entryFor(layout: string, tag: string): Promise<Desc> {
  const entry = (await readIndex(layout)).manifests.find((m) => m.annotations?.['org.opencontainers.image.ref.name'] === tag);
  if (!entry) throw new Error(`no ${tag} in ${layout}`);
  return entry;
}

export async function readJsonBlob<T>(layout: string, digest: string): Promise<T> {
  return JSON.parse(await readFile(blobFile(layout, digest), 'utf8')) as T;
}

/** Writes bytes as a blob of the layout and returns its descriptor. */
export async function writeBlob(layout: string, mediaType: string, bytes: Buffer | string): Promise<Desc> {
  const data = typeof bytes === 'string' ? Buffer.from(bytes) : bytes;
  const digest = sha256(data);
  await writeFile(blobFile(layout, digest), data);
  return { mediaType, digest, size: data.length };
}

/** `tar` of a directory's top-level entries (no "./" prefix, as Docker and buildx write them). */
export async function tarDirectory(dir: string, out: string, format: 'gnu' | 'pax' | 'ustar' = 'pax'): Promise<string> {
  const names = (await readdir(dir)).sort();
  await run('tar', [`--format=${format}`, '-C', dir, '-cf', out, ...names]);
  return out;
}

/** A legacy docker save archive, as skopeo writes it (uncompressed layers, manifest.json, repositories). */
export async function dockerArchive(image: BuiltImage, out: string, repoTag: string): Promise<string> {
  await run('skopeo', ['copy', '--quiet', image.ociRef, `docker-archive:${out}:${repoTag}`]);
  return out;
}

/**
 * The OCI form Docker 25+ writes (moby daemon/internal/image/tarexport/save.go):
 * blobs/sha256/ holding the config (bytes unchanged), the uncompressed layer tars and
 * an OCI manifest (config application/vnd.oci.image.config.v1+json, layers
 * application/vnd.oci.image.layer.v1.tar); index.json (mediaType set) with one entry
 * per tag annotated io.containerd.image.name (full reference) and
 * org.opencontainers.image.ref.name (the tag); oci-layout; manifest.json with
 * Config/RepoTags/Layers pointing into blobs/; and the legacy repositories file.
 * Docker's v1 layer configs are left out (nothing reads them).
 */
export async function dockerArchiveOci(images: Array<{ image: BuiltImage; repoTags: string[] }>, out: string): Promise<{ file: string; manifests: string[] }> {
  const { dir, cleanup } = await tempDir('docker-oci');
  try {
    await mkdir(join(dir, 'blobs', 'sha256'), { recursive: true });
    const index: LayoutIndex & { mediaType: string } = { schemaVersion: 2, mediaType: 'application/vnd.oci.image.index.v1+json', manifests: [] };
    const manifestJson: unknown[] = [];
    const repositories: Record<string, Record<string, string>> = {};
    const manifests: string[] = [];
    for (const { image, repoTags } of images) {
      const entry = await entryFor(image.layout, image.tag);
      const source = await readJsonBlob<{ config: Desc; layers: Desc[] }>(image.layout, entry.digest);
      const config = await writeBlob(dir, 'application/vnd.oci.image.config.v1+json', await readFile(blobFile(image.layout, source.config.digest)));
      const layers: Desc[] = [];
      for (const layer of source.layers) {
        const tarBytes = gunzipSync(await readFile(blobFile(image.layout, layer.digest)));
        layers.push(await writeBlob(dir, 'application/vnd.oci.image.layer.v1.tar', tarBytes));
      }
      const manifest = await writeBlob(dir, 'application/vnd.oci.image.manifest.v1+json', JSON.stringify({
        schemaVersion: 2,
        mediaType: 'application/vnd.oci.image.manifest.v1+json',
        config: { mediaType: config.mediaType, digest: config.digest, size: config.size },
        layers: layers.map((l) => ({ mediaType: l.mediaType, digest: l.digest, size: l.size })),
      }));
      manifests.push(manifest.digest);
      for (const repoTag of repoTags) {
        const colon = repoTag.lastIndexOf(':');
        const repo = repoTag.slice(0, colon);
        const tag = repoTag.slice(colon + 1);
        const full = repo.includes('/') ? repo : `docker.io/library/${repo}`;
        index.manifests.push({ ...manifest, annotations: { 'io.containerd.image.name': `${full}:${tag}`, 'org.opencontainers.image.ref.name': tag } });
        repositories[repo] = { ...repositories[repo], [tag]: (layers.at(-1)?.digest ?? '').replace('sha256:', '') };
      }
      manifestJson.push({
        Config: `blobs/sha256/${config.digest.replace('sha256:', '')}`,
        RepoTags: repoTags,
        Layers: layers.map((l) => `blobs/sha256/${l.digest.replace('sha256:', '')}`),
      });
    }
    await writeFile(join(dir, 'index.json'), JSON.stringify(index));
    await writeFile(join(dir, 'manifest.json'), JSON.stringify(manifestJson) + '\n');
    await writeFile(join(dir, 'oci-layout'), '{"imageLayoutVersion": "1.0.0"}');
    await writeFile(join(dir, 'repositories'), JSON.stringify(repositories) + '\n');
    await tarDirectory(dir, out);
    return { file: out, manifests };
  } finally {
    await cleanup();
  }
}

/**
 * Adds to the index tagged `indexTag` a provenance attestation shaped like the ones
 * buildx attaches: an image manifest with platform unknown/unknown, an in-toto layer,
 * and the vnd.docker.reference.* annotations naming the image it describes.
 * Returns the new index digest (index.json is updated to point the tag at it).
 */
export async function addAttestation(layout: string, indexTag: string): Promise<{ index: string; attestation: string }> {
  const entry = await entryFor(layout, indexTag);
  const index = await readJsonBlob<LayoutIndex>(layout, entry.digest);
  const subject = index.manifests[0];
  if (!subject) throw new Error('empty index');
  const statement = await writeBlob(layout, 'application/vnd.in-toto+json', JSON.stringify({
    _type: 'https://in-toto.io/Statement/v0.1',
    predicateType: 'https://slsa.dev/provenance/v0.2',
    subject: [{ name: 'pkg:docker/immutag/test', digest: { sha256: subject.digest.replace('sha256:', '') } }],
    predicate: { builder: { id: '' }, buildType: 'https://mobyproject.org/buildkit@v1' },
  }));
  const config = await writeBlob(layout, 'application/vnd.oci.image.config.v1+json', JSON.stringify({
    architecture: 'unknown', os: 'unknown', config: {}, rootfs: { type: 'layers', diff_ids: [statement.digest] },
  }));
  const attestation = await writeBlob(layout, 'application/vnd.oci.image.manifest.v1+json', JSON.stringify({
    schemaVersion: 2,
    mediaType: 'application/vnd.oci.image.manifest.v1+json',
    config,
    layers: [{ ...statement, annotations: { 'in-toto.io/predicate-type': 'https://slsa.dev/provenance/v0.2' } }],
  }));
  index.manifests.push({
    ...attestation,
    annotations: { 'vnd.docker.reference.digest': subject.digest, 'vnd.docker.reference.type': 'attestation-manifest' },
    platform: { architecture: 'unknown', os: 'unknown' },
  });
  const newIndex = await writeBlob(layout, 'application/vnd.oci.image.index.v1+json', JSON.stringify(index));
  const top = await readIndex(layout);
  top.manifests = top.manifests.map((m) => (m.digest === entry.digest ? { ...newIndex, annotations: entry.annotations } : m));
  await writeIndex(layout, top);
  return { index: newIndex.digest, attestation: attestation.digest };
}

/** Replaces a blob file's content with one byte flipped (same size, other digest). */
export async function flipByte(file: string, at = 0): Promise<void> {
  const bytes = await readFile(file);
  bytes[at] = (bytes[at] ?? 0) ^ 0xff;
  await writeFile(file, bytes);
}
