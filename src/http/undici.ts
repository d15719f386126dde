// The parts of undici immutag uses, loaded without undici's index. The index pulls in
// fetch, WebSocket, EventSource, caches and mocks (about 520 KB of the 670 KB CLI
// bundle) and costs ~40 ms of every CLI start, which is a fifth of a whole 20-tag check.
// This does what the index does for the dispatcher API: give dispatchers `request`.
import type { Agent as AgentType, EnvHttpProxyAgent as EnvHttpProxyAgentType } from 'undici';
import AgentImpl from 'undici/lib/dispatcher/agent.js';
import DispatcherImpl from 'undici/lib/dispatcher/dispatcher.js';
import EnvHttpProxyAgentImpl from 'undici/lib/dispatcher/env-http-proxy-agent.js';
import api from 'undici/lib/api/index.js';

export type { Dispatcher } from 'undici';

Object.assign(DispatcherImpl.prototype, api);

export const Agent: typeof AgentType = AgentImpl;
export type Agent = AgentType;
export const EnvHttpProxyAgent: typeof EnvHttpProxyAgentType = EnvHttpProxyAgentImpl;
export type EnvHttpProxyAgent = EnvHttpProxyAgentType;
