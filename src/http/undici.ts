// The parts of undici immutag uses, loaded without undici's index. The index pulls in
// fetch, WebSocket, EventSource, caches and mocks (about 520 KB of the 670 KB CLI
// bundle) and costs ~40 ms of every CLI start, which is a fifth of a whole 20-tag check.
// This does what the index does for the dispatcher API: give dispatchers `request`.
import type { SecureContext, TLSSocket } from 'node:tls';
import type { Agent as AgentType, Client as ClientType, EnvHttpProxyAgent as EnvHttpProxyAgentType, buildConnector as BuildConnector } from 'undici';
import AgentImpl from 'undici/lib/dispatcher/agent.js';
import ClientImpl from 'undici/lib/dispatcher/client.js';
import PoolImpl from 'undici/lib/dispatcher/pool.js';
import DispatcherImpl from 'undici/lib/dispatcher/dispatcher.js';
import EnvHttpProxyAgentImpl from 'undici/lib/dispatcher/env-http-proxy-agent.js';
import api from 'undici/lib/api/index.js';
import buildConnectorImpl from 'undici/lib/core/connect.js';
import { ImmutagError } from '../errors.ts';

export type { Dispatcher } from 'undici';

Object.assign(DispatcherImpl.prototype, api);

export const Agent: typeof AgentType = AgentImpl;
export type Agent = AgentType;
export const EnvHttpProxyAgent: typeof EnvHttpProxyAgentType = EnvHttpProxyAgentImpl;
export type EnvHttpProxyAgent = EnvHttpProxyAgentType;
const buildConnector: typeof BuildConnector = buildConnectorImpl;

/**
 * Requests one HTTP/2 connection carries at once: immutag's own pools keep at most 8 tag
 * checks or 4 uploads in flight per origin, and servers allow far more streams (RFC 9113
 * recommends at least 100), so a second connection opens only past this.
 */
export const H2_STREAMS_PER_CONNECTION = 16;

/**
 * An Agent that lets an HTTP/2 connection carry several requests at once, and leaves
 * HTTP/1.1 exactly as undici's defaults have it (one request at a time, no pipelining).
 * undici gives every client `pipelining: 1` whatever the protocol, so its pools open a
 * connection per request in flight even over HTTP/2. The protocol is known only once the
 * TLS handshake has chosen it (ALPN), so each client gets its own connector that reads
 * `socket.alpnProtocol` and sets the client's limit before undici uses the socket. Only
 * public API: the `connect` function option, `buildConnector`, and `client.pipelining`.
 * (Leaving the limit unset instead changes undici's HTTP/1.1 behaviour: it then closes
 * every connection.)
 */
export function h2MultiplexingAgent(options: AgentType.Options, tlsContext: () => SecureContext): AgentType {
  return new AgentImpl({
    ...options,
    factory: (origin, poolOptions) => new PoolImpl(origin, {
      ...poolOptions,
      factory: (o, clientOptions) => multiplexingClient(o, clientOptions as ClientType.Options, tlsContext),
    }),
  });
}

/** `tlsContext` is asked for only by an https origin's client: plain HTTP never builds one. */
function multiplexingClient(origin: string | URL, clientOptions: ClientType.Options, tlsContext: () => SecureContext): ClientType {
  const { connect: connectOptions, ...rest } = clientOptions;
  const tls = new URL(origin).protocol === 'https:' ? { secureContext: tlsContext() } : {};
  const connector = typeof connectOptions === 'function'
    ? connectOptions
    : buildConnector({ ...connectOptions, ...tls, allowH2: clientOptions.allowH2 ?? false, ...(clientOptions.connectTimeout != null ? { timeout: clientOptions.connectTimeout } : {}) });
  const client: ClientType = new ClientImpl(origin, {
    ...rest,
    connect: (opts, callback) => connector(opts, (...args) => {
      const [err, socket] = args;
      if (err === null) client.pipelining = (socket as TLSSocket).alpnProtocol === 'h2' ? H2_STREAMS_PER_CONNECTION : 1;
      callback(...args);
    }),
  });
  return client;
}

/**
 * HTTP(S)_PROXY and NO_PROXY as undici reads them, with the proxy held to our connect
 * timeout. undici gives the proxy connection none of the agent's timeouts: a proxy that
 * accepts the connection and never answers CONNECT held a request for 300 s (undici's
 * default headers timeout) and the failure read as the registry's. Here the TCP (or TLS)
 * connect to the proxy and its answer to CONNECT each get `connectMs`, and a failure to
 * open the tunnel names the proxy.
 */
export function proxyAgent(options: AgentType.Options, connectMs: number): EnvHttpProxyAgentType {
  const connect = typeof options.connect === 'object' ? options.connect : {};
  return new EnvHttpProxyAgentImpl({
    ...options,
    proxyTls: { timeout: connectMs },
    // The registry's TLS inside the tunnel, with the agent's settings (CA context, timeout).
    requestTls: { ...connect, timeout: connectMs },
    clientFactory: (proxy: URL, clientOptions: object) => {
      const pool = new PoolImpl(proxy, { ...clientOptions, headersTimeout: connectMs });
      const open = pool.connect.bind(pool) as (params: { path: string }) => Promise<unknown>;
      Object.assign(pool, {
        connect: (params: { path: string }) => open(params).catch((err: unknown) => {
          throw tunnelError(err, proxy, params.path, connectMs);
        }),
      });
      return pool;
    },
  } as EnvHttpProxyAgentType.Options);
}

function tunnelError(err: unknown, proxy: URL, target: string, connectMs: number): ImmutagError {
  const code = (err as { code?: unknown }).code;
  const timedOut = code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_CONNECT_TIMEOUT';
  const what = timedOut ? `did not open a tunnel to ${target} within ${connectMs / 1000} s` : `could not open a tunnel to ${target}`;
  const detail = err instanceof Error ? err.message : String(err);
  return new ImmutagError('REGISTRY_UNREACHABLE', `The proxy ${proxy.origin} (${proxyVariable(proxy)}) ${what} (${String(code ?? 'error')}: ${detail})`, {
    hint: 'The registry was never reached: check that the proxy is up and answers CONNECT, or list the registry in NO_PROXY if it should be reached directly.',
    cause: err,
  });
}

/** Which variable set this proxy, for the message (the URL alone never shows its credentials). */
function proxyVariable(proxy: URL): string {
  const names = ['https_proxy', 'HTTPS_PROXY', 'http_proxy', 'HTTP_PROXY'];
  return names.find((name) => {
    try {
      return new URL(process.env[name] ?? '').origin === proxy.origin;
    } catch {
      return false;
    }
  }) ?? 'proxy settings';
}
