// "Absent" and "present" rest on evidence (tag-state.ts): absent only on a 404 that
// the registry itself said — the spec's errors array, labelled with
// Docker-Distribution-Api-Version like the registry's /v2/ — and present only at the
// digest of bytes that were hashed. Something in front of the real registry (the
// fault proxy, playing a gateway, a CDN or a cache) fabricates the rest.
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { checkTags } from '../src/gate.ts';
import { parseReference } from '../src/reference.ts';
import { registryFor } from './support/registry.ts';
import { startFaultProxy, type FaultRule } from './support/fault-proxy.ts';
import { buildImage, pushImage, removeLayout } from './support/images.ts';
import { clientFor, refs } from './support/registry-client.ts';

const MANIFEST = /\/manifests\//;
const LABEL = { 'docker-distribution-api-version': 'registry/2.0' };
const notFound = (body: unknown, headers: Record<string, string> = {}): FaultRule =>
  ({ path: MANIFEST, action: { kind: 'status', status: 404, body: JSON.stringify(body), headers } });

async function setup(t: TestContext) {
  const reg = await registryFor(t);
  const image = await buildImage();
  const other = await buildImage({ files: { 'other.txt': 'another image' } });
  const digest = await pushImage(reg, image.ociRef, 'ev/app:1.0');
  const otherDigest = await pushImage(reg, other.ociRef, 'ev/other:1.0');
  const proxy = await startFaultProxy(reg.url);
  const { client, logger } = clientFor(reg, { via: proxy.host });
  t.after(async () => {
    await client.close();
    await proxy.stop();
    await removeLayout(image);
    await removeLayout(other);
  });
  return { reg, proxy, client, logger, digest, otherDigest };
}

async function stateOf(ctx: Awaited<ReturnType<typeof setup>>, tag: string) {
  return ctx.client.manifestState(parseReference(`${ctx.proxy.host}/${tag}`));
}

test('a gateway 404 that mimics the spec body without the registry\'s label is not "absent": check fails on an existing tag', async (t) => {
  const ctx = await setup(t);
  ctx.proxy.setRules([notFound({ errors: [{ code: 'MANIFEST_UNKNOWN', message: 'manifest unknown' }] })]);

  const gate = await checkTags({ refs: refs(ctx.proxy.host, 'ev/app:1.0'), client: ctx.client, logger: ctx.logger });

  const state = gate.results[0]!.state;
  assert.ok(state.kind === 'unknown', JSON.stringify(state));
  assert.match(state.reason, /Docker-Distribution-Api-Version/);
  assert.match(state.hint, /pull-through cache|gateway/);
  assert.equal(gate.result, 'error');
});

test('a bare {"code":"NOT_FOUND"} gateway body is not "absent"', async (t) => {
  const ctx = await setup(t);
  ctx.proxy.setRules([notFound({ code: 'NOT_FOUND', message: 'ev/app:1.0 not found' }, LABEL)]);
  const state = await stateOf(ctx, 'ev/app:1.0');
  assert.ok(state.kind === 'unknown', JSON.stringify(state));
  assert.match(state.reason, /errors body/);
});

test('the registry\'s own labelled errors array is "absent", and Harbor\'s NOT_FOUND naming the tag or a missing repository too', async (t) => {
  const ctx = await setup(t);
  assert.equal((await stateOf(ctx, 'ev/app:new')).kind, 'absent', 'the real registry, untouched');
  assert.equal((await stateOf(ctx, 'ev/nothing:new')).kind, 'absent', 'a repository that does not exist');

  // Harbor's core answers missing artifacts from its database, without the label.
  ctx.proxy.setRules([notFound({ errors: [{ code: 'NOT_FOUND', message: 'artifact ev/app:new not found' }] })]);
  assert.equal((await stateOf(ctx, 'ev/app:new')).kind, 'absent');
  ctx.proxy.setRules([notFound({ errors: [{ code: 'NOT_FOUND', message: 'not found' }] })]);
  assert.equal((await stateOf(ctx, 'ev/app:new')).kind, 'unknown', 'a NOT_FOUND that names nothing we asked about');
  ctx.proxy.setRules([notFound({ errors: [{ code: 'NOT_FOUND', message: 'repository ev/app not found' }] })]);
  assert.equal((await stateOf(ctx, 'ev/app:new')).kind, 'absent', 'no repository, so no tag in it');
  ctx.proxy.setRules([notFound({ errors: [{ code: 'NOT_FOUND', message: 'artifact ev/app:other not found' }] })]);
  assert.equal((await stateOf(ctx, 'ev/app:new')).kind, 'unknown', 'a NOT_FOUND about another tag of the repository says nothing of this one');
  ctx.proxy.setRules([notFound({ errors: [{ code: 'NOT_FOUND', message: 'artifact ev/app not found' }] })]);
  assert.equal((await stateOf(ctx, 'ev/app:new')).kind, 'unknown', 'an artifact message must name the tag');
});

test('a registry whose /v2/ carries no label is judged by its errors array alone', async (t) => {
  const ctx = await setup(t);
  ctx.proxy.setRules([{ action: { kind: 'strip-headers', headers: ['docker-distribution-api-version'] } }]);
  assert.equal((await stateOf(ctx, 'ev/app:new')).kind, 'absent');
  assert.equal((await stateOf(ctx, 'ev/app:1.0')).kind, 'present');
});

test('existence is asked with one GET carrying Cache-Control: no-cache', async (t) => {
  const ctx = await setup(t);
  await stateOf(ctx, 'ev/app:1.0');
  await stateOf(ctx, 'ev/app:new');
  const manifestRequests = ctx.proxy.seen.filter((s) => MANIFEST.test(s.path));
  assert.deepEqual(manifestRequests.map((s) => [s.method, s.cacheControl]), [['GET', 'no-cache'], ['GET', 'no-cache']]);
});

test('a Docker-Content-Digest header naming the digest we expect does not make "same": the bytes decide', async (t) => {
  const ctx = await setup(t);
  // A cache answers ev/app:1.0 with a header claiming the other image's digest.
  ctx.proxy.setRules([{ path: MANIFEST, action: { kind: 'set-headers', headers: { 'docker-content-digest': ctx.otherDigest } } }]);

  const gate = await checkTags({ refs: refs(ctx.proxy.host, 'ev/app:1.0'), client: ctx.client, logger: ctx.logger, expectedDigest: ctx.otherDigest });

  const result = gate.results[0]!;
  assert.notEqual(result.verdict, 'same');
  assert.ok(result.state.kind === 'unknown', JSON.stringify(result.state));
  assert.equal(result.state.code, 'DIGEST_MISMATCH');
  assert.match(result.state.reason, new RegExp(`Docker-Content-Digest header's claim\\): expected digest ${ctx.otherDigest} but the content hashes to ${ctx.digest}`));
  assert.notEqual(gate.result, 'pass');
});

test('a registry that names its manifests by sha512 does not make a tag at our sha256 digest read as another image', async (t) => {
  const ctx = await setup(t);
  const { bytes } = await ctx.client.getManifest(parseReference(`${ctx.proxy.host}/ev/app:1.0`));
  // The spec lets a registry use another algorithm; its header is checked in that algorithm.
  const sha512 = `sha512:${createHash('sha512').update(bytes).digest('hex')}`;
  ctx.proxy.setRules([{ path: MANIFEST, action: { kind: 'set-headers', headers: { 'docker-content-digest': sha512 } } }]);

  const gate = await checkTags({ refs: refs(ctx.proxy.host, 'ev/app:1.0'), client: ctx.client, logger: ctx.logger, expectedDigest: ctx.digest });
  const result = gate.results[0]!;
  assert.ok(result.state.kind === 'present', JSON.stringify(result.state));
  assert.equal(result.state.digest, ctx.digest, 'the tag is named by the sha256 of its bytes, the algorithm of the image it is compared with');
  assert.equal(result.verdict, 'same');
  assert.equal(gate.result, 'pass');

  // A sha512 header that the bytes do not hash to is still a mismatch.
  const wrong = `sha512:${'0'.repeat(128)}`;
  ctx.proxy.setRules([{ path: MANIFEST, action: { kind: 'set-headers', headers: { 'docker-content-digest': wrong } } }]);
  const lied = await stateOf(ctx, 'ev/app:1.0');
  assert.ok(lied.kind === 'unknown', JSON.stringify(lied));
  assert.equal(lied.code, 'DIGEST_MISMATCH');
});

test('present is the digest of the bytes read', async (t) => {
  const ctx = await setup(t);
  ctx.proxy.setRules([{ path: MANIFEST, action: { kind: 'strip-headers', headers: ['docker-content-digest', 'content-length'] } }]);
  const state = await stateOf(ctx, 'ev/app:1.0');
  assert.ok(state.kind === 'present', JSON.stringify(state));
  assert.equal(state.digest, ctx.digest);
});

