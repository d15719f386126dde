// Bounded time, not just bounded silence. The transport's headers and body timeouts measure
// silence (http/watchdog.ts): a server (or a proxy) that sends one byte every few seconds resets them
// forever and holds a check open for as long as it likes. So every request also has a
// deadline for the whole exchange - retries, redirects and the body it returns
// included - that grows with the bytes it carries, and the run has a total one.
// Running into either aborts what is open; the answer is an error, so a tag's state
// is "unknown", never "absent", and nothing that was cut short is trusted.
import { ImmutagError } from '../errors.ts';

export interface DeadlineSettings {
  /** What any request may take, whatever its size: connect, headers, a manifest, its retries. */
  floorMs: number;
  /** Plus its bytes at this rate: a blob that moves slower than this is stuck, not slow. */
  minBytesPerSecond: number;
}

/**
 * Two minutes for a manifest, a token or a HEAD, which take milliseconds when anything
 * works; blobs add their size at 256 KiB/s (2 Mbit/s), far below any link a CI runner
 * pushes from, so a 1 GiB layer may take 70 minutes before the request gives up - the
 * run's own deadline (30 minutes by default) is the tighter bound on a whole push.
 */
export const DEFAULT_DEADLINES: DeadlineSettings = { floorMs: 120_000, minBytesPerSecond: 256 * 1024 };

/** How long a request carrying `bytes` (either way) may take in all. */
export function requestBudgetMs(settings: DeadlineSettings, bytes = 0): number {
  return settings.floorMs + Math.ceil((Math.max(0, bytes) * 1000) / settings.minBytesPerSecond);
}

export interface Deadline {
  /** Aborted when time is up; its reason is the error to report. */
  readonly signal: AbortSignal;
  /** Milliseconds left (0 once aborted): a retry never waits past it. */
  remainingMs(): number;
}

/** The deadline of one request (`what`: "GET host/path"), ended early when the run's ends. */
export function requestDeadline(what: string, settings: DeadlineSettings, bytes: number, run?: AbortSignal): Deadline {
  const ms = requestBudgetMs(settings, bytes);
  const at = Date.now() + ms;
  const own = new AbortController();
  const unfollow = run === undefined ? undefined : follow(run, own);
  // Unref'd and never cleared: a streamed body may be read long after send() returned,
  // and a spent timer costs nothing; the signal's listener goes when the body closes.
  setTimeout(() => {
    unfollow?.();
    own.abort(requestTimedOut(what, ms));
  }, ms).unref();
  const signal = own.signal;
  return { signal, remainingMs: () => (signal.aborted ? 0 : Math.max(0, at - Date.now())) };
}

/**
 * The requests of a run, by the run's signal. One listener on the run's signal aborts
 * them all, where AbortSignal.any would build a composite signal per request (weak
 * references, a listener on each source): ~1% of a tag check's instructions. A request
 * leaves the set when its own deadline passes, so the set holds only requests younger
 * than their deadline, as the timers already do.
 */
const followers = new WeakMap<AbortSignal, Set<AbortController>>();

function follow(run: AbortSignal, own: AbortController): () => void {
  if (run.aborted) {
    own.abort(run.reason);
    return () => {};
  }
  const live = followers.get(run) ?? watchRun(run);
  live.add(own);
  return () => live.delete(own);
}

function watchRun(run: AbortSignal): Set<AbortController> {
  const live = new Set<AbortController>();
  run.addEventListener('abort', () => {
    for (const c of live) c.abort(run.reason);
    live.clear();
  }, { once: true });
  followers.set(run, live);
  return live;
}

function requestTimedOut(what: string, ms: number): ImmutagError {
  return new ImmutagError('REGISTRY_UNREACHABLE', `${what} did not finish within ${duration(ms)}: the server kept the exchange open without completing it`, {
    hint: 'The registry, a proxy or the network is far too slow or stuck (each request may take 2 minutes plus its size at 256 KiB/s); run again later, and check the proxy and the registry\'s status.',
  });
}

/** The run's total deadline: every request still open when it passes is aborted. */
export class RunDeadline {
  private readonly controller = new AbortController();
  private readonly timer: NodeJS.Timeout;
  readonly ms: number;

  /** `cancel`: a stop asked from outside (a signal to the CLI) ends the run as its time limit would. */
  constructor(ms: number, cancel?: AbortSignal) {
    this.ms = ms;
    this.timer = setTimeout(() => this.controller.abort(runTimedOut(ms)), ms);
    this.timer.unref();
    if (cancel?.aborted) this.controller.abort(cancel.reason);
    else cancel?.addEventListener('abort', () => this.controller.abort(cancel.reason), { once: true });
  }

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  /** Throws the run's timeout when it has passed (between steps that do no I/O of ours). */
  check(): void {
    if (this.controller.signal.aborted) throw this.controller.signal.reason;
  }

  dispose(): void {
    clearTimeout(this.timer);
  }
}

/** What a run stopped by a signal answers: nothing it left open is known. */
export function runCancelled(signal: string): ImmutagError {
  return new ImmutagError('RUN_CANCELLED', `The run was stopped by ${signal} before it finished; what was still open was abandoned, so its answer is unknown`, {
    hint: 'Run again. A tag this run wrote before it was stopped is listed with its state; one it had not read again after writing is not vouched for.',
  });
}

function runTimedOut(ms: number): ImmutagError {
  return new ImmutagError('RUN_TIMEOUT', `The run's time limit of ${duration(ms)} ran out before it finished; what was still open was abandoned, so its answer is unknown`, {
    hint: 'Run again; if the registry is slow but working (a large push over a slow link), raise `timeout` (CLI: --timeout), e.g. 60m.',
  });
}

/** `90 s`, `30 min`, `1 h 30 min`. */
export function duration(ms: number): string {
  if (ms < 120_000) return `${Math.round(ms / 100) / 10} s`;
  const minutes = Math.round(ms / 60_000);
  if (minutes < 120) return `${minutes} min`;
  return `${Math.floor(minutes / 60)} h${minutes % 60 ? ` ${minutes % 60} min` : ''}`;
}

/** The longest delay Node's timers take (2^31 - 1 ms, ~596.5 h). */
const MAX_TIMER_MS = 2 ** 31 - 1;

/** `30m`, `90s`, `1h`, `1500ms`, or a bare number of minutes (as GitHub's timeout-minutes). */
export function parseDuration(value: string, name: string): number {
  const m = /^(\d+(?:\.\d+)?)\s*(ms|s|m|min|h)?$/i.exec(value.trim());
  const unit = { ms: 1, s: 1000, m: 60_000, min: 60_000, h: 3_600_000 }[(m?.[2] ?? 'm').toLowerCase() as 'ms'];
  const ms = m ? Math.round(Number(m[1]) * unit) : NaN;
  if (!(ms >= 1)) {
    throw new ImmutagError('INVALID_INPUT', `\`${name}\` must be a duration such as 30m, 90s or 1h, not "${value.slice(0, 40)}"`, {
      hint: `Set \`${name}\` to a positive number with a unit (ms, s, m, h); a bare number is minutes.`,
    });
  }
  // A longer wait overflows Node's timers, which then fire at once: the run would end as it began.
  if (ms > MAX_TIMER_MS) {
    throw new ImmutagError('INVALID_INPUT', `\`${name}\` is at most 596 h (what a timer can wait), not "${value.slice(0, 40)}"`, {
      hint: `Set \`${name}\` to e.g. 30m (the default) or a few hours.`,
    });
  }
  return ms;
}
