// The bytes of one blob on their way to the registry, hashed as they go. The blob
// is read once, front to back, and handed out in slices (one per request: the
// whole blob for a monolithic PUT, one chunk per PATCH). A slice writes itself into
// its request from the slicer's own few buffers, each reused once the request's
// write callback gave it back (the socket, or the HTTP/2 session, has sent it); the
// buffers in flight are also the upload's backpressure. A fresh buffer per chunk,
// as a file stream makes, left 200 MB of garbage behind a 200 MB push: measured on
// two cores, the upload of two 100 MB layers used ~100 ms less CPU this way, CPU the
// registry beside us on a small runner gets instead, and memory stays flat without
// help from the garbage collector.
//
// The blob's last byte is handed out only after the digest and size were checked
// and the file found unchanged: a registry never receives a complete blob whose
// bytes differ from the descriptor, even one that would not check them.
import { createHash, type Hash } from 'node:crypto';
import type { Writable } from 'node:stream';
import { algorithmOf, digestMismatch, sizeMismatch } from '../digest.ts';
import { ImmutagError } from '../errors.ts';
import type { BodyWriter } from '../http/exchange.ts';
import type { BlobBytes, Descriptor } from '../oci.ts';

/** 1 MiB per blob in flight. 2 or 8 buffers, or 128 or 512 KiB ones, pushed 200 MB within noise of this. */
const BUFFER_BYTES = 256 * 1024;
const BUFFERS = 4;

const ENDED = 'the request ended before its body was sent';

export class BlobSlicer {
  readonly descriptor: Descriptor;
  private readonly bytes: BlobBytes;
  private readonly hash: Hash;
  private readonly what: string;
  private readonly onBytes: (n: number) => void;
  /** Buffers the requests gave back; `made` counts all there are. */
  private readonly free: Buffer[] = [];
  private made = 0;
  private wake: (() => void) | undefined;
  private offset = 0;
  private failure: Error | undefined;
  private closed = false;
  private sending: Promise<void> = Promise.resolve();
  private current: Writable | undefined;

  constructor(bytes: BlobBytes, descriptor: Descriptor, what: string, onBytes: (n: number) => void = () => {}) {
    this.bytes = bytes;
    this.descriptor = descriptor;
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

  /**
   * A body of exactly the next `length` bytes of the blob, for one request. A slice
   * starts only once the one before has handed out its last byte, even if a registry
   * answered that request early and the next one began.
   */
  slice(length: number): BodyWriter {
    return {
      writeTo: (target) => {
        const turn = this.sending.then(() => this.send(target, length));
        this.sending = turn.catch(() => undefined);
        return turn;
      },
    };
  }

  /** Closes the file: after the last slice, after a failure, or when the upload is abandoned. */
  async close(): Promise<void> {
    this.closed = true;
    this.current?.destroy(new Error(ENDED));
    await this.bytes.close().catch(() => undefined);
  }

  private async send(target: Writable, length: number): Promise<void> {
    this.current = target;
    try {
      await this.sendSlice(target, length);
    } finally {
      this.current = undefined;
    }
  }

  private async sendSlice(target: Writable, length: number): Promise<void> {
    if (this.descriptor.size === 0) await this.verifyEnd();
    let left = length;
    while (left > 0) {
      // A request that died gives buffers back at once (its writes fail): stop reading.
      if (this.closed || target.destroyed) throw new Error(ENDED);
      const buf = await this.buffer(target);
      const n = await this.fill(buf, Math.min(left, buf.length));
      const chunk = buf.subarray(0, n);
      this.hash.update(chunk);
      if (this.offset + n === this.descriptor.size) await this.verifyEnd();
      this.offset += n;
      left -= n;
      this.onBytes(n);
      // Not waiting for 'drain': the buffers in flight bound what the request holds.
      target.write(chunk, () => this.giveBack(buf));
    }
  }

  /** A buffer no request holds: a spare, a new one while fewer than BUFFERS exist, or the next one given back. */
  private async buffer(target: Writable): Promise<Buffer> {
    for (;;) {
      const spare = this.free.pop();
      if (spare !== undefined) return spare;
      if (this.made < BUFFERS) {
        this.made++;
        return Buffer.allocUnsafe(Math.max(1, Math.min(BUFFER_BYTES, this.descriptor.size)));
      }
      await untilGivenBack(target, (go) => {
        this.wake = go;
      }, () => {
        this.wake = undefined;
      });
    }
  }

  private giveBack(buf: Buffer): void {
    this.free.push(buf);
    const wake = this.wake;
    this.wake = undefined;
    wake?.();
  }

  /** Exactly `want` bytes at the current offset into `buf`; the file ending first is a size mismatch. */
  private async fill(buf: Buffer, want: number): Promise<number> {
    let got = 0;
    while (got < want) {
      const n = await this.read(buf.subarray(got), want - got, this.offset + got);
      if (n === 0) {
        // A file cut short after it was opened is reported as changed, which it was.
        await this.checkUnchanged();
        throw this.fail(sizeMismatch(this.what, this.descriptor.size, this.offset + got));
      }
      got += n;
    }
    return got;
  }

  /** Before the last byte leaves: the size is the descriptor's, the file unchanged, and the digest matches. */
  private async verifyEnd(): Promise<void> {
    if (this.bytes.size !== this.descriptor.size) throw this.fail(sizeMismatch(this.what, this.descriptor.size, this.bytes.size));
    await this.checkUnchanged();
    const actual = `${algorithmOf(this.descriptor.digest)}:${this.hash.digest('hex')}`;
    if (actual !== this.descriptor.digest) throw this.fail(digestMismatch(this.what, this.descriptor.digest, actual));
  }

  /** A read failure is remembered so it, not the aborted request, is reported. */
  private async read(buf: Buffer, length: number, position: number): Promise<number> {
    try {
      return await this.bytes.read(buf, length, position);
    } catch (err) {
      // Reads cut short by close() are the upload's failure, not the file's.
      throw this.closed ? err : this.fail(readError(err, this.what));
    }
  }

  private async checkUnchanged(): Promise<void> {
    try {
      await this.bytes.checkUnchanged();
    } catch (err) {
      // As for reads: a check cut short by close() (the request failed first) is not the file's failure.
      throw this.closed ? err : this.fail(readError(err, this.what));
    }
  }

  private fail(err: Error): Error {
    this.failure = err;
    return err;
  }
}

/**
 * Waits for `arm`'s signal (a buffer given back). A request that closes or fails
 * first gives nothing back any more: the wait ends with its error instead of hanging.
 */
function untilGivenBack(target: Writable, arm: (go: () => void) => void, disarm: () => void): Promise<void> {
  if (target.destroyed) return Promise.reject(new Error(ENDED));
  return new Promise((resolve, reject) => {
    const cleanup = (): void => {
      target.off('close', onClose);
      target.off('error', onError);
      disarm();
    };
    const onClose = (): void => {
      cleanup();
      reject(new Error(ENDED));
    };
    const onError = (err: Error): void => {
      cleanup();
      reject(err);
    };
    target.once('close', onClose);
    target.once('error', onError);
    arm(() => {
      cleanup();
      resolve();
    });
  });
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
