// Found by a review: proxyCredentials (http/proxy-env.ts) registered a proxy password only
// when the variable parses as a WHATWG URL. A password pasted without percent-encoding
// that holds `/`, `?` or `#` (HTTPS_PROXY=http://proxyuser:pr0xy/s3cret@proxy:3128) does
// not parse (the authority ends at the `/`, "pr0xy" becomes a port), so nothing is
// registered. The registry is in NO_PROXY, so immutag itself never reads the variable
// and never fails on it - but a Go scanner does: Go's net/url quotes the whole raw URL in
// its parse error (`invalid proxy address "http://proxyuser:pr0xy/s3cret@…": parse "…":
// invalid port ":pr0xy" after host`, golang/go#53993), and immutag relays the scanner's
// stderr. The password reaches stderr and --json unmasked.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { useRegistry } from './support/registry.ts';
import { buildImage, removeLayout, type BuiltImage } from './support/images.ts';
import { runCli } from './support/action-runner.ts';

const reg = await useRegistry({ auth: 'token', tls: true });
let image: BuiltImage;

before(async () => {
  image = await buildImage();
});

after(async () => {
  await removeLayout(image);
});

test('a proxy password the URL parser cannot read (an unescaped "/") is still masked when a Go scanner quotes the variable', async () => {
  const { fakeScanner } = await import('./support/fake-scanner.ts');
  const password = 'pr0xy/s3cret';
  const proxy = `http://proxyuser:${password}@127.0.0.1:9`;
  // What Go prints for that variable (net/http/httpproxy parseProxy, net/url url.Error).
  const goError = `invalid proxy address "${proxy}": parse "${proxy}": invalid port ":pr0xy" after host`;
  const fake = await fakeScanner('grype', { exit: 1, stderr: `1 error occurred: ${goError}` });
  try {
    const r = await runCli(['push', '--image', image.layout, `${reg.host}/cli/proxied-raw:1.0`, '--username', reg.username, '--no-push', '--scan', 'grype', '--json'],
      { NODE_EXTRA_CA_CERTS: reg.caFile!, IMMUTAG_PASSWORD: reg.password, ...fake.env, HTTPS_PROXY: proxy, NO_PROXY: '127.0.0.1' });
    assert.equal(r.code, 2, r.stderr);
    assert.match(r.stderr, /grype exited with code 1/);
    for (const part of [password, 'pr0xy']) {
      assert.ok(!r.stderr.includes(part) && !r.stdout.includes(part), `the proxy password (${part}) leaks:\n${r.stderr.split('\n').filter((l) => l.includes(part)).join('\n')}`);
    }
  } finally {
    await fake.cleanup();
  }
});

test('a proxy password starting with digits and holding "/" is read as the proxy\'s port: immutag\'s own error then prints that part of it', { timeout: 30_000 }, async (t) => {
  const { RegistryClient } = await import('../src/registry/client.ts');
  const { MemoryLogger } = await import('../src/log.ts');
  const { noCredentials } = await import('../src/registry/auth/credentials.ts');
  const { proxyCredentials } = await import('../src/http/proxy-env.ts');
  const { registerSecret, scrub } = await import('../src/secrets.ts');
  const { parseReference } = await import('../src/reference.ts');
  const vars = ['HTTPS_PROXY', 'https_proxy', 'HTTP_PROXY', 'http_proxy', 'NO_PROXY', 'no_proxy'];
  const saved = vars.map((n) => [n, process.env[n]] as const);
  for (const n of vars) delete process.env[n];
  const password = '2024/Summer';
  process.env['HTTPS_PROXY'] = `http://proxyuser:${password}@proxy.invalid:3128`;
  // What cli.ts and main.ts do at start.
  for (const s of proxyCredentials(process.env)) registerSecret(s);
  const client = new RegistryClient({ logger: new MemoryLogger(), credentials: noCredentials, retry: { maxAttempts: 1 } });
  t.after(async () => {
    await client.close();
    for (const [n, v] of saved) if (v === undefined) delete process.env[n]; else process.env[n] = v;
  });
  const state = await client.manifestState(parseReference('registry.example.com/acme/api:1.0'));
  const shown = state.kind === 'unknown' ? scrub(`${state.reason} ${state.hint}`) : '';
  assert.ok(!shown.includes('proxyuser:2024'), `the first part of the proxy password is printed as the proxy's port: ${shown}`);
});
