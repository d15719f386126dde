// Opens the image the workflow built and hands back verified content.
//
//  1. Find the files: a directory is used in place; a file must be an uncompressed
//     tar, which is indexed once (headers only) and never extracted.
//  2. Tell the format: index.json → an OCI layout (with manifest.json too, the OCI
//     form Docker 25+ writes, which is preferred); manifest.json alone → the legacy
//     docker save form.
//  3. Pick the image by the names being pushed, when the file holds several.
//  4. Legacy form only: hash config and layers and synthesize the manifest
//     (see docker-archive.ts for the exact choice).
//  5. Verify everything reachable from the top descriptor against digest and size.
import type { Stats } from 'node:fs';
import { stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { ImmutagError } from '../errors.ts';
import { formatBytes } from '../registry/push-progress.ts';
import type { Logger } from '../log.ts';
import type { Descriptor } from '../oci.ts';
import { DirectoryFiles } from './dir-files.ts';
import { readDockerEntries, synthesizeManifest } from './docker-archive.ts';
import type { ImageFiles } from './files.ts';
import { makeLocalImage, type ImageKind, type LocalImage } from './local-image.ts';
import { readLayoutEntries } from './oci-layout.ts';
import { selectImage } from './select-image.ts';
import { TarFiles } from './tar-files.ts';
import { VerifiedBlobs } from './verified-blobs.ts';
import { verifyTree } from './verify-tree.ts';

export type { ImageKind, LocalImage } from './local-image.ts';
export type { PlatformImage } from './verify-tree.ts';

export interface OpenImageOptions {
  /** The references and tags about to be pushed; used to pick one image out of several. */
  names?: string[];
  logger?: Logger;
  /** Files hashed at the same time (default 3). */
  concurrency?: number;
  /** Hash a blob again before every `source.open` (default false; see local-image.ts). */
  rehashOnOpen?: boolean;
  /**
   * Layers are only uploaded, never read here (no scan): check their size now and
   * leave the hash to the upload, which checks it as it sends (verified-blobs.ts).
   */
  deferLayerHashing?: boolean;
}

export async function openImage(path: string, options: OpenImageOptions = {}): Promise<LocalImage> {
  const started = Date.now();
  const concurrency = options.concurrency ?? 3;
  const files = await openFiles(path);
  const store = new VerifiedBlobs(files);
  const { kind, top } = await selectTop(files, store, options.names ?? [], concurrency);
  options.logger?.debug(`Image ${top.digest} (${top.mediaType}) selected from ${kind} ${path}`);
  const deferred = options.deferLayerHashing ?? false;
  const tree = await verifyTree(top, store, concurrency, deferred);
  const bytes = tree.blobs.reduce((sum, b) => sum + b.size, 0);
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  options.logger?.info(deferred
    ? `Verified ${tree.manifests.size} manifest(s) and the config(s) of ${top.digest}; its ${tree.blobs.length} blob(s) (${formatBytes(bytes)}) are checked against their digests as they are sent (${seconds} s)`
    : `Verified ${tree.manifests.size} manifest(s) and ${tree.blobs.length} blob(s) (${formatBytes(bytes)}) of ${top.digest} in ${seconds} s`);
  return makeLocalImage(kind, top, tree, store, options.rehashOnOpen ?? false);
}

async function openFiles(path: string): Promise<ImageFiles> {
  const location = resolve(path);
  let info: Stats;
  try {
    info = await stat(location);
  } catch (err) {
    throw new ImmutagError('IMAGE_NOT_FOUND', `The image path ${path} does not exist or cannot be read`, {
      hint: 'Set `image` to the OCI layout directory or the tar file the build step wrote (buildx --output type=oci,dest=…, or docker save -o …).',
      cause: err,
    });
  }
  // A FIFO, socket or device would block the first read forever (or stream without end).
  if (!info.isDirectory() && !info.isFile()) {
    throw new ImmutagError('IMAGE_INVALID', `The image path ${path} is a ${fileKind(info)}, not a file or a directory`, {
      hint: 'Set `image` to the OCI layout directory or the tar file the build step wrote; write the tar to a file first rather than piping it.',
    });
  }
  return info.isDirectory() ? DirectoryFiles.open(path) : TarFiles.open(path, location);
}

function fileKind(info: Stats): string {
  if (info.isFIFO()) return 'named pipe (FIFO)';
  if (info.isCharacterDevice() || info.isBlockDevice()) return 'device';
  if (info.isSocket()) return 'socket';
  return 'special file';
}

async function selectTop(files: ImageFiles, store: VerifiedBlobs, names: string[], concurrency: number): Promise<{ kind: ImageKind; top: Descriptor }> {
  const hasIndex = (await files.locate('index.json')) !== undefined;
  const hasDockerManifest = (await files.locate('manifest.json')) !== undefined;
  if (hasIndex) {
    const entry = selectImage(await readLayoutEntries(files), names, files.location);
    return { kind: layoutKind(files, hasDockerManifest), top: entry.descriptor };
  }
  if (hasDockerManifest) {
    const entry = selectImage(await readDockerEntries(files), names, files.location);
    return { kind: 'docker-archive', top: await synthesizeManifest(entry, files, store, concurrency) };
  }
  throw new ImmutagError('IMAGE_INVALID', `${files.location} has neither index.json (an OCI layout) nor manifest.json (a docker save archive)`, {
    hint: 'Set `image` to what buildx --output type=oci or docker save wrote, not to a build context or a single layer.',
  });
}

function layoutKind(files: ImageFiles, hasDockerManifest: boolean): ImageKind {
  if (files.container === 'directory') return 'oci-layout';
  return hasDockerManifest ? 'docker-archive-oci' : 'oci-archive';
}
