// A job that loses the race for an immutable tag must not have moved the run's
// mutable tags. Two jobs push [1.0, latest] with latest mutable: B's 1.0 PUT lands
// after A's, inside B's window, so A's settle read finds 1.0 at B's image and A
// fails; B passes. Had A written latest before its settle read, and its latest PUT
// landed after B's (ordinary jitter between two runners), latest would name the image
// of the job that failed, one no immutable tag names and no passing check vouched for.
// The proxies make that interleaving happen whenever the code allows it: A's latest
// PUT, if A ever sends one, is held until B has written latest.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PartialPushError } from '../src/errors.ts';
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

test('two jobs race for [1.0, latest]: the loser never moves latest, so latest names the winner\'s image', async () => {
  const proxyA = await startForwardingProxy(reg.url);
  const proxyB = await startForwardingProxy(reg.url);
  try {
    const viaA = race.client(proxyA.host);
    const viaB = race.client(proxyB.host);
    const latest = refs(reg.host, 'race/mutable:latest')[0]!;
    // B re-checks 1.0 and finds it absent; its PUT is held by the proxy.
    const holdB = proxyB.pauseWhen((method, path) => method === 'PUT' && path.endsWith('/manifests/1.0'));
    const bRun = settled(pushImage({
      client: viaB.client, image: race.b.local, refs: refs(proxyB.host, 'race/mutable:1.0', 'race/mutable:latest'),
      mutablePatterns: ['latest'], logger: viaB.logger, settle: { clock: virtualClock() },
    }));
    await holdB.reached;

    // Once A has written 1.0 (and latest, if it writes it before settling): B's PUT lands,
    // inside B's window and before A's settle read, and B goes on to pass and write latest.
    let bWrote: Promise<void> | undefined;
    const letBWin = () => (bWrote ??= (async () => {
      holdB.release();
      for (let i = 0; i < 400; i++) {
        const s = await viaA.client.manifestState(latest);
        if (s.kind === 'present' && s.digest === race.b.local.top.digest) return;
        await new Promise((r) => setTimeout(r, 50));
      }
      throw new Error('B never wrote latest');
    })());
    const holdA = proxyA.pauseWhen((method, path) => method === 'PUT' && path.endsWith('/manifests/latest'));
    void holdA.reached.then(async () => { await letBWin(); holdA.release(); });
    const clockA = virtualClock();
    const aRun = settled(pushImage({
      client: viaA.client, image: race.a.local, refs: refs(proxyA.host, 'race/mutable:1.0', 'race/mutable:latest'),
      mutablePatterns: ['latest'], logger: viaA.logger,
      // A's settle wait is where the real time passes in which B lands.
      settle: { clock: { now: clockA.now, sleep: async (ms) => { await letBWin(); await clockA.sleep(ms); } } },
    }));
    const [aOut, bOut] = await Promise.all([aRun, bRun]);

    assert.ok(bOut.ok, `B owns 1.0 and passes: ${bOut.ok ? '' : bOut.err.message}`);
    assert.ok(!aOut.ok && aOut.err.code === 'TAG_MOVED', `A loses 1.0: ${aOut.ok ? 'passed' : aOut.err.message}`);
    assert.equal(await inspectDigest(reg, 'race/mutable:1.0'), race.b.local.top.digest);
    const latestNow = await inspectDigest(reg, 'race/mutable:latest');
    assert.equal(latestNow, race.b.local.top.digest,
      `B passed and reported latest at ${race.b.local.top.digest}, but latest names ${latestNow}: the image of job A, which FAILED and owns no tag`);
    assert.deepEqual(bOut.result.pushed, { [`${proxyB.host}/race/mutable:1.0`]: 'created', [`${proxyB.host}/race/mutable:latest`]: 'created' });
    assert.ok(aOut.err instanceof PartialPushError);
    assert.deepEqual(aOut.err.pushed, {}, 'A reports no tag as its own: it lost 1.0 and never wrote latest');
  } finally {
    await proxyA.stop();
    await proxyB.stop();
  }
});
