// A small reader for the zip archives osv.dev publishes (`<Ecosystem>/all.zip`).
// It reads the central directory (ZIP64 too: large ecosystems hold more than 65535
// records), then walks the entries in file order through one sliding read window,
// inflating each with zlib and checking its size and CRC-32.
// Format: https://pkware.cachefly.net/webdocs/casestudies/APPNOTE.TXT (4.3.12-4.3.16, 4.5.3)

import type { FileHandle } from 'node:fs/promises';
import { open } from 'node:fs/promises';
import { crc32, inflateRawSync } from 'node:zlib';
import { ImmutagError } from '../../errors.ts';

export interface ZipEntry {
  name: string;
  method: number;
  flags: number;
  crc32: number;
  compressedSize: number;
  size: number;
  localHeaderOffset: number;
}

const EOCD_SIGNATURE = 0x06054b50;
const ZIP64_LOCATOR_SIGNATURE = 0x07064b50;
const ZIP64_EOCD_SIGNATURE = 0x06064b50;
const CENTRAL_SIGNATURE = 0x02014b50;
const LOCAL_SIGNATURE = 0x04034b50;
const MAX_COMMENT = 0xffff;
const MAX_DIRECTORY_BYTES = 256 * 1024 * 1024;
const WINDOW_BYTES = 4 * 1024 * 1024;

function corrupt(path: string, what: string): ImmutagError {
  return new ImmutagError('SCANNER_FAILED', `The vulnerability database archive ${path} is not a readable zip: ${what}`, {
    hint: 'Download the OSV export again (osv.dev publishes <Ecosystem>/all.zip) or point vuln-db at a directory of JSON records.',
  });
}

async function readAt(fh: FileHandle, position: number, length: number): Promise<Buffer> {
  const buffer = Buffer.alloc(length);
  let done = 0;
  while (done < length) {
    const { bytesRead } = await fh.read(buffer, done, length - done, position + done);
    if (bytesRead === 0) break;
    done += bytesRead;
  }
  return done === length ? buffer : buffer.subarray(0, done);
}

interface Directory {
  offset: number;
  size: number;
  entries: number;
}

async function findDirectory(fh: FileHandle, fileSize: number, path: string): Promise<Directory> {
  const tailLength = Math.min(fileSize, 22 + MAX_COMMENT + 20);
  const tailStart = fileSize - tailLength;
  const tail = await readAt(fh, tailStart, tailLength);
  let at = -1;
  for (let i = tail.length - 22; i >= 0; i--) {
    if (tail.readUInt32LE(i) === EOCD_SIGNATURE) {
      at = i;
      break;
    }
  }
  if (at < 0) throw corrupt(path, 'no end-of-central-directory record');
  const dir = { entries: tail.readUInt16LE(at + 10), size: tail.readUInt32LE(at + 12), offset: tail.readUInt32LE(at + 16) };
  // A ZIP64 locator sits right before the classic record when the archive needs it.
  if (at >= 20 && tail.readUInt32LE(at - 20) === ZIP64_LOCATOR_SIGNATURE) {
    const recordOffset = Number(tail.readBigUInt64LE(at - 20 + 8));
    const record = await readAt(fh, recordOffset, 56);
    if (record.length < 56 || record.readUInt32LE(0) !== ZIP64_EOCD_SIGNATURE) throw corrupt(path, 'bad ZIP64 record');
    dir.entries = Number(record.readBigUInt64LE(32));
    dir.size = Number(record.readBigUInt64LE(40));
    dir.offset = Number(record.readBigUInt64LE(48));
  }
  if (dir.size > MAX_DIRECTORY_BYTES || dir.offset + dir.size > fileSize) throw corrupt(path, 'central directory out of bounds');
  return dir;
}

// ZIP64 extended information (header 0x0001) replaces the fields saturated at 0xFFFFFFFF, in this order.
function applyZip64Extra(entry: ZipEntry, extra: Buffer): void {
  let i = 0;
  while (i + 4 <= extra.length) {
    const id = extra.readUInt16LE(i);
    const length = extra.readUInt16LE(i + 2);
    const body = extra.subarray(i + 4, i + 4 + length);
    i += 4 + length;
    if (id !== 0x0001) continue;
    let j = 0;
    const next = (): number => {
      const value = j + 8 <= body.length ? Number(body.readBigUInt64LE(j)) : -1;
      j += 8;
      return value;
    };
    if (entry.size === 0xffffffff) entry.size = next();
    if (entry.compressedSize === 0xffffffff) entry.compressedSize = next();
    if (entry.localHeaderOffset === 0xffffffff) entry.localHeaderOffset = next();
  }
}

function parseDirectory(buffer: Buffer, count: number, path: string): ZipEntry[] {
  const entries: ZipEntry[] = [];
  let i = 0;
  for (let n = 0; n < count; n++) {
    if (i + 46 > buffer.length || buffer.readUInt32LE(i) !== CENTRAL_SIGNATURE) throw corrupt(path, `bad central directory entry ${n}`);
    const nameLength = buffer.readUInt16LE(i + 28);
    const extraLength = buffer.readUInt16LE(i + 30);
    const commentLength = buffer.readUInt16LE(i + 32);
    const entry: ZipEntry = {
      flags: buffer.readUInt16LE(i + 8),
      method: buffer.readUInt16LE(i + 10),
      crc32: buffer.readUInt32LE(i + 16),
      compressedSize: buffer.readUInt32LE(i + 20),
      size: buffer.readUInt32LE(i + 24),
      localHeaderOffset: buffer.readUInt32LE(i + 42),
      name: buffer.toString('utf8', i + 46, i + 46 + nameLength),
    };
    applyZip64Extra(entry, buffer.subarray(i + 46 + nameLength, i + 46 + nameLength + extraLength));
    entries.push(entry);
    i += 46 + nameLength + extraLength + commentLength;
  }
  return entries;
}

/** Sequential reads through a window, so thousands of small entries cost few syscalls. */
class Window {
  private readonly fh: FileHandle;
  private start = 0;
  private data: Buffer = Buffer.alloc(0);

  constructor(fh: FileHandle) {
    this.fh = fh;
  }

  async slice(position: number, length: number): Promise<Buffer> {
    if (position < this.start || position + length > this.start + this.data.length) {
      this.start = position;
      this.data = await readAt(this.fh, position, Math.max(length, WINDOW_BYTES));
    }
    return this.data.subarray(position - this.start, position - this.start + length);
  }
}

async function entryData(window: Window, entry: ZipEntry, maxBytes: number, path: string): Promise<Buffer> {
  if ((entry.flags & 1) !== 0) throw corrupt(path, `${entry.name} is encrypted`);
  if (entry.size > maxBytes) throw corrupt(path, `${entry.name} is ${entry.size} bytes, over the ${maxBytes}-byte cap`);
  const header = await window.slice(entry.localHeaderOffset, 30);
  if (header.length < 30 || header.readUInt32LE(0) !== LOCAL_SIGNATURE) throw corrupt(path, `bad local header for ${entry.name}`);
  const dataStart = entry.localHeaderOffset + 30 + header.readUInt16LE(26) + header.readUInt16LE(28);
  const raw = await window.slice(dataStart, entry.compressedSize);
  if (raw.length < entry.compressedSize) throw corrupt(path, `${entry.name} is truncated`);
  let data: Buffer;
  if (entry.method === 0) data = Buffer.from(raw);
  else if (entry.method === 8) {
    try {
      data = inflateRawSync(raw, { maxOutputLength: Math.max(entry.size, 1) });
    } catch (err) {
      throw corrupt(path, `${entry.name} does not inflate (${err instanceof Error ? err.message : String(err)})`);
    }
  } else throw corrupt(path, `${entry.name} uses compression method ${entry.method}`);
  if (data.length !== entry.size || crc32(data) !== entry.crc32) throw corrupt(path, `${entry.name} fails its size or CRC-32 check`);
  return data;
}

export interface ZipReadOptions {
  /** Entries whose name this rejects are skipped without being inflated. */
  accept?: (name: string) => boolean;
  /** Largest uncompressed entry allowed. */
  maxEntryBytes?: number;
}

/** Yields the accepted entries of a zip file, in file order, verified. */
export async function* readZip(path: string, options: ZipReadOptions = {}): AsyncGenerator<{ name: string; data: Buffer }> {
  const accept = options.accept ?? (() => true);
  const maxBytes = options.maxEntryBytes ?? 64 * 1024 * 1024;
  const fh = await open(path, 'r');
  try {
    const { size: fileSize } = await fh.stat();
    const dir = await findDirectory(fh, fileSize, path);
    const entries = parseDirectory(await readAt(fh, dir.offset, dir.size), dir.entries, path)
      .filter((e) => !e.name.endsWith('/') && accept(e.name))
      .sort((a, b) => a.localHeaderOffset - b.localHeaderOffset);
    const window = new Window(fh);
    for (const entry of entries) yield { name: entry.name, data: await entryData(window, entry, maxBytes, path) };
  } finally {
    await fh.close();
  }
}
