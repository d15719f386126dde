// Reads a span of a file (a blob, or a member of a tar archive) as a stream, in
// bounded chunks, refusing to start or to finish if the file is no longer the one
// that was fingerprinted when the span was found.
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import { Transform, type Readable } from 'node:stream';
import type { Algorithm } from '../digest.ts';
import { ImmutagError } from '../errors.ts';
import type { BlobBytes } from '../oci.ts';
import { fingerprintOf, sameFingerprint, unreadableMember, type FileSpan } from './files.ts';
import { hashOnWorker, workerAvailable, WORKER_HASH_MIN_BYTES } from './hash-worker.ts';

const HASH_CHUNK = 1024 * 1024;
/**
 * The file stream's chunk: 128 KiB, not Node's 64 KiB: half as many chunks through
 * the streams of a layer being scanned. (Uploads do not stream: openSpanBytes.)
 */
const READ_CHUNK = 128 * 1024;

/**
 * Opens the span; resolves once the file is known to be unchanged, and fails the
 * stream before its end if it changed while being read. The bytes come from Node's
 * own file stream (READ_CHUNK at a time), which keeps memory flat under a slow consumer.
 */
export async function openSpan(span: FileSpan, location: string): Promise<Readable> {
  const fh = await openUnchanged(span, location);
  const guard = new Transform({
    transform: (chunk: Buffer, _enc, done) => done(null, chunk),
    flush: (done) => {
      assertUnchanged(fh, span, location).then(() => done(), done);
    },
  });
  if (span.size === 0) {
    guard.once('close', () => void fh.close().catch(() => undefined));
    guard.end();
    return guard;
  }
  // The stream owns the handle and closes it when destroyed; autoClose is off so the
  // end check above can still fstat it after the last byte was read.
  const raw = createReadStream('', { fd: fh, autoClose: false, start: span.start, end: span.start + span.size - 1, highWaterMark: READ_CHUNK });
  raw.once('error', (err) => guard.destroy(err));
  guard.once('close', () => raw.destroy());
  raw.pipe(guard);
  return guard;
}

/**
 * The span's bytes by position, for an upload (BlobBytes in oci.ts). Refuses to start
 * unless the file still has the fingerprint it had when the span was found; the
 * uploader calls checkUnchanged again before the last byte leaves.
 */
export async function openSpanBytes(span: FileSpan, location: string): Promise<BlobBytes> {
  const fh = await openUnchanged(span, location);
  let closing: Promise<void> | undefined;
  return {
    size: span.size,
    async read(buf, length, position) {
      const want = Math.min(length, span.size - position);
      if (want <= 0) return 0;
      return (await fh.read(buf, 0, want, span.start + position)).bytesRead;
    },
    checkUnchanged: () => assertUnchanged(fh, span, location),
    close: () => {
      closing ??= fh.close();
      return closing;
    },
  };
}

/** The whole span in memory; only for small JSON members, callers cap the size first. */
export async function readSpan(span: FileSpan, location: string): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of await openSpan(span, location)) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/**
 * Hashes the span in one pass through a single reused buffer: memory stays flat
 * whatever the blob's size, and no chunk is left for the garbage collector.
 */
export async function hashSpan(span: FileSpan, location: string, algorithm: Algorithm): Promise<string> {
  try {
    return await hashOpened(span, location, algorithm);
  } catch (err) {
    if (err instanceof ImmutagError) throw err;
    throw new ImmutagError('IMAGE_INVALID', `${location}: ${span.name} could not be read: ${(err as Error).message}`, {
      hint: 'Check that the image files are readable and that nothing is writing them; nothing was pushed.',
      cause: err,
    });
  }
}

async function hashOpened(span: FileSpan, location: string, algorithm: Algorithm): Promise<string> {
  const fh = await openFile(span, location);
  try {
    await assertUnchanged(fh, span, location);
    let hex: string;
    const worker = span.size >= WORKER_HASH_MIN_BYTES && workerAvailable()
      ? await hashOnWorker(fh.fd, span.start, span.size, algorithm).catch(() => undefined)
      : undefined;
    if (worker !== undefined && 'short' in worker) throw changed(span, location);
    if (worker !== undefined) {
      hex = worker.digest;
    } else {
      // No worker to spare, or it could not run (it is only a speed-up): hash here.
      hex = await hashHere(fh, span, location, algorithm);
    }
    await assertUnchanged(fh, span, location);
    return `${algorithm}:${hex}`;
  } finally {
    await fh.close();
  }
}

async function hashHere(fh: FileHandle, span: FileSpan, location: string, algorithm: Algorithm): Promise<string> {
  const hash = createHash(algorithm);
  const buf = Buffer.allocUnsafe(Math.min(HASH_CHUNK, Math.max(span.size, 1)));
  const end = span.start + span.size;
  for (let position = span.start; position < end;) {
    const { bytesRead } = await fh.read(buf, 0, Math.min(buf.length, end - position), position);
    if (bytesRead === 0) throw changed(span, location);
    hash.update(buf.subarray(0, bytesRead));
    position += bytesRead;
  }
  return hash.digest('hex');
}

/** The span's file, opened, once it is known to have the fingerprint the span was found with. */
async function openUnchanged(span: FileSpan, location: string): Promise<FileHandle> {
  const fh = await openFile(span, location);
  try {
    await assertUnchanged(fh, span, location);
  } catch (err) {
    await fh.close();
    throw err;
  }
  return fh;
}

/** The file was there when located; failing to open it now is still the image's fault, not a bare Node error. */
async function openFile(span: FileSpan, location: string): Promise<FileHandle> {
  try {
    return await open(span.file, 'r');
  } catch (err) {
    throw unreadableMember(span.name, location, err);
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
