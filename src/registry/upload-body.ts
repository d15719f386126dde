// The bytes of one blob on their way to the registry, hashed as they go. The blob
// is read once, front to back, and handed out in slices (one per request: the
// whole blob for a monolithic PUT, one chunk per PATCH), so memory holds only what
// the file stream and the socket buffer. The blob's last byte is handed out only
// after the digest and size were checked: a registry never receives a complete
// blob whose bytes differ from the descriptor, even one that would not check them.
import { createHash, type Hash } from 'node:crypto';
import { Readable } from 'node:stream';
import { algorithmOf, digestMismatch, sizeMismatch } from '../digest.ts';
import { ImmutagError } from '../errors.ts';
import type { Descriptor } from '../oci.ts';

export class BlobSlicer {
  readonly descriptor: Descriptor;
  private readonly source: Readable;
  private readonly iterator: AsyncIterator<Buffer>;
  private readonly hash: Hash;
  private readonly what: string;
  private readonly onBytes: (n: number) => void;
  private pending: Buffer | undefined;
  private offset = 0;
  private failure: Error | undefined;
  private closed = false;

  constructor(source: Readable, descriptor: Descriptor, what: string, onBytes: (n: number) => void = () => {}) {
    this.source = source;
    this.descriptor = descriptor;
    this.iterator = source[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
    this.hash = createHash(algorithmOf(descriptor.digest));
    this.what = what;
    this.onBytes = onBytes;
  }

  /** Bytes handed out so far. */
  get position(): number {
    return this.offset;
  }

  /** Why the bytes stopped: a digest or size mismatch, or the file failing to read (the request then broke off). */
  get error(): Error | undefined {
    return this.failure;
  }

  /** A stream of exactly the next `length` bytes of the blob, for one request body. */
  slice(length: number): Readable {
    return Readable.from(this.take(length), { objectMode: false });
  }

  /** Stops reading the file (after a failure, or when the upload is abandoned). */
  close(): void {
    this.closed = true;
    this.source.destroy();
  }

  private async *take(length: number): AsyncGenerator<Buffer> {
    let left = length;
    while (left > 0) {
      let chunk = this.pending ?? await this.pull();
      this.pending = undefined;
      if (chunk.length > left) {
        this.pending = chunk.subarray(left);
        chunk = chunk.subarray(0, left);
      }
      left -= chunk.length;
      this.hash.update(chunk);
      if (this.offset + chunk.length === this.descriptor.size) await this.verifyEnd();
      this.offset += chunk.length;
      this.onBytes(chunk.length);
      yield chunk;
    }
  }

  private async pull(): Promise<Buffer> {
    const next = await this.next();
    if (next.done === true) throw this.fail(sizeMismatch(this.what, this.descriptor.size, this.offset));
    const chunk = next.value;
    if (this.offset + chunk.length > this.descriptor.size) {
      throw this.fail(sizeMismatch(this.what, this.descriptor.size, this.offset + chunk.length));
    }
    return chunk;
  }

  /** Before the last byte leaves: nothing more in the file, and the digest matches. */
  private async verifyEnd(): Promise<void> {
    if (this.pending !== undefined && this.pending.length > 0) {
      throw this.fail(sizeMismatch(this.what, this.descriptor.size, this.descriptor.size + this.pending.length));
    }
    const rest = await this.next();
    if (rest.done !== true) {
      throw this.fail(sizeMismatch(this.what, this.descriptor.size, this.descriptor.size + rest.value.length));
    }
    const actual = `${algorithmOf(this.descriptor.digest)}:${this.hash.digest('hex')}`;
    if (actual !== this.descriptor.digest) throw this.fail(digestMismatch(this.what, this.descriptor.digest, actual));
  }

  /** The next piece of the file; a read failure is remembered so it, not the aborted request, is reported. */
  private async next(): Promise<IteratorResult<Buffer>> {
    try {
      return await this.iterator.next();
    } catch (err) {
      // Reads cut short by close() are the upload's failure, not the file's.
      throw this.closed ? err : this.fail(readError(err, this.what));
    }
  }

  private fail(err: Error): Error {
    this.failure = err;
    return err;
  }
}

function readError(err: unknown, what: string): ImmutagError {
  if (err instanceof ImmutagError) return err;
  const code = (err as { code?: unknown }).code;
  const detail = `${typeof code === 'string' ? `${code}: ` : ''}${err instanceof Error ? err.message : String(err)}`;
  return new ImmutagError('IMAGE_INVALID', `${what}: reading the image file failed while uploading (${detail})`, {
    hint: 'Check the disk, and that nothing writes or removes the image file while immutag runs.',
    cause: err,
  });
}
