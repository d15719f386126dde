// What @actions/http-client and @actions/github import from undici, served by the
// undici 7 immutag bundles. Both packages pin their own undici 6 and import its
// index, which put two whole copies of it (~430 KB each, 83% of the Action bundle) in
// dist/index.js for two names: `ProxyAgent` (the runner's HTTPS_PROXY) and `fetch`
// (octokit's transport). scripts/build.mjs points their `undici` imports here.
//
// Both load on first use. @actions/core imports the http client at start-up (for
// OIDC tokens), and evaluating undici's dispatchers and its WebAssembly parser then
// cost ~40 ms of every Action start that never posts a comment. `fetch` is Node's own
// (undici 7 inside Node 24, itself loaded when first read), which takes the
// `dispatcher` option @actions/github passes: a ProxyAgent from here behind a proxy,
// undefined otherwise.
import { createRequire } from 'node:module';
import type { ProxyAgent as ProxyAgentClass } from 'undici';

let proxyAgentClass: typeof ProxyAgentClass | undefined;

// In the bundle, `require` of a literal path is esbuild's: the module is bundled and
// evaluated at that call, not when the bundle loads. Run from source (the tests), an
// ES module has no `require`, and Node's own loads the same files.
const sourceRequire = typeof require === 'function' ? undefined : createRequire(import.meta.url);

function loadProxyAgent(): typeof ProxyAgentClass {
  if (proxyAgentClass !== undefined) return proxyAgentClass;
  if (sourceRequire === undefined) {
    require('./undici.ts'); // gives dispatchers their `request` API, as undici's index does
    proxyAgentClass = require('undici/lib/dispatcher/proxy-agent.js') as typeof ProxyAgentClass;
  } else {
    sourceRequire('./undici.ts');
    proxyAgentClass = sourceRequire('undici/lib/dispatcher/proxy-agent.js') as typeof ProxyAgentClass;
  }
  return proxyAgentClass;
}

/** `new ProxyAgent(options)` builds undici's own ProxyAgent, loading it then. */
export const ProxyAgent = function ProxyAgent(options: ProxyAgentClass.Options | string) {
  return new (loadProxyAgent())(options);
} as unknown as typeof ProxyAgentClass;

export const fetch: typeof globalThis.fetch = (input, init) => globalThis.fetch(input, init);
