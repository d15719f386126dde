// The one bounded pool: the gate's tag checks, blob uploads, hashing, the OSV fetches.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { setImmediate as tick } from 'node:timers/promises';
import { mapPool } from '../src/pool.ts';

const limits: Array<[number, number]> = [[1, 5], [8, 20], [8, 3], [4, 0]];

for (const [limit, items] of limits) {
  test(`at most ${limit} in flight over ${items} items, results in input order`, async () => {
    let inFlight = 0;
    let most = 0;
    const input = Array.from({ length: items }, (_, i) => i);
    const out = await mapPool(input, limit, async (n) => {
      inFlight++;
      most = Math.max(most, inFlight);
      // Finish out of order: later items sooner.
      await new Promise((r) => setTimeout(r, (items - n) % 4));
      inFlight--;
      return n * 10;
    });
    assert.deepEqual(out, input.map((n) => n * 10));
    assert.ok(most <= limit, `${most} ran at once`);
    if (items >= limit && items > 0) assert.equal(most, limit, 'the pool is used fully');
  });
}

test('after the first failure nothing new starts, in-flight work finishes, the first error is thrown', async () => {
  const started: number[] = [];
  let finished = 0;
  await assert.rejects(
    mapPool([...Array(20).keys()], 3, async (i) => {
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

