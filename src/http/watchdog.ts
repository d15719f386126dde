// Silence limits for one exchange: how long the server may take to start answering
// (headers), and how long it may go quiet mid-body. Silence is the server's only when
// the reader is waiting: a body whose reader is busy (its buffer holds data, so the
// connection is paused by back-pressure) is never timed out for the reader's slowness.
// The overall deadline (registry/deadline.ts) bounds a server that trickles.
import type { Readable } from 'node:stream';
import { transportError } from './connect.ts';

export interface ExchangeTimeouts {
  /** Until the response headers arrive, from the moment the request is on a connection. */
  headersMs: number;
  /** Longest silence between two body chunks while the reader waits. */
  bodyMs: number;
}

/** Calls `onTimeout` with a HEADERS_TIMEOUT error unless `clear` is called within `ms`. */
export function headersTimer(ms: number, what: string, onTimeout: (err: Error) => void): { clear: () => void } {
  const timer = setTimeout(() => onTimeout(transportError('HEADERS_TIMEOUT', `${what}: no answer within ${ms / 1000} s`)), ms);
  return { clear: () => clearTimeout(timer) };
}

export interface BodyProgress {
  /** Bytes received on the connection so far (any counter that grows while data arrives). */
  bytesRead: () => number;
  /** True once the whole body has arrived, read or not. */
  complete: () => boolean;
}

/** Destroys `body` with BODY_TIMEOUT when nothing arrives for `ms` while its reader waits. */
export function watchBody(body: Readable, ms: number, what: string, progress: BodyProgress): void {
  let seen = progress.bytesRead();
  const timer = setInterval(() => {
    const now = progress.bytesRead();
    const readerWaits = body.readableLength === 0;
    if (now === seen && readerWaits && !progress.complete() && !body.destroyed) {
      body.destroy(transportError('BODY_TIMEOUT', `${what}: the body stopped arriving for ${ms / 1000} s`));
    }
    seen = now;
  }, ms);
  timer.unref();
  body.once('close', () => clearInterval(timer));
}
