// The tag-write protocol: the one place a tag is written, and why two writers of
// different images to the same new immutable tag cannot both be told they own it.
//
// The registry API has no conditional write ("PUT if absent"), so a write cannot be
// refused; a lost race can only be detected. Per tag, a writer W does:
//
//   1. re-check: read the tag. Absent (or a mutable tag elsewhere): go on. At our
//      digest: 'unchanged'. At another digest: TAG_EXISTS / TAG_MOVED, never a write.
//   2. write: PUT the manifest by tag, ONCE (the transport's retry is off for it). A
//      PUT that got no answer, or a 408/429/5xx, leaves the state unknown until a read
//      decides: a read at our digest means it landed; a read at another digest means
//      we lost; absent means it has not landed — we wait the settle window S (a
//      request the registry got but had not applied by then never will, assumption
//      A3), read again, and only then may PUT again after that fresh re-check. A PUT
//      refused (another 4xx) is left to a read too: at our digest (a writer of our
//      image got there first, as registry-side immutability then refuses ours, or the
//      registry applied the write and refused it anyway) it counts as landed when the
//      read ended, window and all ('unchanged' in the report); a read that cannot
//      tell leaves the tag unknown and perhaps written, as after an unanswered PUT;
//      otherwise the refusal is the error.
//   3. read back: the tag must name our digest now.
//   4. settle: at the end of the run, S after the LAST answer of its tag PUTs, read
//      every immutable tag the run wrote again (push.ts calls settle()). This
//      is the settle re-read of every write and the run's final read at once: each
//      tag's read comes at least S after its own PUT's answer. A tag the re-check
//      found already at our digest ('unchanged') is read again too, S after that
//      look: it passes only on the evidence a write of our own needs, our digest
//      read S after we knew the tag named it (in the claim, take "landing_A" as the
//      look). Without that read, a writer whose PUT landed just after the look went
//      unseen, and the job passed with the tag naming another image.
//   5. window: W's window is the time from the start of the re-check that saw the
//      tag absent to the moment W knows its PUT landed (the PUT's answer, or the read
//      that showed it). A window longer than S fails the job closed (TAG_STATE_UNKNOWN).
//      A slow PUT cannot be made safe by waiting longer after it: the writer it may
//      have overwritten read the tag S after its own write and has already passed.
//      The slow writer is the one that can tell, so it is the one that fails.
//
// Claim: two writers A and B of different digests to one immutable tag never both
// pass. Suppose both pass. Let X be the last landing of any of their PUTs, made by B
// (name them so). After X the tag names B's digest, so A's settle read, which saw
// A's digest, came before X:  X > settleRead_A ≥ known_A + S ≥ landing_A + S.
// B's PUT behind X followed a re-check that saw the tag absent, at some instant
// r_B before anything landed, so r_B < landing_A. Hence X − r_B > S. But B knows
// X happened by known_B, and its re-check started before r_B, so B's window is
// ≥ X − r_B > S, and B failed at step 5. Contradiction. (Multiple PUTs of one
// writer do not escape this: a PUT is repeated only after step 2 proved it will
// never land, so each writer lands at most once.)
//
// Where the claim stops: X is the last landing of A's or B's PUTs. A third writer C
// whose PUT lands after both (held by a slow hop) fails at step 5, but its image is then
// on the tag, under a B that passed; and a later writer A' of C's digest (a re-run of C)
// finds the tag at its digest and passes as 'unchanged', with no PUT of its own for the
// chain above to start from. So the claim holds for writers whose PUTs land within S of
// their re-checks; a late writer's error (tooSlow) says what happened and that its
// re-run does not vouch for the tag. Closing the gap needs a record of which write a
// passing run vouched for, kept in the registry; none is kept.
//
// Assumed, and nothing else: (A1) the registry is linearizable per tag — a read that
// starts after a write was answered sees it or a later write (distribution on a
// filesystem, ECR, GAR, ACR are; a CDN or cache answering reads breaks it); (A2) only
// immutag writers, all using the same S (or the late writer a shorter one), write the
// tag, and nobody deletes it meanwhile; (A3) a PUT the client got no answer to lands
// within S of the client giving up, or never. No clock is shared between machines:
// each writer measures its own durations on a monotonic clock (the chain above adds
// A's S to B's window, which needs the clocks' rates to agree, not their readings).
// S does not need to exceed any network delay for the claim to hold: it trades wall
// time (every push that writes a tag waits S once) against false alarms (a registry
// slower than S to answer a re-check and a PUT fails the job closed). 5 s is far above a manifest PUT's usual
// round trip, even for cloud registries, and a small price for a release job.
//
// Order: a run writes every immutable tag and settles before it writes any mutable
// one (TagWriter.writeInOrder, through which the push and the promotion both write).
// A mutable tag is moved by any passing run, so it carries no claim of its own: it is
// only safe to point at an image whose run passed. Written earlier, a run that then
// loses an immutable tag at its settle read would leave `latest` naming the image of
// the job that failed, which no immutable tag names and no check vouched for.
//
// A mutable tag is written the same way, but holds no claim: a write of ours slower
// than S does not fail the run, and when another writer moves the tag right after our
// write, the last write wins and the run says so in a warning rather than failing.
//
// What the loser does: it reports TAG_MOVED naming both digests and stops. It never
// "fixes" the tag: the other job may already be deploying it. Tags it wrote before
// stay written and are reported as such. Writers that are not immutag (docker push,
// a second tool) are outside A2; registry-side immutability closes that gap, and a
// `concurrency:` group per image in GitHub Actions keeps two jobs from racing at all.
import { performance } from 'node:perf_hooks';
import { claimNamesBytes } from '../digest.ts';
import type { ImmutagError } from '../errors.ts';
import type { TagReference } from '../reference.ts';
import { manifestState, type ManifestTarget } from './manifest.ts';
import { accepted, putManifest, type ManifestPutAnswer } from './push-manifest.ts';
import { isRetryableStatus } from './retry.ts';
import { registryWords } from './tag-refusal.ts';
import type { TagState } from './tag-state.ts';
import { refuseTakenTag, rewrittenTag, tagMoved, tagRefusal, tooSlow, unknownAfterWrite, type TagWrite } from './tag-write-errors.ts';
import type { Transport } from './transport.ts';

export type { TagWrite } from './tag-write-errors.ts';
export type TagOutcome = 'created' | 'unchanged' | 'moved';

/** Default settle window S; see the argument above. */
export const DEFAULT_SETTLE_MS = 5_000;
/** Tag PUTs per tag at most (each after a fresh re-check that proved the last one never landed). */
const MAX_PUTS = 3;
/** Re-checks per tag at most (a re-check older than S/2 at PUT time is taken again). */
const MAX_CHECKS = 8;
const RETRY_AFTER_CAP_MS = 60_000;

export interface TagWriterOptions {
  /** The settle window S in ms (default 5 s). Every writer of a repository must use the same. */
  settleMs?: number;
  /** Monotonic time and waiting (tests skip waits by moving a shared virtual clock). */
  clock?: WriterClock;
  /** Runs right before the settle reads (tests move the tag here). */
  beforeSettleRead?: () => Promise<void>;
  /** Runs before each tag's re-check (tests race another writer here). */
  beforeTagWrite?: (ref: TagReference) => Promise<void>;
}

export interface WriterClock {
  now(): number;
  /** Resolves after `ms`, or as soon as `signal` aborts. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

export const realClock: WriterClock = {
  now: () => performance.now(),
  sleep: sleepFully,
};

/**
 * The argument above needs the settle read at least S after a write was known on this
 * clock, and a timer may fire up to ~2 ms before performance.now() says the time is up
 * (libuv's loop clock is coarser): so sleep again until it does.
 */
async function sleepFully(ms: number, signal?: AbortSignal): Promise<void> {
  const until = performance.now() + ms;
  for (let left = ms; left > 0 && signal?.aborted !== true; left = until - performance.now()) {
    await new Promise<void>((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', done);
        resolve();
      };
      const timer = setTimeout(done, Math.ceil(left));
      signal?.addEventListener('abort', done, { once: true });
    });
  }
}

interface Vouched {
  w: TagWrite;
  /** Monotonic ms when our PUT was known to have landed. */
  knownAt: number;
}

export interface SettleFailure {
  label: string;
  error: ImmutagError;
}

export class TagWriter {
  readonly settleMs: number;
  private readonly transport: Transport;
  private readonly clock: WriterClock;
  private readonly beforeSettleRead: (() => Promise<void>) | undefined;
  private readonly beforeTagWrite: ((ref: TagReference) => Promise<void>) | undefined;
  private readonly vouched: Vouched[] = [];
  private readonly overtaken = new Map<string, string>();
  private settled = false;

  constructor(transport: Transport, options: TagWriterOptions = {}) {
    this.transport = transport;
    this.settleMs = options.settleMs ?? DEFAULT_SETTLE_MS;
    this.clock = options.clock ?? realClock;
    this.beforeSettleRead = options.beforeSettleRead;
    this.beforeTagWrite = options.beforeTagWrite;
  }

  /**
   * A wait that ends early when the run is stopped (its time limit, or a signal to the
   * CLI): the reads after it then fail as the run's other requests do, so every tag left
   * open is unknown at once instead of after the window.
   */
  private sleep(ms: number): Promise<void> {
    const run = this.transport.http.runSignal;
    return run === undefined ? this.clock.sleep(ms) : this.clock.sleep(ms, run);
  }

  /** The digest a mutable tag names now, when another writer moved it right after this writer's write. */
  overtakenBy(label: string): string | undefined {
    return this.overtaken.get(label);
  }

  /** Steps 1–3 and 5 for one tag. The tag is not vouched for until settle() passed. */
  async write(w: TagWrite): Promise<TagOutcome> {
    await this.beforeTagWrite?.(w.ref);
    const ours = w.top.digest;
    let first: TagState | undefined;
    let pending: { checkStart: number; waited: boolean; retryAfterMs?: number } | undefined;
    let contentReady = w.beforePut === undefined;
    let puts = 0;
    let lastFailure = '';
    for (let checks = 1; ; checks++) {
      const checkStart = this.clock.now();
      const state = await manifestState(this.transport, targetOf(w));
      const checkedAt = this.clock.now();
      first ??= state;
      if (state.kind === 'unknown') throw unknownAfterWrite(w, state, pending !== undefined);
      if (state.kind === 'present' && state.digest === ours) {
        // Already ours, not written by this run: read again S after this look (step 4),
        // as after a write of our own, or a slow writer landing meanwhile goes unseen.
        if (pending === undefined) return this.vouch(w, 'unchanged', checkedAt);
        return this.landed(w, outcomeOf(first), pending.checkStart, checkedAt);
      }
      if (state.kind === 'present' && w.mutablePattern === undefined) {
        throw pending ? tagMoved(w.label, ours, state.digest, 'while immutag was writing it') : refuseTakenTag(w, state.digest);
      }
      if (pending !== undefined && !pending.waited) {
        // Our unanswered PUT may still land (A3): wait S, then let a read decide.
        await this.sleep(Math.max(this.settleMs, Math.min(pending.retryAfterMs ?? 0, RETRY_AFTER_CAP_MS)));
        pending.waited = true;
        continue;
      }
      pending = undefined;
      if (!contentReady) {
        contentReady = true;
        await w.beforePut?.(); // content first; if that took long, the staleness rule re-checks
      }
      if (this.clock.now() - checkStart > this.settleMs / 2 && checks < MAX_CHECKS) continue;
      if (puts === MAX_PUTS || checks >= MAX_CHECKS) throw tooSlow(w, `the registry did not take the tag after ${puts} write(s) and ${checks} check(s)${lastFailure}`);
      puts++;
      const answer = await this.put(w);
      const answeredAt = this.clock.now();
      lastFailure = answer.failure === undefined ? '' : `; last: ${answer.failure}`;
      const got = answer.answer;
      if (got !== undefined && accepted(got.status)) return this.readBack(w, outcomeOf(first), checkStart, answeredAt, got.digest);
      if (got === undefined || isRetryableStatus(got.status)) {
        pending = { checkStart, waited: false, ...(got?.retryAfterMs !== undefined ? { retryAfterMs: got.retryAfterMs } : {}) };
        continue;
      }
      // A refusal does not say whose the tag is; a read does (step 2).
      const after = await manifestState(this.transport, targetOf(w));
      const lookedAt = this.clock.now();
      if (after.kind === 'present' && after.digest === ours) {
        this.transport.logger.warning(`PUT ${w.label}: the registry refused the write (HTTP ${got.status}), but the tag already names this job's ${ours}`);
        return this.landed(w, 'unchanged', checkStart, lookedAt);
      }
      throw await tagRefusal(this.transport, w, state, after, got);
    }
  }

  /**
   * A run's tags in the protocol's order ("Order" above): every immutable tag (in the
   * order given), the settle read, and the mutable tags only when every immutable one
   * held. When one did not, `lost` says how the run reports the failures, and its
   * error stops the run before any mutable tag is written.
   */
  async writeInOrder<T>(items: readonly T[], isMutable: (item: T) => boolean, write: (item: T) => Promise<void>,
    lost: (failures: SettleFailure[]) => Error): Promise<void> {
    for (const item of items) if (!isMutable(item)) await write(item);
    const failures = await this.settle();
    if (failures.length > 0) throw lost(failures);
    for (const item of items) if (isMutable(item)) await write(item);
  }

  /**
   * Step 4: S after the last PUT's answer, read every immutable tag this writer
   * wrote. Returns the tags that are no longer ours.
   */
  async settle(): Promise<SettleFailure[]> {
    this.settled = true;
    const immutable = this.vouched.filter((v) => v.w.mutablePattern === undefined);
    if (immutable.length === 0) return [];
    const wait = Math.max(...immutable.map((v) => v.knownAt)) + this.settleMs - this.clock.now();
    if (wait > 0) await this.sleep(wait);
    await this.beforeSettleRead?.();
    const failures = await Promise.all(immutable.map(async (v): Promise<SettleFailure | undefined> => {
      const state = await manifestState(this.transport, targetOf(v.w));
      if (state.kind === 'present' && state.digest === v.w.top.digest) return undefined;
      if (state.kind === 'present') {
        return { label: v.w.label, error: tagMoved(v.w.label, v.w.top.digest, state.digest, `within ${this.settleMs} ms after immutag wrote it`, { afterOurWrite: true }) };
      }
      return { label: v.w.label, error: unknownAfterWrite(v.w, state, true) };
    }));
    return failures.filter((f): f is SettleFailure => f !== undefined);
  }

  /**
   * Step 4 for a run that failed before its own settle read (none if it had one): the
   * tags found moved, which the caller must not report as written. A read that fails
   * itself (the registry failing, as it may be when the run failed) leaves the tag as
   * its read back found it; it is logged, as is a settle read that cannot be made.
   */
  async settleAfterFailure(): Promise<SettleFailure[]> {
    if (this.settled) return [];
    let failures: SettleFailure[];
    try {
      failures = await this.settle();
    } catch (err) {
      this.transport.logger.warning(`the settle read of the tags written before the failure could not be made: ${err instanceof Error ? err.message : String(err)}`);
      return [];
    }
    // A run that was stopped (its time limit, or a signal to the CLI) read nothing: each tag
    // it wrote is unknown, as the tag being written when it stopped is. A run that failed on
    // a live registry keeps its written tags reported as written, each with a warning.
    const stopped = this.transport.http.runSignal?.aborted === true;
    const returned = failures.filter((f) => f.error.code === 'TAG_MOVED' || stopped);
    for (const f of failures) {
      if (f.error.code === 'TAG_MOVED') this.transport.logger.info(`settle read after the failure: ${f.error.message}`);
      else if (!stopped) this.transport.logger.warning(`the settle read after the failure could not read ${f.label}; it is reported as written: ${f.error.message}`);
    }
    return returned;
  }

  /** The PUT, sent once. No answer (a reset, a timeout) or a 408/429/5xx: it may or may not have landed. */
  private async put(w: TagWrite): Promise<{ answer?: ManifestPutAnswer; failure?: string }> {
    let failure: string;
    try {
      const answer = await putManifest(this.transport, w.target, w.ref.tag, w.top, w.bytes, { retry: false });
      if (!isRetryableStatus(answer.status)) return { answer };
      failure = `HTTP ${answer.status}${answer.errors.length > 0 ? `: ${registryWords(answer.errors)}` : ''}`;
      this.transport.logger.debug(`PUT ${w.label}: ${failure}; a read decides whether it landed`);
      return { answer, failure };
    } catch (err) {
      failure = err instanceof Error ? err.message : String(err);
    }
    this.transport.logger.debug(`PUT ${w.label}: no answer (${failure}); a read decides whether it landed`);
    return { failure };
  }

  /** Step 3, and step 5's window. A digest header naming other bytes is decided by the read. */
  private async readBack(w: TagWrite, outcome: TagOutcome, checkStart: number, answeredAt: number, header: string | undefined): Promise<TagOutcome> {
    const ours = w.top.digest;
    const after = await manifestState(this.transport, targetOf(w));
    if (after.kind === 'present' && after.digest === ours) {
      if (header !== undefined && header !== ours && !claimNamesBytes(header, ours, w.bytes)) {
        this.transport.logger.warning(`PUT ${w.label}: the registry's answer named ${header}, but the tag reads back as this job's ${ours}`);
      }
      return this.landed(w, outcome, checkStart, answeredAt);
    }
    if (after.kind === 'present' && header !== undefined && after.digest === header) {
      throw rewrittenTag(w, header);
    }
    if (after.kind === 'present' && w.mutablePattern !== undefined) {
      // A mutable tag is moved by any passing run, and this run's immutable tags already
      // held (Order): another run that wrote it just after ours is the last write, which wins.
      this.transport.logger.warning(`${w.label} was written, and another writer moved it right after: it now points at ${after.digest} (a mutable tag: the last write wins)`);
      this.overtaken.set(w.label, after.digest);
      return outcome;
    }
    if (after.kind === 'present') throw tagMoved(w.label, ours, after.digest, 'right after immutag wrote it', { afterOurWrite: true });
    throw unknownAfterWrite(w, after, true);
  }

  private landed(w: TagWrite, outcome: TagOutcome, checkStart: number, knownAt: number): TagOutcome {
    const window = knownAt - checkStart;
    // The window bounds what a race for an immutable tag can hide (step 5); a mutable tag makes no such claim.
    if (window > this.settleMs && w.mutablePattern === undefined) throw tooSlow(w, `it took ${Math.round(window)} ms from the re-check to the registry's answer, longer than the ${this.settleMs} ms settle window`, true);
    return this.vouch(w, outcome, knownAt);
  }

  private vouch(w: TagWrite, outcome: TagOutcome, knownAt: number): TagOutcome {
    this.vouched.push({ w, knownAt });
    return outcome;
  }
}

function outcomeOf(first: TagState | undefined): TagOutcome {
  return first?.kind === 'present' ? 'moved' : 'created';
}

function targetOf(w: TagWrite): ManifestTarget {
  return { registry: w.ref.registry, repository: w.ref.repository, reference: w.ref.tag };
}
