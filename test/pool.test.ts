// The bounded pool behind the gate's concurrent tag checks and the OSV fetches.
import { test } from 'node:test';
import assert from 'node:assert/strict';
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

test('the first failure rejects the whole map', async () => {
  await assert.rejects(mapPool([1, 2, 3], 2, async (n) => {
    if (n === 2) throw new Error('boom');
    return n;
  }), /boom/);
});
