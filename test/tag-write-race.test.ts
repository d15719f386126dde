// Two writers of different images to one new immutable tag: at most one is told it
// owns the tag, whatever the order in which their requests land (tag-write.ts has the
// argument). The orders are made on purpose with a pausing proxy and a fault proxy in
// front of the real registry; waits run on a shared virtual clock so no timer races.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { pushImage, type PushResult } from '../src/registry/push.ts';
import { startFaultProxy } from './support/fault-proxy.ts';
import { startForwardingProxy } from './support/forwarding-proxy.ts';
import { inspectDigest, pushImage as skopeoPush } from './support/images.ts';
import { raceImages, type RaceImage } from './support/race-images.ts';
import { useRegistry } from './support/registry.ts';
import { refs } from './support/registry-client.ts';
import { virtualClock } from './support/virtual-clock.ts';

const reg = await useRegistry();
const race = raceImages(reg);

type Outcome = { ok: true; result: PushResult } | { ok: false; err: Error & { code?: string } };
const settled = (p: Promise<PushResult>): Promise<Outcome> => p.then((result) => ({ ok: true, result }), (err: Error) => ({ ok: false, err }));

function assertNotBoth(x: Outcome, y: Outcome): void {
  assert.ok(!(x.ok && y.ok), 'two writers of different images were both told they own the tag');
}

/**
 * Writer B pushes image b to `repoTag` through a pausing proxy, and its tag PUT is held
 * (its re-check already saw the tag absent). `releaseB` lets the PUT go, once, and
 * returns B's outcome; `direct` is a client that bypasses the proxy; `clock` is shared.
 */
async function heldWriterB(repoTag: string) {
  const proxy = await startForwardingProxy(reg.url);
  const clock = virtualClock();
  const viaProxy = race.client(proxy.host);
  const direct = race.client();
  const tag = repoTag.slice(repoTag.lastIndexOf(':') + 1);
  const pause = proxy.pauseWhen((method, path) => method === 'PUT' && path.endsWith(`/manifests/${tag}`));
  const bRun = settled(pushImage({ client: viaProxy.client, image: race.b.local, refs: refs(proxy.host, repoTag), logger: viaProxy.logger, settle: { clock } }));
  await pause.reached;
  let released = false;
  const releaseB = (): Promise<Outcome> => {
    if (!released) pause.release();
    released = true;
    return bRun;
  };
  return { proxy, clock, direct, releaseB };
}

test('B holds its tag PUT past A\'s read-back: A\'s settle read sees B, and neither passes', async () => {
  // B re-checks (absent), then its PUT is held: it lands after A's PUT and read-back.
  const { proxy, clock, direct, releaseB } = await heldWriterB('race/held-b:1.0');
  try {

    const aRun = settled(pushImage({
      client: direct.client, image: race.a.local, refs: refs(reg.host, 'race/held-b:1.0'), logger: direct.logger,
      settle: { clock, beforeSettleRead: async () => void await releaseB() },
    }));
    const aOut = await aRun;
    const bOut = await releaseB();

    assertNotBoth(aOut, bOut);
    assert.ok(!aOut.ok && aOut.err.code === 'TAG_MOVED', `A fails TAG_MOVED: ${aOut.ok ? 'passed' : aOut.err.message}`);
    assert.ok(aOut.err.message.includes(race.a.local.top.digest) && aOut.err.message.includes(race.b.local.top.digest), aOut.err.message);
    // B's PUT landed more than the settle window after its re-check: it cannot vouch for the tag.
    assert.ok(!bOut.ok && bOut.err.code === 'TAG_STATE_UNKNOWN', `B fails closed: ${bOut.ok ? 'passed' : bOut.err.message}`);
    assert.equal(await inspectDigest(reg, 'race/held-b:1.0'), race.b.local.top.digest, 'nobody "fixed" the tag');
  } finally {
    await proxy.stop();
  }
});

test('A\'s tag PUT is held while B writes and passes, then lands: A fails, never both', async () => {
  const proxy = await startForwardingProxy(reg.url);
  const clock = virtualClock();
  try {
    const viaProxy = race.client(proxy.host);
    const direct = race.client();
    const pause = proxy.pauseWhen((method, path) => method === 'PUT' && path.endsWith('/manifests/1.0'));
    const aRun = settled(pushImage({ client: viaProxy.client, image: race.a.local, refs: refs(proxy.host, 'race/held-a:1.0'), logger: viaProxy.logger, settle: { clock } }));
    await pause.reached;

    const bOut = await settled(pushImage({ client: direct.client, image: race.b.local, refs: refs(reg.host, 'race/held-a:1.0'), logger: direct.logger, settle: { clock } }));
    pause.release();
    const aOut = await aRun;

    assertNotBoth(aOut, bOut);
    assert.ok(bOut.ok, `B saw a clean write and settle: ${bOut.ok ? '' : bOut.err.message}`);
    assert.ok(!aOut.ok && aOut.err.code === 'TAG_STATE_UNKNOWN', `A's write landed too late to vouch for: ${aOut.ok ? 'passed' : aOut.err.message}`);
    assert.match(aOut.err.message, /settle window/);
  } finally {
    await proxy.stop();
  }
});

test('a job that finds the tag already at its digest reads it again S later: a slow writer landing meanwhile fails it', async () => {
  // B (image b) re-checks while the tag is absent; its PUT is held.
  const { proxy, clock, direct, releaseB } = await heldWriterB('race/unchanged:2.0');
  try {
    // Another job writes image a to the tag; then this job (image a too) finds it at its own digest.
    await skopeoPush(reg, race.a.built.ociRef, 'race/unchanged:2.0');
    const sameOut = await settled(pushImage({
      client: direct.client, image: race.a.local, refs: refs(reg.host, 'race/unchanged:2.0'), logger: direct.logger,
      settle: { clock, beforeSettleRead: async () => void await releaseB() },
    }));
    await releaseB();
    const now = await inspectDigest(reg, 'race/unchanged:2.0');
    // Passing means the tag names this job's image: B's PUT landed after the one look that said "unchanged".
    assert.ok(!(sameOut.ok && now !== race.a.local.top.digest), `the job passed as "unchanged" but the tag now names ${now}`);
    assert.ok(!sameOut.ok && sameOut.err.code === 'TAG_MOVED', sameOut.ok ? 'passed' : sameOut.err.message);
  } finally {
    await proxy.stop();
  }
});

for (const fault of [
  { name: '503 with Retry-After', action: { kind: 'status' as const, status: 503, headers: { 'retry-after': '1' } } },
  { name: 'a connection reset', action: { kind: 'reset' as const } },
]) {
  test(`the tag PUT gets ${fault.name} while another job writes the tag: never resent over it`, async () => {
    const tag = 'race/retry:' + (fault.action.kind === 'reset' ? 'reset' : '503');
    const [repo, name] = tag.split(':') as [string, string];
    const proxy = await startFaultProxy(reg.url, [{
      method: 'PUT', path: new RegExp(`/manifests/${name}$`), times: 1,
      during: async () => void await skopeoPush(reg, race.b.built.ociRef, tag),
      action: fault.action,
    }]);
    try {
      const viaProxy = race.client(proxy.host);
      const out = await settled(pushImage({ client: viaProxy.client, image: race.a.local, refs: refs(proxy.host, `${repo}:${name}`), logger: viaProxy.logger, settle: { clock: virtualClock() } }));
      assert.ok(!out.ok, 'the job must fail: the tag is the other job\'s');
      assert.equal(out.err.code, 'TAG_MOVED', out.err.message);
      assert.ok(out.err.message.includes(race.b.local.top.digest), out.err.message);
      assert.equal(await inspectDigest(reg, tag), race.b.local.top.digest, 'the other job\'s tag was not overwritten');
      assert.equal(proxy.count('PUT', new RegExp(`/manifests/${name}$`)), 1, 'the tag PUT was sent once');
    } finally {
      await proxy.stop();
    }
  });
}

test('a 503 on the tag PUT with nobody else writing: a read decides, then one fresh write', async () => {
  const proxy = await startFaultProxy(reg.url, [{ method: 'PUT', path: /\/manifests\/1\.0$/, times: 1, action: { kind: 'status', status: 503 } }]);
  const clock = virtualClock();
  try {
    const viaProxy = race.client(proxy.host);
    const result = await pushImage({ client: viaProxy.client, image: race.a.local, refs: refs(proxy.host, 'race/alone:1.0'), logger: viaProxy.logger, settle: { clock } });
    assert.deepEqual(Object.values(result.pushed), ['created']);
    assert.equal(proxy.count('PUT', /\/manifests\/1\.0$/), 2);
    assert.ok(clock.slept.length >= 1, 'waited the settle window before writing again');
    assert.equal(await inspectDigest(reg, 'race/alone:1.0'), race.a.local.top.digest);
  } finally {
    await proxy.stop();
  }
});

test('a reset after the registry applied the tag PUT: a read shows it landed, and it is not sent again', async () => {
  const proxy = await startFaultProxy(reg.url, [{ method: 'PUT', path: /\/manifests\/1\.0$/, times: 1, action: { kind: 'reset-after-forward' } }]);
  try {
    const viaProxy = race.client(proxy.host);
    const result = await pushImage({ client: viaProxy.client, image: race.a.local, refs: refs(proxy.host, 'race/landed:1.0'), logger: viaProxy.logger, settle: { clock: virtualClock() } });
    assert.deepEqual(Object.values(result.pushed), ['created']);
    assert.equal(proxy.count('PUT', /\/manifests\/1\.0$/), 1);
    assert.equal(await inspectDigest(reg, 'race/landed:1.0'), race.a.local.top.digest);
  } finally {
    await proxy.stop();
  }
});

test('real concurrent pushes of two images to one new tag: never both pass (10 rounds)', async () => {
  let both = 0;
  let one = 0;
  for (let round = 0; round < 10; round++) {
    const tag = `race/real:${round}`;
    const clock = virtualClock();
    // Both reach the tag step before either re-checks, so their writes overlap.
    let arrived = 0;
    let go!: () => void;
    const barrier = new Promise<void>((resolve) => (go = resolve));
    const meet = (skewMs: number) => async () => {
      if (++arrived === 2) go();
      await barrier;
      // A sweep of skews between the two writers (not a race assertion: any order must hold).
      if (skewMs > 0) await new Promise((resolve) => setTimeout(resolve, skewMs));
    };
    const run = (x: RaceImage, skewMs: number) => {
      const c = race.client();
      return settled(pushImage({ client: c.client, image: x.local, refs: refs(reg.host, tag), logger: c.logger, hooks: { beforeTagWrite: meet(skewMs) }, settle: { clock } }));
    };
    const [aOut, bOut] = await Promise.all([run(race.a, 0), run(race.b, round)]);
    if (aOut.ok && bOut.ok) both++;
    if (aOut.ok !== bOut.ok) one++;
    const [winner, loser] = aOut.ok ? [race.a, bOut] : bOut.ok ? [race.b, aOut] : [undefined, undefined];
    if (winner && loser && !loser.ok && (await inspectDigest(reg, tag)) !== winner.local.top.digest) {
      // The loser's write landed after the winner's settle read (on the virtual clock, the
      // winner's settle wait passes while the loser's PUT is in flight): the loser must
      // then have failed closed, saying it cannot vouch for the tag.
      assert.equal(loser.err.code, 'TAG_STATE_UNKNOWN', loser.err.message);
      assert.match(loser.err.message, /settle window/);
    }
  }
  assert.equal(both, 0, `${both} of 10 rounds had both writers pass`);
  assert.ok(one > 0, 'some round had a winner');
});
