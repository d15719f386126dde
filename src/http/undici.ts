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
 * An Agent whose connections carry as many requests at once as their protocol allows:
 * one on HTTP/1.1 (no pipelining, exactly as undici's default), many on HTTP/2. undici
 * has those per-protocol defaults but a client's own `pipelining`, always set to 1 by
 * its constructor, overrides them; unsetting it lets the protocol decide once the
 * connection is up. The streams in flight stay bounded by immutag's own pools (8 tag
 * checks, 4 uploads), far under any server's SETTINGS_MAX_CONCURRENT_STREAMS.
 */
export function multiplexingAgent(options: AgentType.Options): AgentType {
  return new AgentImpl({
    ...options,
    factory: (origin, poolOptions) => new PoolImpl(origin, {
      ...poolOptions,
      factory: (o, clientOptions) => {
        const client = new ClientImpl(o, clientOptions);
        (client as { pipelining?: number }).pipelining = undefined;
        return client;
      },
    }),
  });
}

