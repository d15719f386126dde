// Loopback registries (localhost, 127.0.0.0/8, [::1]) not listed as insecure: HTTPS
// first, plain HTTP when what answers does not speak TLS (scheme.ts), as Docker and
// crane do. A loopback registry that does serve TLS is used over TLS, and a
// certificate it cannot prove stays an error rather than a reason to drop TLS.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { getCACertificates, setDefaultCACertificates } from 'node:tls';
import { parseReference } from '../src/reference.ts';
import { InsecureHosts } from '../src/registry/scheme.ts';
import { registryFor } from './support/registry.ts';
import { buildImage, pushImage, removeLayout } from './support/images.ts';
import { clientFor } from './support/registry-client.ts';

test('which hosts may fall back to plain HTTP: loopback ones not listed, nothing else', () => {
  const insecure = new InsecureHosts(['127.0.0.1:5000']);
  for (const host of ['localhost:5000', 'LOCALHOST', '127.0.0.1:5001', '127.1.2.3', '[::1]:5000', '[0:0:0:0:0:0:0:1]']) {
    assert.equal(insecure.fallsBackToPlainHttp(host), true, host);
    assert.equal(insecure.schemeFor(host), 'https', `${host}: HTTPS first`);
  }
  for (const host of ['127.0.0.1:5000', 'registry.example.com', '10.0.0.1:5000', '[::ffff:7f00:1]:5000', 'localhost.example.com']) {
    assert.equal(insecure.fallsBackToPlainHttp(host), false, host);
  }
});

test('a plain-HTTP registry on loopback answers without being listed, under 127.0.0.1 and localhost', async (t) => {
  const reg = await registryFor(t, { auth: 'htpasswd' });
  const image = await buildImage();
  const { client } = clientFor(reg, { options: { insecureRegistries: [] } });
  t.after(async () => {
    await client.close();
    await removeLayout(image);
  });
  const digest = await pushImage(reg, image.ociRef, 'loop/app:1.0');
  const port = new URL(reg.url).port;

  for (const host of [`127.0.0.1:${port}`, `localhost:${port}`]) {
    const present = await client.manifestState(parseReference(`${host}/loop/app:1.0`));
    const absent = await client.manifestState(parseReference(`${host}/loop/app:2.0`));
    assert.ok(present.kind === 'present' && present.digest === digest, `${host}: ${JSON.stringify(present)}`);
    assert.equal(absent.kind, 'absent', `${host}: ${JSON.stringify(absent)}`);
  }
});

test('a TLS registry on loopback: its certificate must still be proven, then TLS is used', async (t) => {
  const reg = await registryFor(t, { tls: true });
  const image = await buildImage();
  t.after(async () => {
    await removeLayout(image);
  });
  const digest = await pushImage(reg, image.ociRef, 'loop/tls:1.0');
  const ref = parseReference(`${reg.host}/loop/tls:1.0`);

  const untrusting = clientFor(reg, { options: { insecureRegistries: [] } }).client;
  const refused = await untrusting.manifestState(ref);
  await untrusting.close();
  assert.ok(refused.kind === 'unknown' && refused.code === 'REGISTRY_UNREACHABLE', JSON.stringify(refused));
  assert.match(refused.reason, /TLS certificate of 127\.0\.0\.1:\d+ was not accepted/);

  // As NODE_EXTRA_CA_CERTS would at startup: clients made from here on trust the test CA.
  setDefaultCACertificates([...getCACertificates('default'), await readFile(reg.caFile!, 'utf8')]);
  const trusting = clientFor(reg, { options: { insecureRegistries: [] } }).client;
  t.after(() => trusting.close());
  const present = await trusting.manifestState(ref);
  assert.ok(present.kind === 'present' && present.digest === digest, JSON.stringify(present));
});
