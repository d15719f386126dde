// Registry origins are canonical wherever they are compared (origin.ts): a registry
// written `LocalHost:5000` or `registry.example.com:443` gets its credentials, its
// Authorization header and its "absent" like the lowercase, portless spelling.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ImmutagError } from '../src/errors.ts';
import { parseReference } from '../src/reference.ts';
import { staticCredentials } from '../src/registry/auth/credentials.ts';
import { findEntry } from '../src/registry/auth/config-keys.ts';
import { canonicalOrigin, registryKey, sameOrigin } from '../src/registry/origin.ts';
import { InsecureHosts } from '../src/registry/scheme.ts';
import { registryFor } from './support/registry.ts';
import { buildImage, pushImage, removeLayout } from './support/images.ts';
import { clientFor } from './support/registry-client.ts';

test('one canonical origin: lowercase host, default port elided, IPv6 in brackets', () => {
  assert.equal(canonicalOrigin('https', 'Registry.Example.com:443'), 'https://registry.example.com');
  assert.equal(canonicalOrigin('https', 'registry.example.com:80'), 'https://registry.example.com:80');
  assert.equal(canonicalOrigin('http', 'Build-Cache:80'), 'http://build-cache');
  assert.equal(canonicalOrigin('http', '[0:0:0:0:0:0:0:1]:5000'), 'http://[::1]:5000');
  assert.equal(registryKey('GHCR.io:443'), 'ghcr.io');
  assert.throws(() => canonicalOrigin('https', 'user@host'), (e: unknown) => e instanceof ImmutagError && e.code === 'INVALID_INPUT');
});

test('canonical forms are remembered, never a refusal: a bad host is refused every time, and answers hold past the cache size', () => {
  const refused = (e: unknown) => e instanceof ImmutagError && e.code === 'INVALID_INPUT';
  assert.throws(() => canonicalOrigin('https', 'bad host'), refused);
  assert.throws(() => canonicalOrigin('https', 'bad host'), refused, 'a refusal is not remembered as an answer');
  assert.equal(sameOrigin(new URL('https://registry.example.com/v2/'), 'https://Registry.Example.com:443'), true);
  assert.equal(sameOrigin(new URL('https://registry.example.com/v2/'), 'not a url'), false);
  for (let i = 0; i < 3000; i++) assert.equal(canonicalOrigin('https', `Host-${i}.Example:443`), `https://host-${i}.example`);
  assert.equal(registryKey('GHCR.io:443'), 'ghcr.io');
  assert.equal(canonicalOrigin('http', 'Build-Cache:80'), 'http://build-cache', 'the scheme is part of the key');
  assert.equal(canonicalOrigin('https', 'Build-Cache:80'), 'https://build-cache:80');
});

test('insecure-registries, input credentials and config keys compare canonical names', async () => {
  const insecure = new InsecureHosts(['Cache.Local:80', '[0:0::1]:5000']);
  assert.equal(insecure.originFor('cache.local'), 'http://cache.local', 'host:80 is the plain-HTTP host');
  assert.equal(insecure.originFor('CACHE.LOCAL:80'), 'http://cache.local');
  assert.equal(insecure.originFor('[::1]:5000'), 'http://[::1]:5000');
  assert.equal(insecure.originFor('cache.local:8080'), 'https://cache.local:8080');

  const inputs = staticCredentials('u', 'p', ['registry.example.com']);
  assert.equal((await inputs.lookup('Registry.Example.com:443'))?.kind, 'basic');
  assert.equal(await inputs.lookup('registry.example.com:5000'), undefined, 'another port is another registry');

  assert.equal(findEntry(['registry.example.com'], 'Registry.Example.com:443'), 'registry.example.com');
  assert.equal(findEntry(['https://registry.example.com:443/v1/'], 'registry.example.com'), 'https://registry.example.com:443/v1/');
});

test('a registry written in capitals gets its credentials, its Authorization and its "absent"', async (t) => {
  const reg = await registryFor(t, { auth: 'htpasswd' });
  const image = await buildImage();
  const port = new URL(reg.url).port;
  const { client } = clientFor(reg, {
    credentials: staticCredentials(reg.username, reg.password, [`localhost:${port}`]),
    options: { insecureRegistries: [`localhost:${port}`] },
  });
  t.after(async () => {
    await client.close();
    await removeLayout(image);
  });
  const digest = await pushImage(reg, image.ociRef, 'origin/app:1.0');

  const present = await client.manifestState(parseReference(`LocalHost:${port}/origin/app:1.0`));
  const absent = await client.manifestState(parseReference(`LocalHost:${port}/origin/app:2.0`));

  assert.ok(present.kind === 'present', JSON.stringify(present));
  assert.equal(present.digest, digest);
  assert.equal(absent.kind, 'absent', JSON.stringify(absent));
});

test('Docker Hub written in capitals is Docker Hub', () => {
  assert.deepEqual(parseReference('Docker.io/nginx:1.27'), { registry: 'docker.io', repository: 'library/nginx', tag: '1.27' });
  assert.deepEqual(parseReference('INDEX.docker.io/acme/app:1'), { registry: 'docker.io', repository: 'acme/app', tag: '1' });
});
