// Builds real OCI images with umoci (no Docker daemon needed) and pushes them with
// skopeo, the client a user would reach for, so registry tests see real bytes.
import { randomUUID } from 'node:crypto';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createHash } from 'node:crypto';
import { run } from './exec.ts';
import type { TestRegistry } from './registry.ts';

/** One layer: file path (inside the rootfs) → content; `null` deletes the path (a whiteout). */
export type LayerSpec = Record<string, string | Buffer | null>;

export interface BuildOptions {
  /** Files of a single layer; ignored when `layers` is given. Default: one unique file. */
  files?: LayerSpec;
  layers?: LayerSpec[];
  arch?: string;
  /** Add into an existing layout instead of a new one. */
  layout?: string;
  tag?: string;
  /** Config labels (`org.opencontainers.image.revision`, …), as docker/metadata-action's labels output sets them. */
  labels?: Record<string, string>;
}

export interface BuiltImage {
  layout: string;
  tag: string;
  /** `oci:<layout>:<tag>`, a skopeo transport reference. */
  ociRef: string;
}

export async function buildImage(options: BuildOptions = {}): Promise<BuiltImage> {
  const layout = options.layout ?? join(await mkdtemp(join(tmpdir(), 'immutag-image-')), 'layout');
  const tag = options.tag ?? 'latest';
  if (!options.layout) await run('umoci', ['init', '--layout', layout]);
  await run('umoci', ['new', '--image', `${layout}:${tag}`]);
  const layers = options.layers ?? [options.files ?? { '/hello.txt': `hello ${randomUUID()}\n` }];
  for (const layer of layers) await addLayer(layout, tag, layer);
  await run('umoci', ['config', '--image', `${layout}:${tag}`, '--os', 'linux', '--architecture', options.arch ?? 'amd64',
    '--config.cmd', '/hello.txt', ...Object.entries(options.labels ?? {}).flatMap(([k, v]) => ['--config.label', `${k}=${v}`])]);
  await run('umoci', ['gc', '--layout', layout]);
  return { layout, tag, ociRef: `oci:${layout}:${tag}` };
}

async function addLayer(layout: string, tag: string, files: LayerSpec): Promise<void> {
  const bundle = await mkdtemp(join(tmpdir(), 'immutag-bundle-'));
  try {
    await run('umoci', ['unpack', '--image', `${layout}:${tag}`, join(bundle, 'b')]);
    const rootfs = join(bundle, 'b', 'rootfs');
    for (const [path, content] of Object.entries(files)) {
      const target = join(rootfs, path);
      if (content === null) {
        await rm(target, { recursive: true, force: true });
        continue;
      }
      await mkdir(dirname(target), { recursive: true });
      await writeFile(target, content);
    }
    await run('umoci', ['repack', '--image', `${layout}:${tag}`, join(bundle, 'b')]);
  } finally {
    await rm(bundle, { recursive: true, force: true });
  }
}

/**
 * A multi-platform image: one umoci image per architecture in one layout, tied
 * together by an OCI index that is tagged `tag` in the layout's index.json.
 */
export async function buildIndex(options: { arches?: string[]; tag?: string; files?: LayerSpec; labels?: Record<string, string> } = {}): Promise<BuiltImage & { platforms: { arch: string; digest: string }[] }> {
  const arches = options.arches ?? ['amd64', 'arm64'];
  const tag = options.tag ?? 'multi';
  const first = await buildImage({ arch: arches[0], tag: `p-${arches[0]}`, files: options.files, ...(options.labels ? { labels: options.labels } : {}) });
  for (const arch of arches.slice(1)) await buildImage({ layout: first.layout, arch, tag: `p-${arch}`, files: options.files, ...(options.labels ? { labels: options.labels } : {}) });
  const indexPath = join(first.layout, 'index.json');
  const top = JSON.parse(await readFile(indexPath, 'utf8')) as { manifests: Array<{ mediaType: string; digest: string; size: number; annotations?: Record<string, string> }> };
  const platforms = arches.map((arch) => {
    const d = top.manifests.find((m) => m.annotations?.['org.opencontainers.image.ref.name'] === `p-${arch}`);
    if (!d) throw new Error(`no manifest for ${arch}`);
    return { arch, descriptor: { mediaType: d.mediaType, digest: d.digest, size: d.size, platform: { architecture: arch, os: 'linux' } } };
  });
  const index = Buffer.from(JSON.stringify({
    schemaVersion: 2,
    mediaType: 'application/vnd.oci.image.index.v1+json',
    manifests: platforms.map((p) => p.descriptor),
  }));
  const hex = createHash('sha256').update(index).digest('hex');
  await writeFile(join(first.layout, 'blobs', 'sha256', hex), index);
  top.manifests.push({
    mediaType: 'application/vnd.oci.image.index.v1+json', digest: `sha256:${hex}`, size: index.length,
    annotations: { 'org.opencontainers.image.ref.name': tag },
  });
  await writeFile(indexPath, JSON.stringify(top));
  return { layout: first.layout, tag, ociRef: `oci:${first.layout}:${tag}`, platforms: platforms.map((p) => ({ arch: p.arch, digest: p.descriptor.digest })) };
}

export interface PushOptions {
  format?: 'oci' | 'v2s2';
  /** Copy every platform of an index (skopeo --all). */
  all?: boolean;
}

/** Pushes with skopeo and returns the manifest digest the registry now holds for the tag. */
export async function pushImage(reg: TestRegistry, src: string, repoAndTag: string, options: PushOptions = {}): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'immutag-push-'));
  try {
    const digestFile = join(dir, 'digest');
    const args = ['copy', '--quiet', '--digestfile', digestFile, ...reg.skopeoDestArgs()];
    // Converting to schema 2 rewrites the manifest, which --preserve-digests forbids.
    if (options.format === 'v2s2') args.push('--format', 'v2s2');
    else args.push('--preserve-digests');
    if (options.all) args.push('--all');
    args.push(src, `docker://${reg.host}/${repoAndTag}`);
    await run('skopeo', args);
    return (await readFile(digestFile, 'utf8')).trim();
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** What the registry says the tag points at, as skopeo sees it. */
export async function inspectDigest(reg: TestRegistry, repoAndTag: string): Promise<string> {
  const { stdout } = await run('skopeo', ['inspect', '--raw', ...reg.skopeoArgs(), `docker://${reg.host}/${repoAndTag}`]);
  return `sha256:${createHash('sha256').update(stdout).digest('hex')}`;
}

export async function removeLayout(image: BuiltImage): Promise<void> {
  await rm(dirname(image.layout), { recursive: true, force: true });
}
