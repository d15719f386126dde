// A promotion writes the run's tags to the image already published through the same
// tag-write protocol as a push, in the same order: every immutable tag, the settle
// read, and only then the mutable ones. A promotion that loses an immutable tag at its
// settle read leaves latest where it was.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { MemoryLogger } from '../src/log.ts';
import type { PushHooks } from '../src/registry/push.ts';
import { runImmutag } from '../src/run.ts';
import { readSettings } from '../src/settings.ts';
import { buildImage, inspectDigest, pushImage, removeLayout, type BuiltImage } from './support/images.ts';
import { useRegistry } from './support/registry.ts';
import { revisionBuilds } from './support/test-builds.ts';
import { virtualClock } from './support/virtual-clock.ts';

const reg = await useRegistry();
const layouts: BuiltImage[] = [];

const build = revisionBuilds();

let main: BuiltImage;
let release: BuiltImage;
let other: BuiltImage;
before(async () => {
  main = await build('main');
  release = await build('1.2.3');
  other = await buildImage({ files: { '/other': 'y\n' } });
  layouts.push(other);
});
after(async () => { for (const l of layouts) await removeLayout(l); });

/**
 * The release build promoted onto `repo`, whose sha tag already names main's image: tags
 * 1.2.3, sha-ec26c3e and `third` (`latest` with mutable-tags latest), run with `hooks`.
 */
async function promote(repo: string, third: string, hooks: PushHooks) {
  await pushImage(reg, main.ociRef, `${repo}:sha-ec26c3e`);
  const tags = [`${repo}:1.2.3`, `${repo}:sha-ec26c3e`, `${repo}:${third}`].map((t) => `${reg.host}/${t}`).join('\n');
  const inputs: Record<string, string> = {
    'insecure-registries': reg.host, tags, image: release.layout, scan: 'none', 'promote-same-revision': 'true',
    ...(third === 'latest' ? { 'mutable-tags': 'latest' } : {}),
  };
  return runImmutag(readSettings((name) => inputs[name]), { logger: new MemoryLogger(), env: {}, hooks });
}

test('a promotion that finds an immutable tag moved at its settle read never writes latest', async () => {
  let theirs = '';
  let latestAtSettle: string | undefined = 'not read';
  const out = await promote('order/api', 'latest', {
    settle: {
      clock: virtualClock(),
      // Another writer takes 1.2.3 after the promotion wrote it, before its settle read.
      beforeSettleRead: async () => {
        latestAtSettle = await inspectDigest(reg, 'order/api:latest').catch(() => undefined);
        theirs = await pushImage(reg, other.ociRef, 'order/api:1.2.3');
      },
    },
  });
  assert.equal(latestAtSettle, undefined, 'latest is not written before the immutable tags settled');
  assert.equal(out.report.result, 'violation');
  assert.equal(out.error?.code, 'TAG_MOVED');
  const rows = Object.fromEntries(out.report.tags.map((r) => [r.reference.split(':').pop(), r.state]));
  assert.deepEqual(rows, { '1.2.3': 'refused', 'sha-ec26c3e': 'unchanged', latest: 'skipped' });
  assert.equal(await inspectDigest(reg, 'order/api:1.2.3'), theirs);
  await assert.rejects(inspectDigest(reg, 'order/api:latest'), 'latest was never written');
});

test('a tag another job takes while the promoted image is scanned refuses the run before any tag is written', async () => {
  let theirs = '';
  const out = await promote('taken/api', '1.2', {
    settle: { clock: virtualClock() },
    // Another job takes 1.2 after the gate saw it absent, before the first tag write.
    beforeTagWrites: async () => { theirs = await pushImage(reg, other.ociRef, 'taken/api:1.2'); },
  });
  assert.equal(out.report.result, 'violation');
  assert.equal(out.error?.code, 'TAG_EXISTS');
  assert.match(out.error?.message ?? '', /taken\/api:1\.2 was written by another job after this run first checked it, and points at sha256:[0-9a-f]{64}; no tag was written/);
  const row = out.report.tags.find((r) => r.reference.endsWith('/taken/api:1.2'));
  assert.equal(row?.state, 'refused', 'the tag another job took is the refusal, not "skipped"');
  await assert.rejects(inspectDigest(reg, 'taken/api:1.2.3'), '1.2.3 was not written halfway through');
  assert.equal(await inspectDigest(reg, 'taken/api:1.2'), theirs);
  assert.equal(row?.existingDigest, theirs);
});

test('a promotion that fails halfway reads the tags it already wrote once more: one moved meanwhile is refused, not reported as written', async () => {
  let theirs = '';
  const out = await promote('half/api', '1.2', {
    settle: { clock: virtualClock() },
    // Another writer takes 1.2 just before the promotion writes it, and moves 1.2.3, which it just wrote.
    beforeTagWrite: async (ref) => {
      if (ref.tag !== '1.2') return;
      theirs = await pushImage(reg, other.ociRef, 'half/api:1.2');
      await pushImage(reg, other.ociRef, 'half/api:1.2.3');
    },
  });
  assert.equal(out.report.result, 'violation');
  const rows = Object.fromEntries(out.report.tags.map((r) => [r.reference.split(':').pop(), r.state === 'refused' ? `refused ${r.existingDigest}` : r.state]));
  assert.deepEqual(rows, { '1.2.3': `refused ${theirs}`, 'sha-ec26c3e': 'unchanged', '1.2': `refused ${theirs}` });
});
