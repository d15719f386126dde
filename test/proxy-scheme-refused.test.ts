// Found by a review: HTTPS_PROXY=socks5://… was taken for an HTTP proxy, and the message
// named it "The proxy null (HTTPS_PROXY)". A proxy that is not HTTP(S) is refused by name.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ImmutagError } from '../src/errors.ts';
import { proxyFor } from '../src/http/proxy-env.ts';

test('a SOCKS proxy in HTTPS_PROXY is refused, naming its scheme and the variable, never "null"', () => {
  for (const value of ['socks5://127.0.0.1:1080', 'socks5h://user:s3cret-pass@proxy:1080']) {
    assert.throws(() => proxyFor(new URL('https://registry.example.com/v2/'), { HTTPS_PROXY: value }), (e: unknown) => {
      assert.ok(e instanceof ImmutagError);
      assert.equal(e.code, 'INVALID_INPUT');
      assert.match(e.message, /^HTTPS_PROXY names a socks5h? proxy; immutag reaches registries through HTTP\(S\) proxies \(CONNECT\) only$/);
      assert.doesNotMatch(`${e.message} ${e.hint}`, /null|s3cret/);
      return true;
    });
  }
});
