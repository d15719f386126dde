// Found by a review: the settle read must come at least S after the writer knew its PUT landed
// (tag-write.ts step 4: settleRead_A >= known_A + S, on the writer's own monotonic clock).
// realClock.sleep is a bare setTimeout, which Node fires up to ~1-2 ms early as measured
// by performance.now() (libuv's coarse loop clock), and settle() does not check the time
// after the sleep: the settle read is sent before known_A + S.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { performance } from 'node:perf_hooks';
import { pushImage } from '../src/registry/push.ts';
import { realClock, type WriterClock } from '../src/registry/tag-write.ts';
import { raceImages } from './support/race-images.ts';
import { useRegistry } from './support/registry.ts';
import { refs } from './support/registry-client.ts';

const reg = await useRegistry();
const race = raceImages(reg);

// A short S makes an early timer likely, but on a busy machine the registry may answer the
// re-check later than S, and then the push fails as too slow before any settle read: such
// rounds are counted and left out, and most rounds must still reach the settle read.
test('the settle read is never sent before knownAt + S on the real clock', async () => {
  const S = 100;
  const { client, logger } = race.client();
  let worst = Infinity;
  let reached = 0;
  for (let i = 0; i < 40; i++) {
    let lastNow = 0;
    let target = 0;
    // realClock, only watched: now() and sleep() are realClock's own.
    const clock: WriterClock = {
      now: () => (lastNow = realClock.now()),
      sleep: async (ms) => {
        target = lastNow + ms; // settle(): wait = max(knownAt) + S - now(), so target = knownAt + S
        await realClock.sleep(ms);
      },
    };
    const beforeSettleRead = async (): Promise<void> => {
      reached++;
      worst = Math.min(worst, performance.now() - target);
    };
    await pushImage({
      client, image: race.a.local, refs: refs(reg.host, `timer/early:${i}`), logger, settle: { settleMs: S, clock, beforeSettleRead },
    }).catch((err: unknown) => {
      if (!/longer than the 100 ms settle window/.test(String((err as { cause?: unknown }).cause ?? err))) throw err;
    });
  }
  assert.ok(reached >= 20, `only ${reached} of 40 pushes reached the settle read`);
  assert.ok(worst >= 0, `a settle read started ${(-worst).toFixed(3)} ms before knownAt + S`);
});
