// A registry with its own tag immutability (ECR, Harbor, Docker Hub) refuses our tag PUT
// because another job of the SAME image wrote the tag between our re-check and our PUT
// (a re-run started while the first run was still pushing, two workflows building the
// same commit reproducibly). The tag then names this run's own image: at the re-check that
// is 'unchanged' (tag-write.ts step 1), but after a refusal immutag reported TAG_EXISTS,
// "already exists … bump the version" (found by a review). A refusal is now left to a
// read, as an unanswered PUT is: at our digest the tag counts as landed, held to the
// window and the settle read like any write of ours.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { pushImage } from '../src/registry/push.ts';
import { startFaultProxy } from './support/fault-proxy.ts';
import { inspectDigest, pushImage as skopeoPush } from './support/images.ts';
import { raceImages } from './support/race-images.ts';
import { useRegistry } from './support/registry.ts';
import { refs } from './support/registry-client.ts';
import { virtualClock } from './support/virtual-clock.ts';

const reg = await useRegistry();
const images = raceImages(reg);

test('an immutable-tag registry refuses our PUT because a job of the same image just wrote the tag: the tag is ours, not TAG_EXISTS', async () => {
  const { a } = images;
  const repo = 'review/refused-same';
  const proxy = await startFaultProxy(reg.url, [{
    method: 'PUT', path: /\/manifests\/1\.0$/, times: 1,
    // The other job (same image) lands just before our PUT reaches the registry…
    during: async () => void await skopeoPush(reg, a.built.ociRef, `${repo}:1.0`),
    // …so the registry's immutability refuses ours, in ECR's words.
    action: { kind: 'status', status: 400, body: JSON.stringify({ errors: [{ code: 'TAG_INVALID', message: `The image tag '1.0' already exists in the '${repo}' repository and cannot be overwritten because the tag is immutable.` }] }) },
  }]);
  const { client, logger } = images.client(proxy.host);
  try {
    const outcome = await pushImage({ client, image: a.local, refs: refs(proxy.host, `${repo}:1.0`), logger, settle: { clock: virtualClock() } })
      .then((r) => ({ ok: true as const, pushed: r.pushed }), (err: Error & { code?: string }) => ({ ok: false as const, code: err.code, message: err.message }));
    assert.equal(await inspectDigest(reg, `${repo}:1.0`), a.local.top.digest, 'the tag names this run\'s own image');
    assert.ok(outcome.ok, `the run failed although the tag names its own image: ${JSON.stringify(outcome)}`);
    assert.deepEqual(Object.values(outcome.pushed), ['unchanged']);
  } finally {
    await proxy.stop();
  }
});

test('a refused tag PUT that the registry applied anyway (the tag reads back at our digest): never reported as "not written"', async () => {
  const { a } = images;
  const repo = 'review/refused-applied';
  const proxy = await startFaultProxy(reg.url, [{
    method: 'PUT', path: /\/manifests\/1\.0$/, times: 1,
    // The write lands (here: the same manifest, by the same bytes)…
    during: async () => void await skopeoPush(reg, a.built.ociRef, `${repo}:1.0`),
    // …but the answer that comes back is a refusal (a gateway's 400 after forwarding).
    action: { kind: 'status', status: 400, body: JSON.stringify({ errors: [{ code: 'MANIFEST_INVALID', message: 'manifest invalid' }] }) },
  }]);
  const { client, logger } = images.client(proxy.host);
  try {
    const outcome = await pushImage({ client, image: a.local, refs: refs(proxy.host, `${repo}:1.0`), logger, settle: { clock: virtualClock() } })
      .then(() => undefined, (err: Error & { code?: string }) => err);
    assert.equal(await inspectDigest(reg, `${repo}:1.0`), a.local.top.digest, 'the tag names this run\'s own image');
    if (outcome !== undefined) assert.doesNotMatch(outcome.message, /the tag was not written/, `the run says the tag was not written, but it names ${a.local.top.digest}`);
  } finally {
    await proxy.stop();
  }
});
