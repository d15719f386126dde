import { test } from 'node:test';
import assert from 'node:assert/strict';
import { backoffDelay, isRetryableError, parseRetryAfter, withRetry, type RetryClock, type RetryPolicy } from '../src/registry/retry.ts';

const NOW = Date.parse('2025-01-01T00:00:00Z');

test('Retry-After: delta-seconds and HTTP-dates, nothing for garbage', () => {
  const cases: Array<[string | undefined, number | undefined]> = [
    ['0', 0],
    ['7', 7000],
    [' 120 ', 120_000],
    ['Wed, 01 Jan 2025 00:00:30 GMT', 30_000],
    ['Tuesday, 31-Dec-24 23:59:00 GMT', 0], // obsolete RFC 850 form, in the past
    ['-5', undefined],
    ['1.5', undefined],
    ['soon', undefined],
    ['', undefined],
    [undefined, undefined],
  ];
  for (const [value, expected] of cases) {
    assert.equal(parseRetryAfter(value, NOW), expected, String(value));
  }
});

test('backoff doubles, is capped, and keeps half of the delay fixed', () => {
  const policy: RetryPolicy = { maxAttempts: 10, baseDelayMs: 100, maxDelayMs: 1000, maxTotalMs: 60_000 };
  assert.deepEqual([1, 2, 3, 4, 5].map((n) => backoffDelay(n, policy, () => 0)), [50, 100, 200, 400, 500]);
  assert.deepEqual([1, 2, 3, 4, 5].map((n) => backoffDelay(n, policy, () => 1)), [100, 200, 400, 800, 1000]);
});

function fakeClock(): RetryClock & { slept: number[] } {
  let now = 0;
  const slept: number[] = [];
  return { slept, now: () => now, random: () => 0.5, sleep: async (ms) => { slept.push(ms); now += ms; } };
}

const policy: RetryPolicy = { maxAttempts: 4, baseDelayMs: 100, maxDelayMs: 1000, maxTotalMs: 10_000 };
const retryOn503 = {
  retryable: (s: { status: number; retryAfter?: number }) => (s.status === 503 || s.status === 429 ? { reason: String(s.status), retryAfterMs: s.retryAfter } : undefined),
};

test('withRetry retries retryable results, honours Retry-After, and returns the first good one', async () => {
  const clock = fakeClock();
  const answers = [{ status: 429, retryAfter: 2000 }, { status: 503 }, { status: 200 }];
  const result = await withRetry(async (n) => answers[n - 1]!, retryOn503, policy, clock);
  assert.equal(result.status, 200);
  assert.deepEqual(clock.slept, [2000, 150]); // then equal jitter: 200 ms exponential, half fixed, random 0.5 of the rest
});

test('withRetry stops at maxAttempts and returns the last answer', async () => {
  const clock = fakeClock();
  let calls = 0;
  const result = await withRetry(async () => { calls++; return { status: 503 }; }, retryOn503, policy, clock);
  assert.equal(result.status, 503);
  assert.equal(calls, 4);
});

test('withRetry gives up at once when Retry-After exceeds the time budget', async () => {
  const clock = fakeClock();
  let calls = 0;
  const result = await withRetry(async () => { calls++; return { status: 429, retryAfter: 3_600_000 }; }, retryOn503, policy, clock);
  assert.equal(result.status, 429);
  assert.equal(calls, 1);
  assert.deepEqual(clock.slept, []);
});

test('withRetry retries connection errors but not others, and rethrows the last', async () => {
  const reset = Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });
  const wrapped = new Error('request failed', { cause: Object.assign(new Error('x'), { code: 'HEADERS_TIMEOUT' }) });
  const tls = Object.assign(new Error('self signed'), { code: 'DEPTH_ZERO_SELF_SIGNED_CERT' });
  const cutShort = Object.assign(new Error('Premature close'), { code: 'ERR_STREAM_PREMATURE_CLOSE' });
  assert.equal(isRetryableError(reset), true);
  assert.equal(isRetryableError(cutShort), true, 'a body that closed before its end is a dropped connection');
  assert.equal(isRetryableError(wrapped), true);
  assert.equal(isRetryableError(tls), false);

  let calls = 0;
  await assert.rejects(withRetry(async () => { calls++; throw reset; }, retryOn503, policy, fakeClock()), /socket hang up/);
  assert.equal(calls, 4);
  calls = 0;
  await assert.rejects(withRetry(async () => { calls++; throw tls; }, retryOn503, policy, fakeClock()), /self signed/);
  assert.equal(calls, 1);
});
