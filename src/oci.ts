// The OCI image-spec and Docker distribution shapes immutag reads and writes.
// https://github.com/opencontainers/image-spec/blob/main/manifest.md
import type { Readable } from 'node:stream';

export const MediaType = {
  ociIndex: 'application/vnd.oci.image.index.v1+json',
  ociManifest: 'application/vnd.oci.image.manifest.v1+json',
  ociConfig: 'application/vnd.oci.image.config.v1+json',
  ociLayer: 'application/vnd.oci.image.layer.v1.tar',
  ociLayerGzip: 'application/vnd.oci.image.layer.v1.tar+gzip',
  ociLayerZstd: 'application/vnd.oci.image.layer.v1.tar+zstd',
  dockerManifestList: 'application/vnd.docker.distribution.manifest.list.v2+json',
  dockerManifest: 'application/vnd.docker.distribution.manifest.v2+json',
  dockerConfig: 'application/vnd.docker.container.image.v1+json',
  dockerLayerGzip: 'application/vnd.docker.image.rootfs.diff.tar.gzip',
} as const;

/**
 * Every manifest type we understand, for `Accept`. The reference registry answers a
 * 404 for an OCI manifest when its type is missing here, and silently converts a
 * Docker schema 2 manifest to schema 1 (another digest) when that type is missing.
 */
export const MANIFEST_ACCEPT = [
  MediaType.ociIndex,
  MediaType.ociManifest,
  MediaType.dockerManifestList,
  MediaType.dockerManifest,
].join(', ');

export interface Platform {
  architecture: string;
  os: string;
  variant?: string;
  'os.version'?: string;
}

export interface Descriptor {
  mediaType: string;
  digest: string;
  size: number;
  annotations?: Record<string, string>;
  platform?: Platform;
  urls?: string[];
}

export interface ImageManifest {
  schemaVersion: 2;
  mediaType?: string;
  config: Descriptor;
  layers: Descriptor[];
  annotations?: Record<string, string>;
}

export interface ImageIndex {
  schemaVersion: 2;
  mediaType?: string;
  manifests: Descriptor[];
  annotations?: Record<string, string>;
}

export function isIndexType(mediaType: string): boolean {
  return mediaType === MediaType.ociIndex || mediaType === MediaType.dockerManifestList;
}

/**
 * The field of the other kind of document that one of `mediaType` holds: an index with
 * `config` or `layers`, an image manifest with `manifests`. Such a document is an image to
 * one reader and a list of images to another (CVE-2021-41190); image-spec and distribution
 * refuse it, and so does immutag, read locally or from a registry.
 */
export function strayFieldOfOtherKind(doc: object, mediaType: string): string | undefined {
  const otherFields = isIndexType(mediaType) ? ['config', 'layers'] : ['manifests'];
  return otherFields.find((field) => Object.hasOwn(doc, field));
}

export function platformName(p: Platform | undefined): string {
  if (!p) return 'unknown';
  return [p.os, p.architecture, p.variant].filter(Boolean).join('/');
}

/**
 * Where verified bytes come from: a local image file or a registry. The contract is
 * that `open` resolves only after the whole blob was checked against the descriptor's
 * digest and size, so a consumer may parse what it reads without further checks.
 */
export interface BlobSource {
  open(descriptor: Descriptor): Promise<Readable>;
  /** Small JSON blobs (manifests, configs), verified, as bytes. */
  read(descriptor: Descriptor): Promise<Buffer>;
}

/**
 * A blob's raw bytes read by position, for an upload: the uploader reads them into
 * buffers of its own and reuses each once the socket took it (registry/upload-body.ts),
 * so a 200 MB push allocates a few buffers instead of one per chunk. Nothing here is
 * verified: the uploader hashes what it reads and sends the last byte only after the
 * digest and size matched.
 */
export interface BlobBytes {
  readonly size: number;
  /** Reads up to `length` bytes from `position` into the start of `buf`; 0 past the end. */
  read(buf: Buffer, length: number, position: number): Promise<number>;
  /** Throws unless the bytes are still those the reads began on (the file was not changed or replaced). */
  checkUnchanged(): Promise<void>;
  close(): Promise<void>;
}

/** Bytes held in memory (a manifest, a small verified blob) as BlobBytes. */
export function bytesInMemory(bytes: Buffer): BlobBytes {
  return {
    size: bytes.length,
    async read(buf, length, position) {
      if (position >= bytes.length) return 0;
      return bytes.copy(buf, 0, position, Math.min(bytes.length, position + length));
    },
    async checkUnchanged() {},
    async close() {},
  };
}
