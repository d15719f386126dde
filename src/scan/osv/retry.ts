// Retrying OSV API calls: 429 and 5xx answers and connection failures are retried a
// bounded number of times with exponential backoff, waiting at least as long as the
// server's Retry-After asks (RFC 9110 10.2.3), capped so a scan cannot hang.

export interface RetryPolicy {
  /** Total tries, the first included. */
  attempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { attempts: 5, baseDelayMs: 500, maxDelayMs: 30_000 };

/** A failure worth another try; `retryAfterMs` is the server's requested wait. */
export class RetryableError extends Error {
  readonly retryAfterMs: number | undefined;

  constructor(message: string, retryAfterMs?: number, cause?: unknown) {
    super(message, cause === undefined ? undefined : { cause });
    this.name = 'RetryableError';
    this.retryAfterMs = retryAfterMs;
  }
}

/** Retry-After as delta-seconds or an HTTP-date; undefined when absent or unparsable. */
export function parseRetryAfter(value: string | string[] | undefined, now = Date.now()): number | undefined {
  const text = Array.isArray(value) ? value[0] : value;
  if (text === undefined || text.trim() === '') return undefined;
  if (/^\d+$/.test(text.trim())) return Number(text.trim()) * 1000;
  const date = Date.parse(text);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

export type Sleep = (ms: number) => Promise<void>;

export const realSleep: Sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

export function backoffDelay(policy: RetryPolicy, attempt: number, retryAfterMs: number | undefined): number {
  const exponential = policy.baseDelayMs * 2 ** (attempt - 1);
  return Math.min(policy.maxDelayMs, Math.max(exponential, retryAfterMs ?? 0));
}

/** Runs `fn`; on a RetryableError waits and tries again, up to the policy's attempts. */
export async function withRetry<T>(policy: RetryPolicy, sleep: Sleep, fn: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn();
    } catch (err) {
      if (!(err instanceof RetryableError) || attempt >= policy.attempts) throw err;
      await sleep(backoffDelay(policy, attempt, err.retryAfterMs));
    }
  }
}
