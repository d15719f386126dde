// OCI manifests, Docker schema 2 manifests and multi-platform indexes: the gate
// reports each at the digest the registry serves, with its media type, and the
// verified read returns bytes that hash to it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { digestOf } from '../src/digest.ts';
import { ImmutagError } from '../src/errors.ts';
import { MANIFEST_ACCEPT, MediaType } from '../src/oci.ts';
import { parseReference } from '../src/reference.ts';
import { discard } from '../src/registry/body.ts';
import { registryFor } from './support/registry.ts';
import { buildImage, buildIndex, inspectDigest, pushImage, removeLayout } from './support/images.ts';
import { clientFor } from './support/registry-client.ts';

test('OCI manifest, Docker schema 2 and OCI index: present at the served digest, with the right media type', async (t) => {
  const reg = await registryFor(t, { auth: 'token' });
  const single = await buildImage();
  const multi = await buildIndex({ arches: ['amd64', 'arm64'] });
  const { client } = clientFor(reg);
  t.after(async () => {
    await client.close();
    await removeLayout(single);
    await removeLayout(multi);
  });
  const pushed = {
    oci: await pushImage(reg, single.ociRef, 'types/app:oci'),
    v2s2: await pushImage(reg, single.ociRef, 'types/app:v2s2', { format: 'v2s2' }),
    index: await pushImage(reg, multi.ociRef, 'types/app:index', { all: true }),
  };
  const cases: Array<[keyof typeof pushed, string]> = [
    ['oci', MediaType.ociManifest],
    ['v2s2', MediaType.dockerManifest],
    ['index', MediaType.ociIndex],
  ];
  for (const [tag, mediaType] of cases) {
    const ref = parseReference(`${reg.host}/types/app:${tag}`);
    const state = await client.manifestState(ref);
    assert.ok(state.kind === 'present', tag);
    assert.equal(state.digest, pushed[tag], tag);
    assert.equal(state.digest, await inspectDigest(reg, `types/app:${tag}`), tag);
    assert.equal(state.mediaType, mediaType, tag);

    const manifest = await client.getManifest(ref);
    assert.equal(manifest.digest, pushed[tag]);
    assert.equal(digestOf(manifest.bytes), pushed[tag]);
    assert.equal(manifest.mediaType, mediaType);
    assert.equal(manifest.size, state.size);
    const byDigest = await client.getManifest({ ...ref, digest: pushed[tag] });
    assert.deepEqual(byDigest.bytes, manifest.bytes);
  }
  assert.notEqual(pushed.oci, pushed.v2s2);
});

test('the Accept pitfall: without the OCI types this registry answers a false 404; immutag asks for all', async (t) => {
  const reg = await registryFor(t);
  const image = await buildImage();
  const { client } = clientFor(reg);
  t.after(async () => {
    await client.close();
    await removeLayout(image);
  });
  await pushImage(reg, image.ociRef, 'pitfall/app:1.0');
  const dockerOnly = await client.transport.fetch({
    registry: reg.host, repository: 'pitfall/app', method: 'GET', path: '/v2/pitfall/app/manifests/1.0',
    scopes: [], headers: { accept: MediaType.dockerManifest },
  }, 65536);
  assert.equal(dockerOnly.status, 404);
  assert.match(dockerOnly.body.toString(), /accept header/i);
  assert.ok(MANIFEST_ACCEPT.includes(MediaType.ociManifest) && MANIFEST_ACCEPT.includes(MediaType.ociIndex));
  const head = await client.transport.request({
    registry: reg.host, repository: 'pitfall/app', method: 'HEAD', path: '/v2/pitfall/app/manifests/1.0',
    scopes: [], headers: { accept: MANIFEST_ACCEPT },
  });
  await discard(head.body);
  assert.equal(head.status, 200);
  assert.equal((await client.manifestState(parseReference(`${reg.host}/pitfall/app:1.0`))).kind, 'present');
});

test('getManifest of a missing tag or digest is IMAGE_NOT_FOUND', async (t) => {
  const reg = await registryFor(t);
  const image = await buildImage();
  const { client } = clientFor(reg);
  t.after(async () => {
    await client.close();
    await removeLayout(image);
  });
  await pushImage(reg, image.ociRef, 'get/app:1.0');
  await assert.rejects(client.getManifest(parseReference(`${reg.host}/get/app:2.0`)),
    (e: unknown) => e instanceof ImmutagError && e.code === 'IMAGE_NOT_FOUND' && /MANIFEST_UNKNOWN/.test(e.message));
  await assert.rejects(client.getManifest(parseReference(`${reg.host}/get/app@sha256:${'0'.repeat(64)}`)),
    (e: unknown) => e instanceof ImmutagError && e.code === 'IMAGE_NOT_FOUND');
});
