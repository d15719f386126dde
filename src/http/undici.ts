// The parts of undici immutag uses, loaded without undici's index. The index pulls in
// fetch, WebSocket, EventSource, caches and mocks (about 520 KB of the 670 KB CLI
// bundle) and costs ~40 ms of every CLI start, which is a fifth of a whole 20-tag check.
// This does what the index does for the dispatcher API: give dispatchers `request`.
import type { Agent as AgentType, EnvHttpProxyAgent as EnvHttpProxyAgentType } from 'undici';
import AgentImpl from 'undici/lib/dispatcher/agent.js';
import ClientImpl from 'undici/lib/dispatcher/client.js';
import PoolImpl from 'undici/lib/dispatcher/pool.js';
import DispatcherImpl from 'undici/lib/dispatcher/dispatcher.js';
import EnvHttpProxyAgentImpl from 'undici/lib/dispatcher/env-http-proxy-agent.js';
import api from 'undici/lib/api/index.js';

export type { Dispatcher } from 'undici';

Object.assign(DispatcherImpl.prototype, api);

export const Agent: typeof AgentType = AgentImpl;
export type Agent = AgentType;
export const EnvHttpProxyAgent: typeof EnvHttpProxyAgentType = EnvHttpProxyAgentImpl;
export type EnvHttpProxyAgent = EnvHttpProxyAgentType;

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
 * connection per request in flight even over HTTP/2. The protocol is known only once a
 * connection is up, so the limit is raised there, on h2 alone. (Leaving it unset instead
 * changes undici's HTTP/1.1 behaviour: it then closes every connection.)
 */
export function h2MultiplexingAgent(options: AgentType.Options): AgentType {
  return new AgentImpl({
    ...options,
    factory: (origin, poolOptions) => new PoolImpl(origin, {
      ...poolOptions,
      factory: (o, clientOptions) => {
        const client = new ClientImpl(o, clientOptions);
        client.on('connect', () => {
          if (protocolOf(client) === 'h2' && client.pipelining !== H2_STREAMS_PER_CONNECTION) {
            client.pipelining = H2_STREAMS_PER_CONNECTION;
          } else if (protocolOf(client) !== 'h2' && client.pipelining !== 1) {
            client.pipelining = 1;
          }
        });
        return client;
      },
    }),
  });
}

/** The connection's protocol, from undici's own per-connection context (`h1` or `h2`). */
function protocolOf(client: object): string | undefined {
  const key = Object.getOwnPropertySymbols(client).find((s) => s.description === 'http context');
  const context = key === undefined ? undefined : (client as Record<symbol, { version?: string } | null>)[key];
  return context?.version;
}

