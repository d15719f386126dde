// A chunk answered 416 (the registry's offset for the session is not where our
// Content-Range starts: RANGE_INVALID, distribution's blobupload.go) is a session out of
// step, as BLOB_UPLOAD_INVALID is: the upload should start over in a fresh session (as
// push-blobs.ts does for 5xx, BLOB_UPLOAD_UNKNOWN and BLOB_UPLOAD_INVALID), not fail the
// push, as it did before a review found it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { pushImage } from '../src/registry/push.ts';
import { startFaultProxy } from './support/fault-proxy.ts';
import { inspectDigest } from './support/images.ts';
import { raceImages } from './support/race-images.ts';
import { useRegistry } from './support/registry.ts';
import { refs } from './support/registry-client.ts';
import { virtualClock } from './support/virtual-clock.ts';

const reg = await useRegistry();
const images = raceImages(reg);

test('one chunk answered 416 RANGE_INVALID: the blob is sent again from a fresh session and the push lands', async () => {
  const proxy = await startFaultProxy(reg.url, [{
    method: 'PATCH', path: /\/blobs\/uploads\//, times: 1,
    action: { kind: 'status', status: 416, headers: { range: '0-0' }, body: JSON.stringify({ errors: [{ code: 'RANGE_INVALID', message: 'invalid content range' }] }) },
  }]);
  const { client, logger } = images.client(proxy.host);
  try {
    const outcome = await pushImage({
      client, image: images.a.local, refs: refs(proxy.host, 'review/chunk416:1.0'), logger,
      tuning: { monolithicLimit: 64, chunkSize: 128 }, settle: { clock: virtualClock() },
    }).then((r) => r.pushed, (err: Error & { code?: string }) => `${err.code}: ${err.message}`);
    assert.deepEqual(outcome, { [`${proxy.host}/review/chunk416:1.0`]: 'created' });
    assert.equal(await inspectDigest(reg, 'review/chunk416:1.0'), images.a.local.top.digest);
  } finally {
    await proxy.stop();
  }
});
