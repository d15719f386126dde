// A job that loses the race for an immutable tag must not have moved the run's
// mutable tags. Two jobs push [1.0, latest] with latest mutable: B's 1.0 PUT lands
// after A's, inside B's window, so A's settle read finds 1.0 at B's image and A
// fails; B passes. Had A written latest before its settle read, and its latest PUT
// landed after B's (ordinary jitter between two runners), latest would name the image
// of the job that failed, one no immutable tag names and no passing check vouched for.
// The proxies make that interleaving happen whenever the code allows it: A's latest
// PUT, if A ever sends one, is held until B has written latest.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { openImage, type LocalImage } from '../src/image/open-image.ts';
import type { RegistryClient } from '../src/registry/client.ts';
import { PartialPushError } from '../src/errors.ts';
import { pushImage, type PushResult } from '../src/registry/push.ts';
import { startForwardingProxy } from './support/forwarding-proxy.ts';
import { buildImage, inspectDigest, removeLayout, type BuiltImage } from './support/images.ts';
import { useRegistry } from './support/registry.ts';
import { clientFor, refs } from './support/registry-client.ts';
import { virtualClock } from './support/virtual-clock.ts';

const reg = await useRegistry();
let a: { built: BuiltImage; local: LocalImage };
let b: { built: BuiltImage; local: LocalImage };
const clients: RegistryClient[] = [];

before(async () => {
  a = await image('A');
  b = await image('B');
});

after(async () => {
  for (const c of clients) await c.close();
  for (const x of [a, b]) {
    await x.local.close();
    await removeLayout(x.built);
  }
});

async function image(which: string): Promise<{ built: BuiltImage; local: LocalImage }> {
  const built = await buildImage({ files: { '/which': `${which}\n` } });
  return { built, local: await openImage(built.layout) };
}

function client(via?: string) {
  const setup = clientFor(reg, via ? { via } : {});
  clients.push(setup.client);
  return setup;
}

type Outcome = { ok: true; result: PushResult } | { ok: false; err: Error & { code?: string } };
const settled = (p: Promise<PushResult>): Promise<Outcome> => p.then((result) => ({ ok: true, result }), (err: Error) => ({ ok: false, err }));

test('two jobs race for [1.0, latest]: the loser never moves latest, so latest names the winner\'s image', async () => {
  const proxyA = await startForwardingProxy(reg.url);
  const proxyB = await startForwardingProxy(reg.url);
  try {
    const viaA = client(proxyA.host);
    const viaB = client(proxyB.host);
    const latest = refs(reg.host, 'race/mutable:latest')[0]!;
    // B re-checks 1.0 and finds it absent; its PUT is held by the proxy.
    const holdB = proxyB.pauseWhen((method, path) => method === 'PUT' && path.endsWith('/manifests/1.0'));
    const bRun = settled(pushImage({
      client: viaB.client, image: b.local, refs: refs(proxyB.host, 'race/mutable:1.0', 'race/mutable:latest'),
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
        if (s.kind === 'present' && s.digest === b.local.top.digest) return;
        await new Promise((r) => setTimeout(r, 50));
      }
      throw new Error('B never wrote latest');
    })());
    const holdA = proxyA.pauseWhen((method, path) => method === 'PUT' && path.endsWith('/manifests/latest'));
    void holdA.reached.then(async () => { await letBWin(); holdA.release(); });
    const clockA = virtualClock();
    const aRun = settled(pushImage({
      client: viaA.client, image: a.local, refs: refs(proxyA.host, 'race/mutable:1.0', 'race/mutable:latest'),
      mutablePatterns: ['latest'], logger: viaA.logger,
      // A's settle wait is where the real time passes in which B lands.
      settle: { clock: { now: clockA.now, sleep: async (ms) => { await letBWin(); await clockA.sleep(ms); } } },
    }));
    const [aOut, bOut] = await Promise.all([aRun, bRun]);

    assert.ok(bOut.ok, `B owns 1.0 and passes: ${bOut.ok ? '' : bOut.err.message}`);
    assert.ok(!aOut.ok && aOut.err.code === 'TAG_MOVED', `A loses 1.0: ${aOut.ok ? 'passed' : aOut.err.message}`);
    assert.equal(await inspectDigest(reg, 'race/mutable:1.0'), b.local.top.digest);
    const latestNow = await inspectDigest(reg, 'race/mutable:latest');
    assert.equal(latestNow, b.local.top.digest,
      `B passed and reported latest at ${b.local.top.digest}, but latest names ${latestNow}: the image of job A, which FAILED and owns no tag`);
    assert.deepEqual(bOut.result.pushed, { [`${proxyB.host}/race/mutable:1.0`]: 'created', [`${proxyB.host}/race/mutable:latest`]: 'created' });
    assert.ok(aOut.err instanceof PartialPushError);
    assert.deepEqual(aOut.err.pushed, {}, 'A reports no tag as its own: it lost 1.0 and never wrote latest');
  } finally {
    await proxyA.stop();
    await proxyB.stop();
  }
});
