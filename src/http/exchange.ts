// The shape of one HTTP exchange as the transport carries it, whatever the protocol.
import type { IncomingHttpHeaders } from 'node:http';
import type { Readable, Writable } from 'node:stream';

export interface ExchangeRequest {
  origin: URL;
  /** Path and query. */
  path: string;
  method: string;
  /** Lowercase names. */
  headers: Record<string, string>;
  body: string | Uint8Array | BodyWriter | null;
  /** Aborting it ends the exchange at any point (connecting, waiting, mid-body) with its reason. */
  signal: AbortSignal;
}

/**
 * A body that writes itself into the request and says when it is done (an upload,
 * which reuses each buffer once the request's write callback handed it back:
 * registry/upload-body.ts). A rejection ends the request with that error.
 */
export interface BodyWriter {
  writeTo(target: Writable): Promise<void>;
}

export interface ExchangeResponse {
  statusCode: number;
  headers: IncomingHttpHeaders;
  /** Must be read or destroyed by the caller. */
  body: Readable;
}

/**
 * "GET host/path", for messages. The query is left out: a redirect to blob storage
 * carries its signature there (S3's X-Amz-Signature, Azure's sig), a capability to
 * read the blob that must not reach a log, a report or a pull-request comment.
 */
export function exchangeLabel(req: ExchangeRequest): string {
  const query = req.path.indexOf('?');
  return `${req.method} ${req.origin.host}${query === -1 ? req.path : req.path.slice(0, query)}`;
}

/** Ends the exchange with the signal's reason when it aborts; returns the unsubscribe. */
export function onAbort(signal: AbortSignal, end: (reason: unknown) => void): () => void {
  if (signal.aborted) {
    end(signal.reason);
    return () => {};
  }
  const listener = () => end(signal.reason);
  signal.addEventListener('abort', listener, { once: true });
  return () => signal.removeEventListener('abort', listener);
}

export function asError(reason: unknown): Error {
  return reason instanceof Error ? reason : new Error(String(reason));
}

/** Sends the request body: bytes at once, a writer left to write (a failure ends the request). */
export function sendBody(target: Writable, body: ExchangeRequest['body']): void {
  if (isBodyWriter(body)) {
    body.writeTo(target).then(() => target.end(), (err: unknown) => target.destroy(asError(err)));
    return;
  }
  target.end(body ?? undefined);
}

function isBodyWriter(body: unknown): body is BodyWriter {
  return typeof body === 'object' && body !== null && typeof (body as Partial<BodyWriter>).writeTo === 'function';
}
