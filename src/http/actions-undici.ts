// What @actions/http-client and @actions/github import from undici, served by the
// undici 7 immutag already bundles. Both packages pin their own undici 6 and import its
// index, which put two whole copies of it (~430 KB each, 83% of the Action bundle) in
// dist/index.js for two names: `ProxyAgent` (the runner's HTTPS_PROXY) and `fetch`
// (octokit's transport). scripts/build.mjs points their `undici` imports here.
//
// `fetch` is Node's own (undici 7 inside Node 24), which takes the `dispatcher` option
// @actions/github passes: a ProxyAgent from here behind a proxy, undefined otherwise.
import ProxyAgentImpl from 'undici/lib/dispatcher/proxy-agent.js';
import './undici.ts'; // gives dispatchers their `request` API, as undici's index does

export const ProxyAgent = ProxyAgentImpl;
export const fetch = globalThis.fetch;
