// Found by a review, and kept as the record of where tag-write.ts's claim stops: a slow
// writer (C) whose tag PUT lands after another writer (B) passed fails itself
// (TAG_STATE_UNKNOWN, window > S), but its image stays on the tag. A later job with C's
// image (a re-run of C, or any job pushing the same digest) then finds the tag "already
// at our digest", reads it again S later, and passes as 'unchanged': two jobs pushing
// different images to one immutable tag have both passed. Closing it needs a record in the
// registry of which write a passing run vouched for (tag-write.ts, "Where the claim
// stops"); until then C's error must say what happened and that its re-run settles
// nothing, and this test holds it to that. When the gap is closed, A' must fail here.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { pushImage, type PushResult } from '../src/registry/push.ts';
import { startForwardingProxy } from './support/forwarding-proxy.ts';
import { inspectDigest } from './support/images.ts';
import { raceImages } from './support/race-images.ts';
import { useRegistry } from './support/registry.ts';
import { refs } from './support/registry-client.ts';
import { virtualClock } from './support/virtual-clock.ts';

const reg = await useRegistry();
const race = raceImages(reg);

type Outcome = { ok: true; result: PushResult } | { ok: false; err: Error & { code?: string } };
const settled = (p: Promise<PushResult>): Promise<Outcome> => p.then((result) => ({ ok: true, result }), (err: Error) => ({ ok: false, err }));

test('a slow writer lands after B passed: it fails saying a re-run settles nothing, and a re-run does pass as unchanged (the known gap)', async () => {
  const proxy = await startForwardingProxy(reg.url);
  const clock = virtualClock();
  const repoTag = 'race/slow-then-rerun:1.0';
  try {
    const viaProxy = race.client(proxy.host);
    const direct = race.client();
    // C (image a): re-check saw the tag absent, its tag PUT is held by a slow hop.
    const pause = proxy.pauseWhen((method, path) => method === 'PUT' && path.endsWith('/manifests/1.0'));
    const cRun = settled(pushImage({ client: viaProxy.client, image: race.a.local, refs: refs(proxy.host, repoTag), logger: viaProxy.logger, settle: { clock } }));
    await pause.reached;

    // B (image b) writes the tag cleanly, settles, and passes.
    const bOut = await settled(pushImage({ client: direct.client, image: race.b.local, refs: refs(reg.host, repoTag), logger: direct.logger, settle: { clock } }));
    assert.ok(bOut.ok, `B passes: ${bOut.ok ? '' : bOut.err.message}`);
    assert.equal(bOut.result.digest, race.b.local.top.digest);

    // C's PUT lands now; C fails closed (its window is longer than S) but its image is on the tag.
    pause.release();
    const cOut = await cRun;
    assert.ok(!cOut.ok && cOut.err.code === 'TAG_STATE_UNKNOWN', cOut.ok ? 'C passed' : cOut.err.message);
    const now = await inspectDigest(reg, repoTag);

    // A' (image a again: "re-run failed jobs", or another job pushing the same build).
    const again = race.client();
    const aOut = await settled(pushImage({ client: again.client, image: race.a.local, refs: refs(reg.host, repoTag), logger: again.logger, settle: { clock } }));

    // What C says: the tag names its image, another job may own it, and a re-run settles nothing.
    const hint = cOut.ok ? '' : (cOut.err as Error & { hint?: string }).hint ?? '';
    console.log(cOut.ok ? '' : `${cOut.err.message}\n${hint}`);
    assert.match(cOut.ok ? '' : cOut.err.message, /names this job's image, but .*another job was told it owns the tag/);
    assert.match(hint, /a re-run of this job would find the tag at this image and pass as unchanged, which does not settle it/);
    // The tag moved under B (documented in the README: "A write delayed past the settle window").
    assert.equal(now, race.a.local.top.digest);
    // The gap itself: A' passes as unchanged beside B.
    assert.ok(aOut.ok, aOut.ok ? '' : aOut.err.message);
    assert.deepEqual(Object.values(aOut.result.pushed), ['unchanged']);
  } finally {
    await proxy.stop();
  }
});
