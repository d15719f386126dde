// Reads a candidate file as text, or says why not: over the size cap, not text (a
// NUL byte or invalid UTF-8). The decoded text keeps a BOM, so offsets into it map
// back to the file's own bytes exactly.
import { readFile, stat } from 'node:fs/promises';

/** Deploy files are small; a multi-megabyte "manifest" is generated output or not a manifest. */
export const MAX_FILE_BYTES = 8 * 1024 * 1024;

export type TextFile = { ok: true; bytes: Buffer; text: string } | { ok: false; reason: string };

export async function readTextFile(path: string, maxBytes = MAX_FILE_BYTES): Promise<TextFile> {
  const info = await stat(path);
  if (info.size > maxBytes) return { ok: false, reason: `${info.size} bytes, over the ${maxBytes}-byte cap for deploy files` };
  const bytes = await readFile(path);
  if (bytes.includes(0)) return { ok: false, reason: 'not a text file (it holds NUL bytes)' };
  try {
    const text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);
    return { ok: true, bytes, text };
  } catch {
    return { ok: false, reason: 'not a text file (not valid UTF-8)' };
  }
}
