// HTTP/2 to one origin: every exchange is a stream on one session (RFC 9113), so a
// check of many tags costs one TLS handshake and no connection per request. The
// session holds the process open only while it carries streams, and once the server
// sends GOAWAY or the connection breaks it takes no new streams: the transport opens
// a fresh one for the next request.
import type { ClientHttp2Session, ClientHttp2Stream, IncomingHttpHeaders as H2Headers } from 'node:http2';
import type { IncomingHttpHeaders } from 'node:http';
import type { Socket } from 'node:net';
import { Readable } from 'node:stream';
import { transportError } from './connect.ts';
import { asError, exchangeLabel, onAbort, sendBody, type ExchangeRequest, type ExchangeResponse } from './exchange.ts';
import { headersTimer, watchBody, type ExchangeTimeouts } from './watchdog.ts';
import { nodeHttp2 } from './builtins.ts';

export class H2Session {
  private readonly session: ClientHttp2Session;
  private streams = 0;
  private usable = true;
  private readonly socket: Socket;
  private readonly timeouts: ExchangeTimeouts;

  constructor(origin: URL, socket: Socket, timeouts: ExchangeTimeouts) {
    this.socket = socket;
    this.timeouts = timeouts;
    this.session = nodeHttp2().connect(origin, { createConnection: () => socket });
    const retire = () => {
      this.usable = false;
    };
    this.session.on('goaway', retire);
    this.session.on('close', retire);
    // A session error reaches every open stream as a stream error; here it only retires the session.
    this.session.on('error', retire);
    this.session.unref();
  }

  /** False once the session is closing: new requests need a new one. */
  get open(): boolean {
    return this.usable && !this.session.closed && !this.session.destroyed;
  }

  exchange(req: ExchangeRequest): Promise<ExchangeResponse> {
    const what = exchangeLabel(req);
    return new Promise((resolve, reject) => {
      const noBody = req.body === null;
      let stream: ClientHttp2Stream;
      try {
        stream = this.session.request({ ...withoutHost(req.headers), ':method': req.method, ':path': req.path }, { endStream: noBody });
      } catch (err) {
        this.usable = false;
        reject(err);
        return;
      }
      this.hold(stream);
      let answered = false;
      const unsubscribe = onAbort(req.signal, (reason) => {
        if (!answered) reject(asError(reason));
        stream.destroy(asError(reason));
      });
      // The wait for an answer starts once the request, body included, is sent (as in h1.ts).
      let timer: { clear: () => void } = { clear: () => {} };
      const startWaiting = () => {
        if (!answered) timer = headersTimer(this.timeouts.headersMs, what, (err) => stream.destroy(err));
      };
      if (noBody) startWaiting();
      else stream.once('finish', startWaiting);
      stream.on('error', (err) => {
        timer.clear();
        if (!answered) {
          unsubscribe();
          reject(err);
        }
      });
      // A stream can end with no answer and no error: the connection dropped after the
      // request went out, the session was destroyed, or the server reset the stream
      // with NO_ERROR or CANCEL. Unhandled, the exchange would never settle (and, with
      // nothing else holding the event loop, the process would exit as if all went well).
      stream.once('close', () => {
        timer.clear();
        if (answered) return;
        unsubscribe();
        reject(transportError('ERR_HTTP2_STREAM_CANCEL', `${what}: the HTTP/2 stream closed before an answer (code ${stream.rstCode ?? 'none'})`));
      });
      stream.once('response', (raw: H2Headers) => {
        answered = true;
        timer.clear();
        unsubscribe();
        const unsubscribeBody = onAbort(req.signal, (reason) => stream.destroy(asError(reason)));
        stream.once('close', unsubscribeBody);
        const status = Number(raw[':status']);
        const bodyless = req.method === 'HEAD' || status === 204 || status === 304;
        const body = readerSide(stream, bodyless ? undefined : declaredLength(raw['content-length']));
        watchBody(body, this.timeouts.bodyMs, what, { bytesRead: () => this.socket.bytesRead, complete: () => stream.state?.remoteClose === 1 });
        resolve({ statusCode: status, headers: plainHeaders(raw), body });
      });
      if (!noBody) sendBody(stream, req.body);
    });
  }

  /** Keeps the process alive while a stream is open, and no longer. */
  private hold(stream: ClientHttp2Stream): void {
    if (this.streams++ === 0) this.session.ref();
    stream.once('close', () => {
      if (--this.streams === 0 && !this.session.destroyed) this.session.unref();
    });
  }

  close(): void {
    this.usable = false;
    this.session.close();
    if (this.streams === 0) this.session.destroy();
  }
}

/**
 * The body as a stream of its own. Http2Stream's `closed` means the HTTP/2 stream is
 * closed (both ends sent END_STREAM), which a short answer reaches before its reader
 * has taken the data; Node's stream helpers read `closed` as "destroyed", so a reader
 * that started a moment late got ERR_STREAM_PREMATURE_CLOSE on a complete answer (one
 * 100-tag check in ten under load). Read at once into a Readable of its own, the
 * bytes wait there; back-pressure still reaches the HTTP/2 stream's flow control, an
 * error on the HTTP/2 stream ends the body, and a body ended early cancels the stream.
 *
 * A server that resets the stream with NO_ERROR before END_STREAM cuts the answer
 * short, yet Node ends the stream as if it were complete (onStreamClose pushes its
 * end), and nothing public tells the two apart. Where the answer declared its length,
 * fewer bytes are a cut answer, which the retry rules treat as a dropped connection;
 * without a length the reader's own check decides (a digest, a size, a JSON parse).
 */
function readerSide(stream: ClientHttp2Stream, declared: number | undefined): Readable {
  const body = new Readable({
    read: () => {
      stream.resume();
    },
    destroy: (err, done) => {
      // A reader that stops early cancels the HTTP/2 stream (RST_STREAM), not the session.
      if (!stream.destroyed) stream.destroy(err ?? undefined);
      done(err);
    },
  });
  let received = 0;
  stream.on('data', (chunk: Buffer) => {
    received += chunk.length;
    if (!body.push(chunk)) stream.pause();
  });
  let ended = false;
  stream.once('end', () => {
    ended = true;
    // A connection torn down mid-answer (socket closed, GOAWAY then close) or a reset with
    // CANCEL also ends the stream in Node, with a non-zero code: cut short too.
    const code = stream.rstCode;
    if (code !== undefined && code !== 0) {
      body.destroy(transportError('ERR_STREAM_PREMATURE_CLOSE', `the HTTP/2 stream ended after ${received} bytes without END_STREAM (code ${code})`));
      return;
    }
    if (declared !== undefined && received < declared) {
      body.destroy(transportError('ERR_STREAM_PREMATURE_CLOSE', `the HTTP/2 stream ended after ${received} of the ${declared} bytes its Content-Length declared`));
      return;
    }
    body.push(null);
  });
  stream.once('error', (err) => body.destroy(err));
  // As Node's own IncomingMessage: an error before anyone reads the body (the caller may
  // still be asking a credential helper) is kept for the reader, who gets it from the
  // destroyed stream; unlistened, it would be thrown at the whole process.
  body.on('error', () => {});
  // Closed with neither its end nor an error (destroyed under us): the answer is cut short.
  stream.once('close', () => {
    if (!ended && !body.destroyed) body.destroy(transportError('ERR_STREAM_PREMATURE_CLOSE', 'the HTTP/2 stream closed before the end of the answer'));
  });
  return body;
}

/** Content-Length as a number of bytes; undefined when absent or not a plain decimal. */
function declaredLength(value: string | string[] | undefined): number | undefined {
  return typeof value === 'string' && /^\d{1,15}$/.test(value) ? Number(value) : undefined;
}

/** HTTP/2 names the authority in `:authority`; a Host header beside it is an error to some servers. */
function withoutHost(headers: Record<string, string>): Record<string, string> {
  const { host: _host, ...rest } = headers;
  return rest;
}

/** The response headers without pseudo-headers, shaped as Node's HTTP/1.1 client gives them. */
function plainHeaders(raw: H2Headers): IncomingHttpHeaders {
  const out: IncomingHttpHeaders = {};
  for (const [name, value] of Object.entries(raw)) {
    if (!name.startsWith(':')) out[name] = value as string | string[];
  }
  return out;
}
