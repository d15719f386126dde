// What a person reads after a push that did not write every tag the way it meant to:
// each surface (tag list in the job summary and the comment, --json tags, final line)
// must say what the tag names now, and never that the run "stopped" where it chose not
// to write. Found by a review of what a person reads; every case is a real run against the registry.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MemoryLogger } from '../src/log.ts';
import { runImmutag } from '../src/run.ts';
import { readSettings } from '../src/settings.ts';
import { renderSummary } from '../src/report/summary.ts';
import { renderComment } from '../src/report/comment.ts';
import { finalLine } from '../src/report/final-line.ts';
import { inspectDigest, pushImage, } from './support/images.ts';
import { startForwardingProxy } from './support/forwarding-proxy.ts';
import { useRegistry } from './support/registry.ts';
import { oursAndTheirs } from './support/test-builds.ts';
import { virtualClock } from './support/virtual-clock.ts';

const reg = await useRegistry();
const built = oursAndTheirs('');

const rowOf = (markdown: string, tag: string): string => markdown.split('\n').find((l) => l.startsWith(`- \`${reg.host}/${tag}\``) || l.includes(`/${tag}\`:`)) ?? '';

test('lost 1.0 at the settle read: the latest row says latest was left as it was because 1.0 was lost, not that the run "stopped"', async () => {
  const inputs: Record<string, string> = {
    'insecure-registries': reg.host, tags: `${reg.host}/ux1/app:1.0\n${reg.host}/ux1/app:latest`, image: built.ours.layout, scan: 'none', 'mutable-tags': 'latest',
  };
  const out = await runImmutag(readSettings((n) => inputs[n]), {
    logger: new MemoryLogger(), env: {},
    hooks: { settle: { clock: virtualClock(), beforeSettleRead: async () => { await pushImage(reg, built.theirs.ociRef, 'ux1/app:1.0'); } } },
  });
  assert.equal(out.error?.code, 'TAG_MOVED');
  await assert.rejects(inspectDigest(reg, 'ux1/app:latest'), 'latest was never written');
  for (const [where, text] of [['summary', renderSummary(out.report)], ['comment', renderComment(out.report, { marker: '<!-- m -->' })]] as const) {
    const row = rowOf(text, 'ux1/app:latest');
    assert.doesNotMatch(row, /the run stopped before the tag was written/, `${where}: the run did not stop; it chose not to move latest:\n${row}`);
    assert.match(row, /not (?:written|moved)[^\n]*1\.0/, `${where}: the row says why latest was left alone (1.0 was lost):\n${row}`);
  }
  // The log says "1.0: created at <ours>"; the final line should not say no tag was written.
  assert.doesNotMatch(finalLine(out.report), /no tag was written/, finalLine(out.report));
});

test('--json: a tag listed in mutable-tags is "mutable": true whatever its state (here new, then left unwritten)', async () => {
  const inputs: Record<string, string> = {
    'insecure-registries': reg.host, tags: `${reg.host}/ux1m/app:1.0\n${reg.host}/ux1m/app:latest`, image: built.ours.layout, scan: 'none', 'mutable-tags': 'latest', push: 'false',
  };
  const out = await runImmutag(readSettings((n) => inputs[n]), { logger: new MemoryLogger(), env: {} });
  assert.equal(out.report.tags[1]?.mutable, true, `latest is in mutable-tags; the report says mutable: ${out.report.tags[1]?.mutable} (state ${out.report.tags[1]?.state})`);
});

test('another job moved latest right after ours: the summary, the comment and --json do not present latest as naming this image', async () => {
  const proxy = await startForwardingProxy(reg.url);
  try {
    let putSeen = false;
    const hold = proxy.pauseWhen((method, path) => {
      if (!path.endsWith('/manifests/latest')) return false;
      if (method === 'PUT') { putSeen = true; return false; }
      return putSeen;
    });
    let their = '';
    void hold.reached.then(async () => { their = await pushImage(reg, built.theirs.ociRef, 'ux2/app:latest'); hold.release(); });
    const inputs: Record<string, string> = {
      'insecure-registries': proxy.host, tags: `${proxy.host}/ux2/app:1.0\n${proxy.host}/ux2/app:latest`, image: built.ours.layout, scan: 'none', 'mutable-tags': 'latest',
    };
    const out = await runImmutag(readSettings((n) => inputs[n]), { logger: new MemoryLogger(), env: {}, hooks: { settle: { clock: virtualClock() } } });
    assert.equal(out.report.result, 'pass');
    assert.equal(await inspectDigest(reg, 'ux2/app:latest'), their);
    const short = their.slice(0, 'sha256:'.length + 8);
    for (const [where, text] of [['summary', renderSummary(out.report)], ['comment', renderComment(out.report, { marker: '<!-- m -->' })]] as const) {
      const row = text.split('\n').find((l) => l.includes('/ux2/app:latest`')) ?? '';
      assert.ok(row.includes(short), `${where}: latest now names ${their}, but its row reads only:\n${row}`);
    }
    // --json's tags[].digest is "what the tag points at": the CLI derives it from the state (created → the run's digest).
    const latest = out.report.tags[1]!;
    assert.equal(latest.existingDigest ?? latest.reason?.match(/sha256:[0-9a-f]{64}/)?.[0], their, 'the row keeps the digest latest names now');
  } finally {
    await proxy.stop();
  }
});

test('a tag another job took before the first write: its row is refused and names the other image, not "skipped"', async () => {
  const inputs: Record<string, string> = { 'insecure-registries': reg.host, tags: `${reg.host}/ux3/api:1.2.3\n${reg.host}/ux3/api:1.2.4-rc`, image: built.ours.layout, scan: 'none' };
  let their = '';
  const out = await runImmutag(readSettings((n) => inputs[n]), {
    logger: new MemoryLogger(), env: {},
    hooks: { settle: { clock: virtualClock() }, beforeTagWrites: async () => { their = await pushImage(reg, built.theirs.ociRef, 'ux3/api:1.2.4-rc'); } },
  });
  assert.equal(out.error?.code, 'TAG_EXISTS');
  const taken = out.report.tags[1]!;
  const summary = renderSummary(out.report);
  assert.equal(taken.state, 'refused', `the tag that refused the run reads:\n${rowOf(summary, 'ux3/api:1.2.4-rc')}`);
  assert.equal(taken.existingDigest, their);
  assert.match(out.error?.hint ?? '', /concurrency/, `the hint for a tag taken while this run ran: ${out.error?.hint}`);
});
