// Retries with exponential backoff and jitter for what a registry or the network
// may recover from: 429, 5xx and dropped or timed-out connections. Bounded twice,
// by attempts and by total time, so a check never hangs a CI job; a Retry-After
// the budget cannot honour ends the retries at once instead of being cut short. The
// request's deadline (deadline.ts) bounds them too: no wait runs past it, and one that
// is under way ends when the deadline (or the run's) passes.
// https://www.rfc-editor.org/rfc/rfc9110#section-10.2.3 (Retry-After)
import type { Deadline } from './deadline.ts';

export interface RetryPolicy {
  /** Attempts in all, the first included. */
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
  /** Time budget for all attempts and waits together. */
  maxTotalMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  maxAttempts: 5,
  baseDelayMs: 250,
  maxDelayMs: 8_000,
  maxTotalMs: 60_000,
};

const RETRYABLE_STATUS = new Set([408, 429, 500, 502, 503, 504]);

// Node's and immutag's transport's (http/watchdog.ts, http/connect.ts) codes for
// connections that failed or died and may work next time. TLS verification errors
// are absent on purpose: they will fail the same way again.
const RETRYABLE_CODES = new Set([
  'ECONNRESET', 'ECONNREFUSED', 'ECONNABORTED', 'EPIPE', 'ETIMEDOUT', 'EAI_AGAIN',
  'EHOSTUNREACH', 'ENETUNREACH', 'ENETDOWN',
  'CONNECT_TIMEOUT', 'HEADERS_TIMEOUT', 'BODY_TIMEOUT',
  // A response body that closed before its end: the connection went mid-answer.
  'ERR_STREAM_PREMATURE_CLOSE',
  // An HTTP/2 stream or session the server reset or wound down (GOAWAY, ENHANCE_YOUR_CALM).
  'ERR_HTTP2_STREAM_ERROR', 'ERR_HTTP2_SESSION_ERROR', 'ERR_HTTP2_GOAWAY_SESSION',
  'ERR_HTTP2_STREAM_CANCEL', 'ERR_HTTP2_INVALID_SESSION',
]);

export function isRetryableStatus(status: number): boolean {
  return RETRYABLE_STATUS.has(status);
}

/** The first error code found on the error or along its `cause` chain. */
export function errorCode(err: unknown): string | undefined {
  let current: unknown = err;
  for (let depth = 0; depth < 5 && current instanceof Error; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string' && code !== '') return code;
    current = current.cause;
  }
  return undefined;
}

export function isRetryableError(err: unknown): boolean {
  const code = errorCode(err);
  return code !== undefined && RETRYABLE_CODES.has(code);
}

/**
 * Retry-After as milliseconds from `now`: delta-seconds or an HTTP-date. Undefined
 * when absent or unreadable (the caller then uses its own backoff).
 */
export function parseRetryAfter(value: string | undefined, now: number = Date.now()): number | undefined {
  if (value === undefined) return undefined;
  const text = value.trim();
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  if (!/[a-z]/i.test(text)) return undefined; // a bare negative or fractional number is not a date
  const at = Date.parse(text);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, at - now);
}

/** "Equal jitter": half the exponential delay fixed, half random, so clients spread out. */
export function backoffDelay(attempt: number, policy: RetryPolicy, random: () => number = Math.random): number {
  const exp = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
  return Math.round(exp / 2 + random() * (exp / 2));
}

export interface RetryHooks<T> {
  /** Undefined keeps `result`; otherwise retry it, after `retryAfterMs` when the server said so. */
  retryable(result: T): { retryAfterMs?: number; reason: string } | undefined;
  /** Frees a result that is about to be retried (drains a response body). */
  discard?(result: T): Promise<void>;
  onRetry?(info: { attempt: number; delayMs: number; reason: string }): void;
}

export interface RetryClock {
  now(): number;
  /** Ends early, without an error, when `signal` aborts. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
  random(): number;
}

export const systemClock: RetryClock = {
  now: () => Date.now(),
  sleep: (ms, signal) => new Promise((resolve) => {
    // An abandoned wait must not hold the process open for the rest of a long Retry-After.
    if (signal?.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done(): void {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  }),
  random: Math.random,
};

/**
 * Runs `attempt` until it gives a result the hooks keep, throws an error that is not
 * retryable, or the policy is spent; then returns the last result or throws the last
 * error, so the caller still sees what the registry said.
 */
export async function withRetry<T>(
  attempt: (n: number) => Promise<T>,
  hooks: RetryHooks<T>,
  policy: RetryPolicy = DEFAULT_RETRY_POLICY,
  clock: RetryClock = systemClock,
  deadline?: Pick<Deadline, 'signal' | 'remainingMs'>,
): Promise<T> {
  const started = clock.now();
  for (let n = 1; ; n++) {
    let outcome: { ok: true; value: T } | { ok: false; error: unknown };
    try {
      outcome = { ok: true, value: await attempt(n) };
    } catch (error) {
      outcome = { ok: false, error };
    }
    const wish = outcome.ok ? hooks.retryable(outcome.value) : retryableError(outcome.error);
    if (wish === undefined || n >= policy.maxAttempts) return settle(outcome);
    const delayMs = wish.retryAfterMs ?? backoffDelay(n, policy, clock.random);
    if (clock.now() - started + delayMs > policy.maxTotalMs) return settle(outcome);
    if (deadline !== undefined && delayMs >= deadline.remainingMs()) return settle(outcome);
    if (outcome.ok) await hooks.discard?.(outcome.value);
    hooks.onRetry?.({ attempt: n, delayMs, reason: wish.reason });
    await (deadline === undefined ? clock.sleep(delayMs) : untilAborted(clock.sleep(delayMs, deadline.signal), deadline.signal));
  }
}

/** `wait`, unless `signal` aborts first: then its reason is thrown. */
function untilAborted(wait: Promise<void>, signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise((resolve, reject) => {
    const onAbort = (): void => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    void wait.then(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    });
  });
}

function retryableError(error: unknown): { retryAfterMs?: number; reason: string } | undefined {
  if (!isRetryableError(error)) return undefined;
  return { reason: errorCode(error) ?? 'connection error' };
}

function settle<T>(outcome: { ok: true; value: T } | { ok: false; error: unknown }): T {
  if (outcome.ok) return outcome.value;
  throw outcome.error;
}
