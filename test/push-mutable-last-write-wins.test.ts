// Another passing job moves `latest` between this job's latest PUT and its read-back.
// Job A pushes [1.0, latest]: 1.0 is written and settled, then latest is written; job B
// (another release, its own version tag settled) writes latest in between. A mutable
// tag holds no claim and B's is the last write, which wins: A passes, and says so.
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

test('another passing job moves latest right after this job wrote it: last write wins, this job still passes', async () => {
  const proxyA = await startForwardingProxy(reg.url);
  try {
    const viaA = race.client(proxyA.host);
    const direct = race.client();
    // Hold A's first read of latest after its latest PUT (the read-back).
    let putSeen = false;
    const hold = proxyA.pauseWhen((method, path) => {
      if (!path.endsWith('/manifests/latest')) return false;
      if (method === 'PUT') { putSeen = true; return false; }
      return putSeen;
    });
    void hold.reached.then(async () => {
      // Job B: its own release 1.1 and latest, both written and settled.
      await pushImage({
        client: direct.client, image: race.b.local, refs: refs(reg.host, 'race/readback:1.1', 'race/readback:latest'),
        mutablePatterns: ['latest'], logger: direct.logger, settle: { clock: virtualClock() },
      });
      hold.release();
    });
    let result: PushResult | undefined;
    let failure: (Error & { code?: string }) | undefined;
    try {
      result = await pushImage({
        client: viaA.client, image: race.a.local, refs: refs(proxyA.host, 'race/readback:1.0', 'race/readback:latest'),
        mutablePatterns: ['latest'], logger: viaA.logger, settle: { clock: virtualClock() },
      });
    } catch (err) {
      failure = err as Error & { code?: string };
    }
    assert.equal(await inspectDigest(reg, 'race/readback:1.0'), race.a.local.top.digest, '1.0 is A\'s and settled');
    assert.equal(await inspectDigest(reg, 'race/readback:latest'), race.b.local.top.digest, 'the last write (B\'s) wins');
    assert.equal(failure, undefined, `A passed the settle read of 1.0 and only lost a mutable tag to a later writer, yet failed: ${failure?.code}: ${failure?.message}`);
    assert.ok(result);
    assert.equal(result.pushed[`${proxyA.host}/race/readback:latest`], 'created', 'what A did');
    const warned = viaA.logger.lines.filter((l) => l.includes('race/readback:latest') && l.includes('last write wins'));
    assert.equal(warned.length, 1, viaA.logger.lines.join('\n'));
    assert.match(warned[0]!, new RegExp(`^warning: .*now points at ${race.b.local.top.digest}`));
  } finally {
    await proxyA.stop();
  }
});
