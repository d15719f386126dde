// Reading response bodies with a ceiling: a registry (or something pretending to
// be one) decides how much it sends, so every buffered read says how much it takes.
import type { Readable } from 'node:stream';
import { ImmutagError } from '../errors.ts';
import { transportError } from '../http/connect.ts';

/** Error bodies are read up to this much; the rest is dropped (go-containerregistry does the same). */
export const ERROR_BODY_LIMIT = 64 * 1024;

/** Reads the whole body; throws LIMIT_EXCEEDED (and stops reading) past `maxBytes`. */
export async function readAll(body: Readable, maxBytes: number, what: string): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let total = 0;
  await eachChunk(body, (chunk) => {
    total += chunk.length;
    if (total > maxBytes) {
      throw new ImmutagError('LIMIT_EXCEEDED', `${what} is larger than ${maxBytes} bytes`, {
        hint: 'Registries cap manifests at 4 MiB; a larger answer is not a manifest immutag can trust.',
      });
    }
    chunks.push(chunk);
    return false;
  });
  return Buffer.concat(chunks);
}

/** Reads at most `maxBytes` and discards the rest without waiting for it. Never throws. */
export async function readPrefix(body: Readable, maxBytes: number = ERROR_BODY_LIMIT): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let total = 0;
  try {
    await eachChunk(body, (chunk) => {
      chunks.push(chunk.subarray(0, Math.max(0, maxBytes - total)));
      total += chunk.length;
      return total >= maxBytes;
    });
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
    await eachChunk(body, (chunk) => {
      total += chunk.length;
      return total > ERROR_BODY_LIMIT;
    });
  } catch {
    // Nothing in it was wanted; a broken body only costs its connection.
  }
  body.destroy();
}

/**
 * Hands each chunk to `take` until the body ends. `take` returns true to stop early, or
 * throws; either way the body is destroyed. Rejects with the body's own error, or with
 * ERR_STREAM_PREMATURE_CLOSE when it closes before its end, as `for await` does. Events
 * rather than `for await`: an async iterator per body (its end-of-stream watcher and a
 * promise per chunk) was ~1% of a tag check's instructions. The listeners stay until the
 * body is gone, so an error after the end still has one. A body has one reader: with a
 * 'readable' listener of someone else's it would not flow, and this would wait. A body
 * destroyed after its last byte but before anyone read its end is a premature close
 * here, where `for await` read it as complete: the stricter answer.
 */
function eachChunk(body: Readable, take: (chunk: Buffer) => boolean): Promise<void> {
  return new Promise((resolve, reject) => {
    if (body.readableEnded) return resolve();
    if (body.errored) return reject(body.errored);
    if (body.destroyed) return reject(prematureClose());
    let settled = false;
    const settle = (err?: Error): void => {
      if (settled) return;
      settled = true;
      if (err === undefined) resolve();
      else reject(err);
    };
    body.on('data', (chunk: Buffer) => {
      if (settled) return;
      let stop: boolean;
      try {
        stop = take(chunk);
      } catch (err) {
        body.destroy();
        settle(err as Error);
        return;
      }
      if (stop) {
        body.destroy();
        settle();
      }
    });
    body.once('end', () => settle());
    body.on('error', (err) => settle(err));
    // Made only when it is the answer: a close follows every end, and an Error's stack is not free.
    body.once('close', () => {
      if (!settled) settle(prematureClose());
    });
    body.resume();
  });
}

function prematureClose(): Error {
  return transportError('ERR_STREAM_PREMATURE_CLOSE', 'the body closed before its end');
}
