// Found by a review, fixed since: a tag PUT answered with a refusal (a 4xx that is not
// "auth" and not "protected") is left to a read (tag-write.ts step 2), since the registry
// may have applied the write and refused it anyway. When that read failed too (the
// registry answered 503 to it), the run said "the tag was not written" while the tag named
// this run's image. A read that cannot tell now leaves the tag unknown and perhaps written
// (UnconfirmedWriteError, TAG_STATE_UNKNOWN), as after a PUT that got no answer.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { pushImage } from '../src/registry/push.ts';
import { UnconfirmedWriteError } from '../src/errors.ts';
import { startFaultProxy, type FaultProxy } from './support/fault-proxy.ts';
import { inspectDigest, pushImage as skopeoPush } from './support/images.ts';
import { raceImages } from './support/race-images.ts';
import { useRegistry } from './support/registry.ts';
import { refs } from './support/registry-client.ts';
import { virtualClock } from './support/virtual-clock.ts';

const reg = await useRegistry();
const images = raceImages(reg);

test('a refused tag PUT that landed, whose read-back fails: never reported as "the tag was not written"', { timeout: 120_000 }, async () => {
  const { a } = images;
  const repo = 'review/refused-unread';
  let proxy!: FaultProxy;
  proxy = await startFaultProxy(reg.url, [{
    method: 'PUT', path: /\/manifests\/1\.0$/, times: 1,
    during: async () => {
      // The write lands (the same manifest, by the same bytes)…
      await skopeoPush(reg, a.built.ociRef, `${repo}:1.0`);
      // …and from now on the registry fails every read of the tag.
      proxy.setRules([{ method: 'GET', path: /\/manifests\/1\.0$/, action: { kind: 'status', status: 503 } }]);
    },
    // …but the answer that comes back is a refusal (a gateway's 400 after forwarding).
    action: { kind: 'status', status: 400, body: JSON.stringify({ errors: [{ code: 'MANIFEST_INVALID', message: 'manifest invalid' }] }) },
  }]);
  const { client, logger } = images.client(proxy.host);
  try {
    const outcome = await pushImage({ client, image: a.local, refs: refs(proxy.host, `${repo}:1.0`), logger, settle: { clock: virtualClock() } })
      .then(() => undefined, (err: Error & { code?: string; failure?: unknown }) => err);
    assert.equal(await inspectDigest(reg, `${repo}:1.0`), a.local.top.digest, 'the tag names this run\'s own image');
    assert.ok(outcome !== undefined, 'the run cannot pass: the tag could not be read back');
    assert.doesNotMatch(outcome.message, /the tag was not written/, `the run says the tag was not written, but it names ${a.local.top.digest}`);
    assert.ok(outcome.failure instanceof UnconfirmedWriteError, `the failure says the tag may have been written: ${outcome.code} ${outcome.message}`);
    assert.equal(outcome.code, 'TAG_STATE_UNKNOWN');
    assert.match(outcome.message, /may have been written: the registry refused the write \(HTTP 400/, 'the message says both: perhaps written, and refused');
  } finally {
    await proxy.stop();
  }
});
