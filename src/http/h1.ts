// HTTP/1.1 to one origin on Node's own client, with kept-alive connections. Each
// connection is opened by connect.ts (direct or tunnelled, TLS with ALPN) through the
// agent's asynchronous createConnection; a TLS connection on which the server chose
// HTTP/1.1 when HTTP/2 was offered is handed over as the first connection instead of
// being thrown away.
import { Agent, request, type AgentOptions, type ClientRequest, type IncomingMessage } from 'node:http';
import type { Socket } from 'node:net';
import { openConnection, type ConnectSettings } from './connect.ts';
import { asError, exchangeLabel, onAbort, sendBody, type ExchangeRequest, type ExchangeResponse } from './exchange.ts';
import { headersTimer, watchBody, type ExchangeTimeouts } from './watchdog.ts';

export class H1Origin {
  private readonly agent: Agent;
  private readonly spares: Socket[] = [];
  private readonly origin: URL;
  private readonly connect: ConnectSettings;
  private readonly timeouts: ExchangeTimeouts;

  constructor(origin: URL, connect: ConnectSettings, timeouts: ExchangeTimeouts) {
    this.origin = origin;
    this.connect = connect;
    this.timeouts = timeouts;
    const agent = new Agent({ keepAlive: true, scheduling: 'lifo' } as AgentOptions);
    // Node calls this with a callback when it wants a new connection; the socket comes
    // from connect.ts, so proxies, TLS and the connect timeout apply to every one.
    (agent as unknown as { createConnection: unknown }).createConnection = (_options: unknown, done: (err: Error | null, socket?: Socket) => void) => {
      const spare = this.takeSpare();
      if (spare !== undefined) {
        done(null, spare);
        return undefined;
      }
      openConnection(this.origin, ['http/1.1'], this.connect).then((socket) => done(null, socket), (err: unknown) => done(asError(err)));
      return undefined;
    };
    this.agent = agent;
  }

  /** A connection already open to this origin (TLS, HTTP/1.1 chosen): used before a new one. */
  addSpare(socket: Socket): void {
    // Until the agent takes it, a reset of the idle connection must not go unheard.
    socket.on('error', ignoreIdleError);
    this.spares.push(socket);
  }

  private takeSpare(): Socket | undefined {
    for (let s = this.spares.pop(); s !== undefined; s = this.spares.pop()) {
      s.removeListener('error', ignoreIdleError);
      if (!s.destroyed) return s;
    }
    return undefined;
  }

  exchange(req: ExchangeRequest): Promise<ExchangeResponse> {
    const what = exchangeLabel(req);
    return new Promise((resolve, reject) => {
      const out: ClientRequest = request({
        agent: this.agent, host: req.origin.hostname, port: req.origin.port, method: req.method, path: req.path,
        headers: req.headers, setHost: true,
      });
      let answered = false;
      const unsubscribe = onAbort(req.signal, (reason) => {
        if (!answered) reject(asError(reason));
        out.destroy(asError(reason));
      });
      let timer: { clear: () => void } | undefined;
      // The wait for an answer starts once the request, body included, is sent: a large
      // upload on a slow link is not a silent server (its own deadline bounds it).
      out.once('finish', () => {
        if (!answered) timer = headersTimer(this.timeouts.headersMs, what, (err) => out.destroy(err));
      });
      out.on('error', (err) => {
        timer?.clear();
        unsubscribe();
        if (!answered) reject(err);
      });
      out.once('response', (res: IncomingMessage) => {
        answered = true;
        timer?.clear();
        const socket = res.socket;
        watchBody(res, this.timeouts.bodyMs, what, { bytesRead: () => socket?.bytesRead ?? 0, complete: () => res.complete });
        // An abort after the answer ends its body, which the reader sees as an error.
        const unsubscribeBody = onAbort(req.signal, (reason) => res.destroy(asError(reason)));
        unsubscribe();
        res.once('close', unsubscribeBody);
        resolve({ statusCode: res.statusCode ?? 0, headers: res.headers, body: res });
      });
      sendBody(out, req.body);
    });
  }

  close(): void {
    this.agent.destroy();
    for (const s of this.spares.splice(0)) s.destroy();
  }
}

function ignoreIdleError(): void {
  // The spare is dropped when next taken (it is destroyed by then).
}
