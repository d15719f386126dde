// Reads a span of a file (a blob, or a member of a tar archive) as a stream, in
// bounded chunks, refusing to start or to finish if the file is no longer the one
// that was fingerprinted when the span was found.
import { createHash } from 'node:crypto';
import { open, type FileHandle } from 'node:fs/promises';
import { Readable } from 'node:stream';
import type { Algorithm } from '../digest.ts';
import { ImmutagError } from '../errors.ts';
import { fingerprintOf, sameFingerprint, type FileSpan } from './files.ts';

const CHUNK = 256 * 1024;

/** Opens the span; resolves once the file is known to be unchanged. */
export async function openSpan(span: FileSpan, location: string): Promise<Readable> {
  const fh = await open(span.file, 'r');
  try {
    await assertUnchanged(fh, span, location);
  } catch (err) {
    await fh.close();
    throw err;
  }
  return new SpanStream(fh, span, location);
}

/** The whole span in memory; only for small JSON members, callers cap the size first. */
export async function readSpan(span: FileSpan, location: string): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of await openSpan(span, location)) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** Hashes the span in one streaming pass; the file is never held in memory. */
export async function hashSpan(span: FileSpan, location: string, algorithm: Algorithm): Promise<string> {
  const hash = createHash(algorithm);
  for await (const chunk of await openSpan(span, location)) hash.update(chunk as Buffer);
  return `${algorithm}:${hash.digest('hex')}`;
}

class SpanStream extends Readable {
  private readonly fh: FileHandle;
  private readonly span: FileSpan;
  private readonly location: string;
  private position: number;
  private readonly end: number;

  constructor(fh: FileHandle, span: FileSpan, location: string) {
    super({ highWaterMark: CHUNK });
    this.fh = fh;
    this.span = span;
    this.location = location;
    this.position = span.start;
    this.end = span.start + span.size;
  }

  override _read(): void {
    this.next().then(
      (chunk) => this.push(chunk),
      (err: unknown) => this.destroy(err as Error),
    );
  }

  override _destroy(err: Error | null, done: (err?: Error | null) => void): void {
    this.fh.close().then(() => done(err), (closeErr: unknown) => done(err ?? (closeErr as Error)));
  }

  private async next(): Promise<Buffer | null> {
    if (this.position >= this.end) {
      // Checked again at the end, so a reader never completes on bytes that changed mid-read.
      await assertUnchanged(this.fh, this.span, this.location);
      return null;
    }
    const want = Math.min(CHUNK, this.end - this.position);
    const buf = Buffer.allocUnsafe(want);
    const { bytesRead } = await this.fh.read(buf, 0, want, this.position);
    if (bytesRead === 0) throw changed(this.span, this.location);
    this.position += bytesRead;
    return bytesRead === want ? buf : buf.subarray(0, bytesRead);
  }
}

async function assertUnchanged(fh: FileHandle, span: FileSpan, location: string): Promise<void> {
  const now = fingerprintOf(await fh.stat({ bigint: true }));
  if (!sameFingerprint(now, span.fingerprint)) throw changed(span, location);
}

function changed(span: FileSpan, location: string): ImmutagError {
  return new ImmutagError('DIGEST_MISMATCH', `${span.name} in ${location} changed after immutag opened the image`, {
    hint: 'Another process modified or replaced the image file while immutag was using it; nothing was used. Run again once the build step has finished writing it.',
  });
}
