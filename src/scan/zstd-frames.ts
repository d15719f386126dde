// A zstd stream is a sequence of frames (RFC 8878 §3.1): `zstd:chunked` layers and
// concatenated `zstd` outputs hold many, and skippable frames carry metadata (the
// zstd:chunked table of contents). Node's zstd decompressor stops at the end of the
// first frame and drops the rest without a word, so a package database in frame two
// would never be seen. This reader walks the frame and block headers itself, hands
// each data frame to a fresh decompressor, skips skippable frames, and refuses any
// byte that belongs to no frame: a layer is read to its last byte or not at all.
// https://www.rfc-editor.org/rfc/rfc8878#section-3.1.1
import { Transform } from 'node:stream';
import zlib from 'node:zlib';

const MAGIC = Buffer.from([0x28, 0xb5, 0x2f, 0xfd]);
const SKIPPABLE_MASK = 0xfffffff0;
const SKIPPABLE = 0x184d2a50;
const DICT_ID_BYTES = [0, 1, 2, 4];
const CONTENT_SIZE_BYTES = [0, 2, 4, 8];
const EMPTY = Buffer.alloc(0);

/** Decompresses every frame of a zstd stream, in order; `consumed` counts the compressed bytes read. */
export class ZstdFrames {
  consumed = 0;
  frames = 0;
  private readonly chunkSize: number;

  constructor(chunkSize: number) {
    this.chunkSize = chunkSize;
  }

  async *decompress(source: AsyncIterable<Buffer>): AsyncGenerator<Buffer> {
    const cursor = new Cursor(source[Symbol.asyncIterator]());
    try {
      while (!(await cursor.atEnd())) {
        const magic = await cursor.bytes(4);
        if (magic === undefined) throw this.broken('ends inside a frame magic number');
        const value = magic.readUInt32LE(0);
        if ((value & SKIPPABLE_MASK) >>> 0 === SKIPPABLE) {
          const size = await cursor.bytes(4);
          if (size === undefined || !(await cursor.skip(size.readUInt32LE(0)))) throw this.broken('ends inside a skippable frame');
        } else if (magic.equals(MAGIC)) {
          this.frames++;
          yield* this.frame(cursor);
        } else {
          throw this.broken(`has ${cursor.position - 4} bytes of zstd frames followed by bytes that are not a zstd frame`);
        }
        this.consumed = cursor.position;
      }
    } finally {
      await cursor.close();
    }
  }

  /** One data frame: its bytes stream into a decompressor while its output streams out. */
  private async *frame(cursor: Cursor): AsyncGenerator<Buffer> {
    const inner = zlib.createZstdDecompress({ chunkSize: this.chunkSize });
    let written = 0;
    const write = async (chunk: Buffer): Promise<void> => {
      if (inner.destroyed) throw new Error('the zstd decompressor closed');
      written += chunk.length;
      if (!inner.write(chunk)) await drained(inner);
    };
    const feeding = (async () => {
      await write(MAGIC);
      cursor.startCopy(write);
      const complete = await frameBody(cursor);
      await cursor.stopCopy();
      if (!complete) throw this.broken(`ends inside frame ${this.frames}`);
      inner.end();
    })();
    feeding.catch((err: unknown) => inner.destroy(err as Error));
    try {
      for await (const chunk of inner) yield chunk as Buffer;
      await feeding;
    } finally {
      inner.destroy();
      await feeding.catch(() => undefined);
    }
    if (inner.bytesWritten !== written) {
      throw this.broken(`frame ${this.frames} decompressed to its end after ${inner.bytesWritten} of its ${written} bytes`);
    }
  }

  private broken(what: string): Error {
    return new Error(`the zstd stream ${what}`);
  }
}

/** Walks a frame header and its blocks (the magic number is already read); false when the input ends first. */
async function frameBody(cursor: Cursor): Promise<boolean> {
  const descriptor = await cursor.bytes(1);
  if (descriptor === undefined) return false;
  const fhd = descriptor[0]!;
  if (fhd & 0x08) throw new Error('the zstd stream has a frame header with the reserved bit set');
  const singleSegment = (fhd >> 5) & 1;
  const contentSizeFlag = fhd >> 6;
  const contentSizeBytes = contentSizeFlag === 0 ? singleSegment : CONTENT_SIZE_BYTES[contentSizeFlag]!;
  const headerRest = (singleSegment ? 0 : 1) + DICT_ID_BYTES[fhd & 3]! + contentSizeBytes;
  if (!(await cursor.skip(headerRest))) return false;
  for (;;) {
    const header = await cursor.bytes(3);
    if (header === undefined) return false;
    const value = header[0]! | (header[1]! << 8) | (header[2]! << 16);
    const type = (value >> 1) & 3;
    if (type === 3) throw new Error('the zstd stream has a block of the reserved type');
    // RLE blocks store one byte however many they stand for.
    if (!(await cursor.skip(type === 1 ? 1 : value >>> 3))) return false;
    if (value & 1) break;
  }
  const checksum = (fhd >> 2) & 1;
  return cursor.skip(checksum ? 4 : 0);
}

function drained(stream: Transform): Promise<void> {
  return new Promise((resolve, reject) => {
    if (stream.destroyed) {
      reject(new Error('the zstd decompressor closed'));
      return;
    }
    const done = (): void => {
      stream.off('drain', done);
      stream.off('close', closed);
      resolve();
    };
    const closed = (): void => {
      stream.off('drain', done);
      reject(new Error('the zstd decompressor closed'));
    };
    stream.once('drain', done);
    stream.once('close', closed);
  });
}

/**
 * A position in the input. While copying, the bytes it moves past are handed to the
 * copy target as slices of the input chunks (one write per chunk, not per block).
 */
class Cursor {
  position = 0;
  private readonly input: AsyncIterator<Buffer>;
  private chunk: Buffer = EMPTY;
  private at = 0;
  private mark = 0;
  private ended = false;
  private target: ((chunk: Buffer) => Promise<void>) | undefined;

  constructor(input: AsyncIterator<Buffer>) {
    this.input = input;
  }

  async atEnd(): Promise<boolean> {
    return !(await this.more());
  }

  /** Reads `n` bytes; undefined when the input ends first. */
  async bytes(n: number): Promise<Buffer | undefined> {
    if (this.chunk.length - this.at >= n) {
      const out = this.chunk.subarray(this.at, this.at + n);
      this.advance(n);
      return out;
    }
    const out = Buffer.alloc(n);
    let got = 0;
    while (got < n) {
      if (!(await this.more())) return undefined;
      const k = Math.min(n - got, this.chunk.length - this.at);
      this.chunk.copy(out, got, this.at, this.at + k);
      this.advance(k);
      got += k;
    }
    return out;
  }

  /** Moves past `n` bytes; false when the input ends first. */
  async skip(n: number): Promise<boolean> {
    let left = n;
    while (left > 0) {
      if (!(await this.more())) return false;
      const k = Math.min(left, this.chunk.length - this.at);
      this.advance(k);
      left -= k;
    }
    return true;
  }

  startCopy(target: (chunk: Buffer) => Promise<void>): void {
    this.mark = this.at;
    this.target = target;
  }

  async stopCopy(): Promise<void> {
    await this.flush();
    this.target = undefined;
  }

  async close(): Promise<void> {
    await this.input.return?.();
  }

  private advance(n: number): void {
    this.at += n;
    this.position += n;
  }

  private async flush(): Promise<void> {
    if (this.target && this.at > this.mark) await this.target(this.chunk.subarray(this.mark, this.at));
    this.mark = this.at;
  }

  /** True when at least one byte is available. */
  private async more(): Promise<boolean> {
    while (this.at >= this.chunk.length) {
      await this.flush();
      if (this.ended) return false;
      const next = await this.input.next();
      if (next.done) {
        this.ended = true;
        this.chunk = EMPTY;
        this.at = this.mark = 0;
        return false;
      }
      this.chunk = next.value;
      this.at = this.mark = 0;
    }
    return true;
  }
}
