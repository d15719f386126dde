// The set of blobs of one image that have been checked against their digest and
// size, and where their bytes are. Each blob is hashed once; every later read goes
// through a fingerprint check of the file instead of a second hash (why: local-image.ts).
//
// A layer that will only be uploaded may be deferred: located and size-checked now,
// hashed by whoever streams it. The uploader hashes as it sends and withholds the
// last byte unless the digest matches (registry/upload-body.ts), and a layer the
// registry already holds is, by its digest, the right bytes; so hashing it here first
// only read 200 MB twice. Any other read of a deferred blob hashes it first.
import type { Readable } from 'node:stream';
import { Readable as ReadableStream } from 'node:stream';
import { algorithmOf, digestMismatch, sizeMismatch, verifyBytes } from '../digest.ts';
import { ImmutagError } from '../errors.ts';
import { bytesInMemory, type BlobBytes, type Descriptor } from '../oci.ts';
import { blobPath } from './descriptor.ts';
import type { FileSpan, ImageFiles } from './files.ts';
import { hashSpan, openSpan, openSpanBytes, readSpan } from './span-reader.ts';

type Stored = { kind: 'file'; span: FileSpan } | { kind: 'memory'; bytes: Buffer };

export class VerifiedBlobs {
  private readonly files: ImageFiles;
  private readonly verified = new Map<string, Stored>();
  private readonly pending = new Map<string, Promise<void>>();
  private readonly deferred = new Map<string, { span: FileSpan; what: string }>();

  constructor(files: ImageFiles) {
    this.files = files;
  }

  get location(): string {
    return this.files.location;
  }

  /** Records bytes whose digest was computed from them (a synthesized manifest). */
  rememberBytes(digest: string, bytes: Buffer): void {
    this.verified.set(digest, { kind: 'memory', bytes });
  }

  /** Records a file span whose digest was computed by hashing it. */
  rememberSpan(digest: string, span: FileSpan): void {
    this.verified.set(digest, { kind: 'file', span });
  }

  has(digest: string): boolean {
    return this.verified.has(digest) || this.deferred.has(digest);
  }

  /** Locates a blob and checks its size, and leaves the hash to its reader (see above). */
  async defer(desc: Descriptor, what: string): Promise<void> {
    if (this.has(desc.digest) || this.pending.has(desc.digest)) return;
    this.deferred.set(desc.digest, { span: await this.locate(desc, what), what });
  }

  /** Reads a small blob (manifest, index, config) whole, checking digest and size. */
  async readSmall(desc: Descriptor, what: string, limit: number): Promise<Buffer> {
    if (desc.size > limit) {
      throw new ImmutagError('LIMIT_EXCEEDED', `${what} (${desc.digest}) is ${desc.size} bytes; immutag reads at most ${limit} for this kind of blob`, {
        hint: 'A manifest or config this large is not a real image; check how the image was built.',
      });
    }
    const stored = this.verified.get(desc.digest);
    if (stored?.kind === 'memory') {
      verifyBytes(stored.bytes, desc.digest, this.describe(what, desc.digest), desc.size);
      return stored.bytes;
    }
    const span = stored?.span ?? await this.locate(desc, what);
    const bytes = await readSpan(span, this.files.location);
    verifyBytes(bytes, desc.digest, this.describe(what, span.name), desc.size);
    this.verified.set(desc.digest, { kind: 'file', span });
    return bytes;
  }

  /** Hashes a blob in one streaming pass unless it already was; dedupes concurrent calls. */
  async verify(desc: Descriptor, what: string): Promise<void> {
    let job = this.pending.get(desc.digest);
    if (job === undefined && !this.verified.has(desc.digest)) {
      job = this.hashFile(desc, what);
      this.pending.set(desc.digest, job);
    }
    if (job !== undefined) await job;
    // Only once hashed: a deferred blob that failed stays deferred, and fails every read again.
    this.deferred.delete(desc.digest);
    this.checkSize(desc, what);
  }

  /** Verified bytes as a stream; `rehash` hashes the file again before opening it. */
  async open(desc: Descriptor, rehash: boolean): Promise<Readable> {
    const deferred = this.deferred.get(desc.digest);
    if (deferred !== undefined) await this.verify(desc, deferred.what);
    const stored = this.storedFor(desc);
    if (stored.kind === 'memory') return ReadableStream.from([stored.bytes]);
    if (rehash) await this.compareHash(desc, stored.span, 'blob');
    return openSpan(stored.span, this.files.location);
  }

  /** The bytes for an upload, which hashes them as it sends: a deferred blob is not hashed here first. */
  async openForUpload(desc: Descriptor): Promise<BlobBytes> {
    const deferred = this.deferred.get(desc.digest);
    if (deferred !== undefined) {
      this.checkSize(desc, deferred.what);
      return openSpanBytes(deferred.span, this.files.location);
    }
    const stored = this.storedFor(desc);
    return stored.kind === 'memory' ? bytesInMemory(stored.bytes) : openSpanBytes(stored.span, this.files.location);
  }

  /** Where a verified blob is, once its size is the descriptor's. */
  private storedFor(desc: Descriptor): Stored {
    const stored = this.verified.get(desc.digest);
    if (stored === undefined) throw this.notInImage(desc);
    this.checkSize(desc, 'blob');
    return stored;
  }

  private async hashFile(desc: Descriptor, what: string): Promise<void> {
    const span = await this.locate(desc, what);
    await this.compareHash(desc, span, what);
    this.verified.set(desc.digest, { kind: 'file', span });
  }

  private async compareHash(desc: Descriptor, span: FileSpan, what: string): Promise<void> {
    const actual = await hashSpan(span, this.files.location, algorithmOf(desc.digest));
    if (actual !== desc.digest) throw digestMismatch(this.describe(what, span.name), desc.digest, actual);
  }

  private async locate(desc: Descriptor, what: string): Promise<FileSpan> {
    const path = blobPath(desc.digest);
    const span = await this.files.locate(path);
    if (span === undefined) {
      throw new ImmutagError('IMAGE_INVALID', `${what} (${desc.digest}) is missing: ${this.files.location} has no ${path}`, {
        hint: 'The image file is incomplete. Export every blob the image references (for docker save of a multi-platform image, save one platform with --platform, or use buildx --output type=oci).',
      });
    }
    if (span.size !== desc.size) throw sizeMismatch(`${what} (${desc.digest}, ${path})`, desc.size, span.size);
    return span;
  }

  private checkSize(desc: Descriptor, what: string): void {
    const size = this.sizeOf(desc.digest);
    if (size !== undefined && size !== desc.size) throw sizeMismatch(`${what} (${desc.digest})`, desc.size, size);
  }

  /** The size of the bytes held for `digest`, hashed or deferred. */
  private sizeOf(digest: string): number | undefined {
    const stored = this.verified.get(digest);
    if (stored !== undefined) return stored.kind === 'memory' ? stored.bytes.length : stored.span.size;
    return this.deferred.get(digest)?.span.size;
  }

  notInImage(desc: Descriptor): ImmutagError {
    return new ImmutagError('IMAGE_INVALID', `${desc.digest} is not a verified blob of the image in ${this.files.location}`, {
      hint: 'Only blobs reachable from the selected manifest are served; this is a bug in the caller.',
    });
  }

  private describe(what: string, where: string): string {
    return `${what} (${where} in ${this.files.location})`;
  }
}

