// Reads a candidate file as text, or says why not: over the size cap, not text (a
// NUL character, or bytes not valid in its encoding: UTF-8, or UTF-16 with a BOM).
// The decoded text keeps a BOM, so offsets into it map back to the file's own bytes
// exactly. Read synchronously: deploy files are small and many, and nothing else
// runs while pin reads them; an asynchronous read costs four thread-pool round trips
// per file, which was most of the time on 100 files.
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { decodeText, encodingOf, type TextEncoding } from './text-encoding.ts';

/** Deploy files are small; a multi-megabyte "manifest" is generated output or not a manifest. */
export const MAX_FILE_BYTES = 8 * 1024 * 1024;

export type TextFile = { ok: true; bytes: Buffer; text: string; encoding: TextEncoding } | { ok: false; reason: string };

export function readTextFile(path: string, maxBytes = MAX_FILE_BYTES): TextFile {
  const fd = openSync(path, 'r');
  let bytes: Buffer;
  try {
    const size = fstatSync(fd).size;
    if (size > maxBytes) return { ok: false, reason: `${size} bytes, over the ${maxBytes}-byte cap for deploy files` };
    bytes = readUpTo(fd, maxBytes);
  } finally {
    closeSync(fd);
  }
  if (bytes.length > maxBytes) return { ok: false, reason: `over the ${maxBytes}-byte cap for deploy files` };
  const encoding = encodingOf(bytes);
  const binary: TextFile = { ok: false, reason: 'not a text file (it holds NUL bytes)' };
  // Every ASCII character in UTF-16 has a NUL byte; there only a NUL character is binary.
  if (encoding === 'utf-8' && bytes.includes(0)) return binary;
  let text: string;
  try {
    text = decodeText(bytes, encoding);
  } catch {
    return { ok: false, reason: `not a text file (not valid ${encoding === 'utf-8' ? 'UTF-8' : 'UTF-16'})` };
  }
  if (text.includes('\0')) return binary;
  return { ok: true, bytes, text, encoding };
}

/** Reads to the end, or to one byte past `maxBytes` (a file that grew after its size was read). */
function readUpTo(fd: number, maxBytes: number): Buffer {
  const chunks: Buffer[] = [];
  let total = 0;
  for (;;) {
    const chunk = Buffer.allocUnsafe(Math.min(64 * 1024, maxBytes + 1 - total));
    const n = readSync(fd, chunk, 0, chunk.length, null);
    if (n === 0) break;
    chunks.push(chunk.subarray(0, n));
    total += n;
    if (total > maxBytes) break;
  }
  return Buffer.concat(chunks);
}
