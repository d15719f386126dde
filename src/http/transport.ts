// immutag's HTTP transport, on Node's own http, https-free TLS sockets and http2: plain
// HTTP origins get kept-alive HTTP/1.1 connections; an https origin's first connection
// offers h2 and http/1.1 by ALPN, and what the server chose serves that origin from
// then on (one multiplexed HTTP/2 session, or kept-alive HTTP/1.1 connections). It
// replaced undici, whose module graph and WebAssembly parser cost ~50 ms of every CLI
// start (a third of a 20-tag check) for features immutag does not use; Node's parsers
// are native and its modules are already in the binary.
import type { Socket } from 'node:net';
import type { TLSSocket } from 'node:tls';
import { openConnection, transportError, type ConnectSettings } from './connect.ts';
import type { ExchangeRequest, ExchangeResponse } from './exchange.ts';
import { H1Origin } from './h1.ts';
import type { H2Session } from './h2.ts';
import type { ExchangeTimeouts } from './watchdog.ts';

export type { ExchangeRequest, ExchangeResponse } from './exchange.ts';

export type TransportSettings = ConnectSettings & ExchangeTimeouts;

export class Transport {
  private readonly h1 = new Map<string, H1Origin>();
  private readonly h2 = new Map<string, H2Session>();
  /** https origins whose server chose HTTP/1.1 when offered h2. */
  private readonly h1Only = new Set<string>();
  /** The first connection to an https origin, which learns the protocol; others wait for it. */
  private readonly probes = new Map<string, Promise<void>>();
  private closed = false;
  private readonly settings: TransportSettings;

  constructor(settings: TransportSettings) {
    this.settings = settings;
  }

  async request(req: ExchangeRequest): Promise<ExchangeResponse> {
    if (this.closed) throw new Error('the HTTP transport is closed');
    const key = req.origin.origin;
    if (req.origin.protocol === 'https:' && !this.h1Only.has(key)) {
      const session = await this.session(req.origin);
      if (session !== undefined) return session.exchange(req);
    }
    return this.h1Origin(req.origin).exchange(req);
  }

  /** The live HTTP/2 session to `origin`, opened if needed; undefined when it speaks HTTP/1.1. */
  private async session(origin: URL): Promise<H2Session | undefined> {
    const key = origin.origin;
    for (;;) {
      if (this.closed) throw new Error('the HTTP transport is closed');
      const live = this.h2.get(key);
      if (live?.open) return live;
      if (this.h1Only.has(key)) return undefined;
      let probe = this.probes.get(key);
      if (probe === undefined) {
        probe = this.probe(origin).finally(() => this.probes.delete(key));
        this.probes.set(key, probe);
      }
      await probe;
      const opened = this.h2.get(key);
      if (opened?.open || this.h1Only.has(key)) continue;
      // The session opened and closed at once (a GOAWAY): say so rather than loop.
      if (opened !== undefined) throw transportError('ERR_HTTP2_GOAWAY_SESSION', `${origin.host} closed its HTTP/2 session at once`);
    }
  }

  private async probe(origin: URL): Promise<void> {
    // The HTTP/2 code loads beside the handshake that may choose it, so a plain-HTTP
    // check never parses it. A socket that receives the server's SETTINGS meanwhile is
    // fine: Node 24's http2 takes what the socket buffered. An error on it meanwhile is
    // held (unheard, it would end the process) and ends the probe.
    const h2 = import('./h2.ts');
    h2.catch(() => undefined); // awaited below only if the server chooses h2
    const socket = await openConnection(origin, ['h2', 'http/1.1'], this.settings);
    let H2Session: typeof import('./h2.ts').H2Session | undefined;
    if ((socket as TLSSocket).alpnProtocol === 'h2') {
      let failed: unknown;
      const hold = (err: Error): void => {
        failed ??= err;
      };
      socket.on('error', hold);
      try {
        H2Session = (await h2).H2Session;
      } catch (err) {
        failed ??= err;
      } finally {
        socket.removeListener('error', hold);
      }
      if (failed !== undefined) {
        socket.destroy();
        throw failed;
      }
    }
    if (this.closed) {
      socket.destroy();
      return;
    }
    if (H2Session !== undefined) {
      this.h2.get(origin.origin)?.close();
      this.h2.set(origin.origin, new H2Session(origin, socket, this.settings));
      return;
    }
    this.h1Only.add(origin.origin);
    this.h1Origin(origin).addSpare(socket as Socket);
  }

  private h1Origin(origin: URL): H1Origin {
    let h1 = this.h1.get(origin.origin);
    if (h1 === undefined) {
      h1 = new H1Origin(origin, this.settings, this.settings);
      this.h1.set(origin.origin, h1);
    }
    return h1;
  }

  close(): void {
    this.closed = true;
    for (const h1 of this.h1.values()) h1.close();
    for (const h2 of this.h2.values()) h2.close();
    this.h1.clear();
    this.h2.clear();
  }
}
