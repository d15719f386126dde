// A monotonic clock whose waits take no time: `sleep(ms)` moves the clock on by
// `ms` at once. Writers in one test share one, so a wait of one writer is time
// passing for the other as well, and the tag-write windows stay consistent.
import { performance } from 'node:perf_hooks';
import type { WriterClock } from '../../src/registry/tag-write.ts';

export function virtualClock(): WriterClock & { slept: number[] } {
  let skipped = 0;
  const slept: number[] = [];
  return {
    slept,
    now: () => performance.now() + skipped,
    sleep: async (ms) => {
      slept.push(ms);
      skipped += Math.max(0, ms);
    },
  };
}

/** For push tests that are not about the settle window: it is measured, never waited. */
export const QUICK_SETTLE = { clock: virtualClock() };
