// A verified image read from a local file: what the tag gate, the scanner and the
// pusher use instead of the file itself.
//
// Reads after verification. Every blob was hashed once by openImage (a layer left
// to the upload, when nothing else reads it, is hashed as it is sent, and before any
// other read: verified-blobs.ts). A later
// `source.open` or `openRaw` does not hash it again: it reopens the file and refuses
// to start, and fails before the last byte (the end of the stream, or the upload's
// last write), unless the file still has the fingerprint (device, inode, size,
// mtime, ctime in ns) it had when it was hashed.
// Why that is enough: the file is the build step's output and nothing in the job
// writes it while immutag runs; any write changes ctime (which user space cannot
// set back), and a replacement changes the inode. A concurrent writer with the
// runner's privileges could also replace immutag itself, so it is outside what a
// second hash could defend. The pusher hashes while uploading and the registry
// checks the digest again, so pushed bytes never depend on the fingerprint.
// Set `rehashOnOpen` to hash again before each `source.open` anyway; `read` always
// re-checks, since small blobs are cheap to hash.
import { Readable as ReadableStream } from 'node:stream';
import { ImmutagError } from '../errors.ts';
import { bytesInMemory, type BlobBytes, type BlobSource, type Descriptor } from '../oci.ts';
import type { PlatformImage, VerifiedTree } from './verify-tree.ts';
import type { VerifiedBlobs } from './verified-blobs.ts';

export type ImageKind = 'oci-layout' | 'oci-archive' | 'docker-archive' | 'docker-archive-oci';

const READ_LIMIT = 16 * 1024 * 1024;

export interface LocalImage {
  kind: ImageKind;
  /** The manifest or index that will be pushed; top.digest is the digest output. */
  top: Descriptor;
  /** Every manifest/index blob by digest (verified bytes), the top one included. */
  manifests: Map<string, Buffer>;
  /** The descriptors of `manifests` in push order: children before the index that lists them, `top` last. */
  manifestOrder: Descriptor[];
  /** One per runnable image manifest (attestation manifests are left out). */
  platforms: PlatformImage[];
  /** Every non-manifest blob (configs, layers, attestation blobs), deduplicated. */
  blobs: Descriptor[];
  /** Verified blob reads (the src/oci.ts contract). */
  source: BlobSource;
  /** A blob's (or a manifest's) raw bytes for upload; the pusher hashes while uploading, too. */
  openRaw(desc: Descriptor): Promise<BlobBytes>;
  close(): Promise<void>;
}

export function makeLocalImage(kind: ImageKind, top: Descriptor, tree: VerifiedTree, store: VerifiedBlobs, rehashOnOpen: boolean): LocalImage {
  let closed = false;
  const guard = (): void => {
    if (closed) throw new ImmutagError('IMAGE_INVALID', `The image from ${store.location} was already closed`, { hint: 'This is a bug in immutag.' });
  };
  /** A manifest the tree verified, held in memory, when `desc` names it at its size. */
  const heldManifest = (desc: Descriptor): Buffer | undefined => {
    const bytes = tree.manifests.get(desc.digest);
    return bytes !== undefined && bytes.length === desc.size ? bytes : undefined;
  };
  const source: BlobSource = {
    async open(desc) {
      guard();
      const held = heldManifest(desc);
      return held !== undefined ? ReadableStream.from([held]) : store.open(desc, rehashOnOpen);
    },
    async read(desc) {
      guard();
      if (!store.has(desc.digest)) throw store.notInImage(desc);
      return store.readSmall(desc, `blob ${desc.digest}`, READ_LIMIT);
    },
  };
  return {
    kind,
    top,
    manifests: tree.manifests,
    manifestOrder: tree.manifestOrder,
    platforms: tree.platforms,
    blobs: tree.blobs,
    source,
    async openRaw(desc) {
      guard();
      const held = heldManifest(desc);
      return held !== undefined ? bytesInMemory(held) : store.openForUpload(desc);
    },
    async close() {
      closed = true;
    },
  };
}
