// The part of undici's index the Action's GitHub client needs (actions-undici.ts):
// dispatchers get their `request` API, as undici's index gives them, without loading
// the index (fetch, WebSocket, EventSource, caches and mocks: ~520 KB). Registry and
// OSV requests do not use undici at all (transport.ts).
import DispatcherImpl from 'undici/lib/dispatcher/dispatcher.js';
import api from 'undici/lib/api/index.js';

Object.assign(DispatcherImpl.prototype, api);
