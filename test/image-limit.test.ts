// Hashing runs a bounded number of files at once, and a failure stops new work but
// is reported only once the work in flight has finished.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { setImmediate as tick } from 'node:timers/promises';
import { forEachLimit } from '../src/image/limit.ts';

test('never more than the limit in flight, and every item is done', async () => {
  for (const [items, limit] of [[10, 3], [2, 3], [5, 1], [0, 2]] as const) {
    let inFlight = 0;
    let peak = 0;
    const done: number[] = [];
    await forEachLimit([...Array(items).keys()], limit, async (i) => {
      inFlight++;
      peak = Math.max(peak, inFlight);
      await tick();
      inFlight--;
      done.push(i);
    });
    assert.equal(peak, Math.min(items, limit));
    assert.deepEqual(done.sort((a, b) => a - b), [...Array(items).keys()]);
  }
});

test('after the first failure nothing new starts, in-flight work finishes, the first error is thrown', async () => {
  const started: number[] = [];
  let finished = 0;
  await assert.rejects(
    forEachLimit([...Array(20).keys()], 3, async (i) => {
      started.push(i);
      if (i === 0) {
        await tick();
        throw new Error('first');
      }
      for (let n = 0; n < 3; n++) await tick();
      if (i === 2) throw new Error('second');
      finished++;
    }),
    { message: 'first' },
  );
  assert.deepEqual(started, [0, 1, 2]);
  assert.equal(finished, 1);
});
