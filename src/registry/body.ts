// Reading response bodies with a ceiling: a registry (or something pretending to
// be one) decides how much it sends, so every buffered read says how much it takes.
import type { Readable } from 'node:stream';
import { ImmutagError } from '../errors.ts';

/** Error bodies are read up to this much; the rest is dropped (go-containerregistry does the same). */
export const ERROR_BODY_LIMIT = 64 * 1024;

/** Reads the whole body; throws LIMIT_EXCEEDED (and stops reading) past `maxBytes`. */
export async function readAll(body: Readable, maxBytes: number, what: string): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of body) {
    const buf = chunk as Buffer;
    total += buf.length;
    if (total > maxBytes) {
      body.destroy();
      throw new ImmutagError('LIMIT_EXCEEDED', `${what} is larger than ${maxBytes} bytes`, {
        hint: 'Registries cap manifests at 4 MiB; a larger answer is not a manifest immutag can trust.',
      });
    }
    chunks.push(buf);
  }
  return Buffer.concat(chunks);
}

/** Reads at most `maxBytes` and discards the rest without waiting for it. Never throws. */
export async function readPrefix(body: Readable, maxBytes: number = ERROR_BODY_LIMIT): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let total = 0;
  try {
    for await (const chunk of body) {
      const buf = chunk as Buffer;
      chunks.push(buf.subarray(0, Math.max(0, maxBytes - total)));
      total += buf.length;
      if (total >= maxBytes) {
        body.destroy();
        break;
      }
    }
  } catch {
    // A body that breaks off mid-error is still an error; what arrived is enough.
  }
  return Buffer.concat(chunks);
}

/**
 * Drops a body we do not need. A small one is read to its end so its HTTP/1.1
 * connection stays reusable; past ERROR_BODY_LIMIT the connection is given up instead.
 */
export async function discard(body: Readable): Promise<void> {
  let total = 0;
  try {
    for await (const chunk of body) {
      total += (chunk as Buffer).length;
      if (total > ERROR_BODY_LIMIT) break;
    }
  } catch {
    // Nothing in it was wanted; a broken body only costs its connection.
  }
  body.destroy();
}
