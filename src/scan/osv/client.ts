// The OSV API client (https://google.github.io/osv.dev/api/): POST /v1/querybatch for
// the IDs affecting each package (1000 queries per request at most, following each
// query's next_page_token), GET /v1/vulns/{id} for full records. One keep-alive
// connection pool; every call retried by the same rule as registry requests
// (registry/retry.ts: 429, 5xx and dropped connections, Retry-After honoured, bounded by
// attempts and total time); a failure after the retries is SCANNER_FAILED, never
// mistaken for a policy verdict.

import { lazyTlsContext } from '../../http/connect.ts';
import { Transport } from '../../http/transport.ts';
import { ImmutagError } from '../../errors.ts';
import type { Logger } from '../../log.ts';
import { mapPool } from '../../pool.ts';
import type { OsvRecord } from './record.ts';
import { headerValue } from '../../registry/http.ts';
import { isRetryableStatus, parseRetryAfter, systemClock, withRetry, type RetryClock, type RetryPolicy } from '../../registry/retry.ts';

export interface OsvQuery {
  ecosystem: string;
  name: string;
  version: string;
}

export interface OsvClientOptions {
  baseUrl: string;
  concurrency?: number;
  timeoutMs?: number;
  retry?: Partial<RetryPolicy>;
  /** Tests replace sleeping and the clock. */
  clock?: RetryClock;
  logger?: Logger;
  /**
   * The run's: aborted at its time limit or when it is asked to stop. Requests open and
   * retry waits end then, with its reason as the error (RUN_TIMEOUT, RUN_CANCELLED).
   */
  signal?: AbortSignal;
}

/** The OSV API is a shared public service: back off longer than from a registry. */
export const OSV_RETRY: RetryPolicy = { maxAttempts: 5, baseDelayMs: 500, maxDelayMs: 30_000, maxTotalMs: 120_000 };

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
}

/** The API's documented limit of queries in one querybatch request. */
export const MAX_BATCH = 1000;
const MAX_PAGES = 100;
const MAX_BODY_BYTES = 128 * 1024 * 1024;

interface BatchResponse {
  results?: { vulns?: { id?: unknown }[]; next_page_token?: unknown }[];
}

interface Pending {
  index: number;
  token?: string;
}

export class OsvClient {
  private readonly base: URL;
  private readonly transport: Transport;
  private readonly concurrency: number;
  private readonly timeoutMs: number;
  private readonly retry: RetryPolicy;
  private readonly clock: RetryClock;
  private readonly logger: Logger | undefined;
  private readonly run: AbortSignal | undefined;

  constructor(options: OsvClientOptions) {
    this.base = new URL(options.baseUrl.endsWith('/') ? options.baseUrl : `${options.baseUrl}/`);
    this.concurrency = Math.max(1, options.concurrency ?? 8);
    this.timeoutMs = options.timeoutMs ?? 60_000;
    this.retry = { ...OSV_RETRY, ...options.retry };
    this.clock = options.clock ?? systemClock;
    this.logger = options.logger;
    this.run = options.signal;
    // The registry's transport: kept-alive connections, HTTP/2 where offered, HTTP(S)_PROXY.
    this.transport = new Transport({ connectMs: 10_000, headersMs: this.timeoutMs, bodyMs: this.timeoutMs, tlsContext: lazyTlsContext() });
  }

  /** The vulnerability IDs OSV lists for each query, all pages, in query order. */
  async queryBatch(queries: readonly OsvQuery[]): Promise<string[][]> {
    const ids = queries.map(() => new Set<string>());
    let pending: Pending[] = queries.map((_, index) => ({ index }));
    for (let page = 1; pending.length > 0; page++) {
      if (page > MAX_PAGES) throw this.failure(`querybatch kept paginating past ${MAX_PAGES} pages`);
      const chunks: Pending[][] = [];
      for (let i = 0; i < pending.length; i += MAX_BATCH) chunks.push(pending.slice(i, i + MAX_BATCH));
      const next: Pending[] = [];
      await mapPool(chunks, this.concurrency, async (chunk) => {
        const body = { queries: chunk.map((p) => wireQuery(queries[p.index] as OsvQuery, p.token)) };
        const answer = (await this.call('POST', 'v1/querybatch', body)) as BatchResponse | undefined;
        const results = answer?.results;
        if (!Array.isArray(results) || results.length !== chunk.length) {
          throw this.failure(`querybatch answered ${Array.isArray(results) ? results.length : 'no'} results for ${chunk.length} queries`);
        }
        results.forEach((result, k) => {
          const p = chunk[k] as Pending;
          for (const v of result.vulns ?? []) if (typeof v.id === 'string') ids[p.index]?.add(v.id);
          if (typeof result.next_page_token === 'string' && result.next_page_token !== '') next.push({ index: p.index, token: result.next_page_token });
        });
      });
      this.logger?.debug(`OSV querybatch page ${page}: ${pending.length} queries in ${chunks.length} requests`);
      pending = next;
    }
    return ids.map((set) => [...set]);
  }

  /** The full record, or undefined when OSV has no record by that ID (404). */
  async getVuln(id: string): Promise<OsvRecord | undefined> {
    const record = (await this.call('GET', `v1/vulns/${encodeURIComponent(id)}`)) as OsvRecord | undefined;
    if (record === undefined) return undefined;
    if (typeof record !== 'object' || record === null || typeof record.id !== 'string') {
      throw this.failure(`vulns/${id} answered something that is not an OSV record`);
    }
    return record;
  }

  async close(): Promise<void> {
    this.transport.close();
  }

  private async call(method: 'GET' | 'POST', path: string, body?: unknown): Promise<unknown> {
    const url = new URL(path, this.base);
    let answer: Answer;
    try {
      answer = await withRetry(() => this.once(method, url, body), {
        retryable: (a) => isRetryableStatus(a.status)
          ? { reason: `HTTP ${a.status}`, retryAfterMs: parseRetryAfter(headerValue(a.headers, 'retry-after'), this.clock.now()) }
          : undefined,
        onRetry: ({ attempt, delayMs, reason }) => this.logger?.debug(`OSV ${method} ${url.pathname}: ${reason}, retry ${attempt} in ${delayMs} ms`),
      }, this.retry, this.clock, this.run === undefined ? undefined : untilRunEnds(this.run));
    } catch (err) {
      if (this.run?.aborted) throw this.run.reason;
      if (err instanceof ImmutagError) throw err;
      throw this.failure(`${method} ${url.pathname}: connection failed (${describe(err)})`, err);
    }
    const { status, text } = answer;
    if (isRetryableStatus(status)) throw this.failure(`${method} ${url.pathname} answered HTTP ${status}, still after retries`);
    if (status === 404 && method === 'GET') return undefined;
    if (status !== 200) throw this.failure(`${method} ${url.pathname} answered HTTP ${status}: ${text.slice(0, 200)}`);
    try {
      return JSON.parse(text);
    } catch (err) {
      throw this.failure(`${method} ${url.pathname} answered something that is not JSON`, err);
    }
  }

  /** One exchange. Network failures are thrown as they come (their codes say whether to retry). */
  private async once(method: 'GET' | 'POST', url: URL, body: unknown): Promise<Answer> {
    if (this.run?.aborted) throw this.run.reason;
    const timeout = AbortSignal.timeout(this.timeoutMs);
    const response = await this.transport.request({
      origin: url,
      path: `${url.pathname}${url.search}`,
      method,
      signal: this.run === undefined ? timeout : AbortSignal.any([timeout, this.run]),
      headers: { 'content-type': 'application/json', accept: 'application/json', 'user-agent': 'immutag' },
      body: body === undefined ? null : JSON.stringify(body),
    }).catch((err: unknown) => {
      throw asTimeout(err);
    });
    const text = await readBody(response.body).catch((err: unknown) => {
      if (err instanceof BodyTooLarge) throw this.failure(`${method} ${url.pathname}: ${err.message}`);
      throw asTimeout(err);
    });
    return { status: response.statusCode, headers: response.headers, text };
  }

  private failure(what: string, cause?: unknown): ImmutagError {
    const origin = this.base.origin + this.base.pathname.replace(/\/$/, '');
    return new ImmutagError('SCANNER_FAILED', `The OSV API at ${origin} could not be used: ${what}`, {
      hint:
        `Check that this runner can reach ${origin} (or set osv-url to a reachable mirror); ` +
        'if it is rate limiting, retry later; or scan offline with vuln-db pointing at an OSV export.',
      cause,
    });
  }
}

/**
 * The run as withRetry's deadline: a retry waits however long OSV asked (the policy caps
 * it), unless the run ends first.
 */
function untilRunEnds(run: AbortSignal): { signal: AbortSignal; remainingMs(): number } {
  return { signal: run, remainingMs: () => (run.aborted ? 0 : Number.POSITIVE_INFINITY) };
}

function wireQuery(q: OsvQuery, token: string | undefined): Record<string, unknown> {
  const query: Record<string, unknown> = { package: { name: q.name, ecosystem: q.ecosystem }, version: q.version };
  if (token !== undefined) query['page_token'] = token;
  return query;
}

function describe(err: unknown): string {
  if (err instanceof Error) {
    const code = (err as { code?: unknown }).code;
    return typeof code === 'string' ? `${code}: ${err.message}` : err.message;
  }
  return String(err);
}

/** Our own per-request timeout (an AbortSignal) is a timed-out connection: worth retrying. */
function asTimeout(err: unknown): unknown {
  if (err instanceof Error && (err.name === 'TimeoutError' || err.name === 'AbortError') && !('code' in err && typeof err.code === 'string' && err.code.startsWith('E'))) {
    return Object.assign(new Error(`no answer within the request timeout (${err.message})`, { cause: err }), { code: 'ETIMEDOUT' });
  }
  return err;
}

class BodyTooLarge extends Error {}

async function readBody(body: AsyncIterable<Buffer>): Promise<string> {
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of body) {
    total += chunk.length;
    if (total > MAX_BODY_BYTES) throw new BodyTooLarge(`answer larger than ${MAX_BODY_BYTES} bytes`);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}
