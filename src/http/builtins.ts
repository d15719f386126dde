// Node's TLS and HTTP/2 modules, loaded when first used rather than at start-up:
// node:tls costs ~20 ms and node:http2 ~5 ms more on every start, which a plain-HTTP
// registry never needs. (node:http is imported as usual: every run needs it, and the
// build already keeps ESM facades out of the bundle, scripts/build.mjs.)
import type * as Https from 'node:https';
import type * as Http2 from 'node:http2';
import type * as Tls from 'node:tls';

export function nodeHttps(): typeof Https {
  return process.getBuiltinModule('node:https');
}

export function nodeHttp2(): typeof Http2 {
  return process.getBuiltinModule('node:http2');
}

export function nodeTls(): typeof Tls {
  return process.getBuiltinModule('node:tls');
}
