// A tag another job takes after the gate: nothing was written by this run, and the
// final line says so; the refused row gets the race advice, not "bump the version".
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MemoryLogger } from '../src/log.ts';
import { runImmutag } from '../src/run.ts';
import { readSettings } from '../src/settings.ts';
import { finalLine } from '../src/report/final-line.ts';
import { pushImage, } from './support/images.ts';
import { useRegistry } from './support/registry.ts';
import { oursAndTheirs } from './support/test-builds.ts';
import { virtualClock } from './support/virtual-clock.ts';

const reg = await useRegistry();
const built = oursAndTheirs('-taken');

test('a single tag taken by another job before this run wrote it: the final line says no tag was written', async () => {
  const all: Record<string, string> = { 'insecure-registries': reg.host, tags: `${reg.host}/taken/app:1.0`, image: built.ours.layout, scan: 'none' };
  const out = await runImmutag(readSettings((name) => all[name]), {
    logger: new MemoryLogger(), env: {},
    hooks: {
      settle: { clock: virtualClock() },
      beforeTagWrite: async () => void await pushImage(reg, built.theirs.ociRef, 'taken/app:1.0'),
    },
  });
  const line = finalLine(out.report);
  console.log(JSON.stringify(out.report.tags[0]), '\n', line);
  assert.equal(out.report.tags[0]?.state, 'refused');
  assert.deepEqual(out.outputs.pushed, {});
  assert.match(line, /no tag was written/);
});

test('a tag another job took between the gate and the first write (two tags): the summary gives the race advice, not "bump the version"', async () => {
  const { renderSummary } = await import('../src/report/summary.ts');
  const all: Record<string, string> = { 'insecure-registries': reg.host, tags: `${reg.host}/taken2/app:1.0\n${reg.host}/taken2/app:1.0-rc`, image: built.ours.layout, scan: 'none' };
  const out = await runImmutag(readSettings((name) => all[name]), {
    logger: new MemoryLogger(), env: {},
    hooks: { settle: { clock: virtualClock() }, beforeTagWrites: async () => void await pushImage(reg, built.theirs.ociRef, 'taken2/app:1.0-rc') },
  });
  const summary = renderSummary(out.report);
  const advice = summary.split('\n').filter((l) => l.startsWith('⛔'));
  console.log(advice.join('\n'));
  assert.equal(out.report.tags[1]?.state, 'refused');
  assert.doesNotMatch(advice.join('\n'), /bump the version/, 'another job took the tag while this run ran: the version is not what is wrong');
});
