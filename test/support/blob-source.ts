// BlobSources for tests: blobs held in memory (or produced on demand, for blobs
// too large to hold, like a decompression bomb) and blobs in an OCI image layout
// directory. Both keep the BlobSource contract: `open` and `read` resolve only
// after the whole blob matched the descriptor's digest and size.
import { createHash } from 'node:crypto';
import { createReadStream, existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { Readable } from 'node:stream';
import { digestMismatch, sizeMismatch } from '../../src/digest.ts';
import { ImmutagError } from '../../src/errors.ts';
import type { BlobBytes, BlobSource, Descriptor, ImageIndex, ImageManifest } from '../../src/oci.ts';
import { MediaType } from '../../src/oci.ts';

type Producer = () => Iterable<Buffer> | AsyncIterable<Buffer>;

/** Bytes as several chunks, so readers see chunk boundaries as they would from a socket. */
export function chunked(bytes: Buffer, size = 64 * 1024): Producer {
  return function* () {
    for (let at = 0; at < bytes.length; at += size) yield bytes.subarray(at, at + size);
  };
}

export class MemoryBlobSource implements BlobSource {
  private readonly blobs = new Map<string, Producer>();
  /** Digests in the order `open` was called, verified or not. */
  readonly opened: string[] = [];

  /** Stores bytes and returns the descriptor that names them. */
  add(bytes: Buffer, mediaType: string): Descriptor {
    const digest = `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
    this.blobs.set(digest, chunked(bytes));
    return { mediaType, digest, size: bytes.length };
  }

  /** Stores a blob produced on demand (hashed here once to name it). */
  async addProduced(produce: Producer, mediaType: string): Promise<Descriptor> {
    const { digest, size } = await hashOf(produce);
    this.blobs.set(digest, produce);
    return { mediaType, digest, size };
  }

  /** Serves `bytes` for a descriptor that does not describe them: a tampered blob. */
  tamper(descriptor: Descriptor, bytes: Buffer): void {
    this.blobs.set(descriptor.digest, chunked(bytes));
  }

  async open(descriptor: Descriptor): Promise<Readable> {
    this.opened.push(descriptor.digest);
    const produce = this.producer(descriptor);
    await verify(produce, descriptor);
    return Readable.from(produce(), { objectMode: false });
  }

  async read(descriptor: Descriptor): Promise<Buffer> {
    const stream = await this.open(descriptor);
    const parts: Buffer[] = [];
    for await (const chunk of stream) parts.push(chunk as Buffer);
    return Buffer.concat(parts);
  }

  private producer(descriptor: Descriptor): Producer {
    const produce = this.blobs.get(descriptor.digest);
    if (!produce) throw new ImmutagError('IMAGE_NOT_FOUND', `blob ${descriptor.digest} is not in this test source`);
    return produce;
  }
}

/**
 * Blobs of an OCI image layout directory (`blobs/<algorithm>/<hex>`, `index.json`) or of
 * skopeo's `dir:` transport (`<hex>` files, `manifest.json`), hashed before they are handed out.
 * The file is hashed, then opened again to be read: fine for test files nothing else writes,
 * not a pattern for production code (which must hash the bytes it hands out).
 */
export class LayoutBlobSource implements BlobSource {
  readonly dir: string;
  private readonly skopeoDir: boolean;

  constructor(dir: string) {
    this.dir = dir;
    this.skopeoDir = !existsSync(path.join(dir, 'oci-layout'));
  }

  blobPath(digest: string): string {
    const [algorithm, hex] = digest.split(':');
    return this.skopeoDir ? path.join(this.dir, hex!) : path.join(this.dir, 'blobs', algorithm!, hex!);
  }

  async open(descriptor: Descriptor): Promise<Readable> {
    const file = this.blobPath(descriptor.digest);
    await verify(() => createReadStream(file), descriptor);
    return createReadStream(file, { highWaterMark: 1024 * 1024 });
  }

  async read(descriptor: Descriptor): Promise<Buffer> {
    const bytes = await readFile(this.blobPath(descriptor.digest));
    await verify(chunked(bytes), descriptor);
    return bytes;
  }

  /** The image manifest the layout's index names `ref` (or its only manifest). */
  async manifest(ref?: string): Promise<ImageManifest> {
    if (this.skopeoDir) return JSON.parse(await readFile(path.join(this.dir, 'manifest.json'), 'utf8')) as ImageManifest;
    const index = JSON.parse(await readFile(path.join(this.dir, 'index.json'), 'utf8')) as ImageIndex;
    const matching = index.manifests.filter((d) =>
      ref === undefined || d.annotations?.['org.opencontainers.image.ref.name'] === ref);
    const descriptor = matching[0];
    if (!descriptor || descriptor.mediaType !== MediaType.ociManifest) {
      throw new Error(`no image manifest ${ref ?? ''} in ${this.dir}`);
    }
    return JSON.parse((await this.read(descriptor)).toString('utf8')) as ImageManifest;
  }
}

async function hashOf(produce: Producer): Promise<{ digest: string; size: number }> {
  const hash = createHash('sha256');
  let size = 0;
  for await (const chunk of produce()) {
    hash.update(chunk);
    size += chunk.length;
  }
  return { digest: `sha256:${hash.digest('hex')}`, size };
}

async function verify(produce: Producer, descriptor: Descriptor): Promise<void> {
  const { digest, size } = await hashOf(produce);
  const what = `blob ${descriptor.digest}`;
  if (size !== descriptor.size) throw sizeMismatch(what, descriptor.size, size);
  if (digest !== descriptor.digest) throw digestMismatch(what, descriptor.digest, digest);
}

/** Everything a BlobBytes (an upload's source, LocalImage.openRaw) holds, read front to back. */
export async function readBlobBytes(bytes: BlobBytes): Promise<Buffer> {
  const out = Buffer.alloc(bytes.size);
  for (let at = 0; at < bytes.size;) {
    const n = await bytes.read(out.subarray(at), bytes.size - at, at);
    if (n === 0) throw new Error(`BlobBytes ended at ${at} of ${bytes.size}`);
    at += n;
  }
  await bytes.checkUnchanged();
  await bytes.close();
  return out;
}
