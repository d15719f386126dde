// Node's network modules, loaded when first used rather than at start-up. Loading
// node:tls costs ~20 ms and node:http2 ~5 ms more on every start, which a plain-HTTP
// registry never needs; and an ESM `import` of node:http builds a facade that reads
// every export, whose lazy `WebSocket` loads Node's internal copy of undici (~30 ms).
// process.getBuiltinModule hands over the module object itself, when asked.
import type * as Http from 'node:http';
import type * as Https from 'node:https';
import type * as Http2 from 'node:http2';
import type * as Tls from 'node:tls';

export function nodeHttp(): typeof Http {
  return process.getBuiltinModule('node:http');
}

export function nodeHttps(): typeof Https {
  return process.getBuiltinModule('node:https');
}

export function nodeHttp2(): typeof Http2 {
  return process.getBuiltinModule('node:http2');
}

export function nodeTls(): typeof Tls {
  return process.getBuiltinModule('node:tls');
}
