// Pushing exactly the verified image, with every tag written last:
//
//   1. Gate   — every tag must have passed the gate (absent, already at our digest,
//               or mutable); otherwise nothing is sent at all. The gate's answer is
//               data here (this library does not import the gate); without one,
//               the tags are judged here the same way (tag-verdict.ts).
//   2. Blobs  — per registry, into every target repository: HEAD to skip, mount
//               from a sibling repository, else upload hashed (push-blobs.ts).
//   3. Manifests by digest — every child of an index first, the top one last;
//               content only, no tag moves yet.
//   4. Tags   — one by one through the tag-write protocol (tag-write.ts): re-check,
//               one PUT, read back; the immutable tags first. A repository whose tags all already name our
//               digest skips 2 and 3: a re-run uploads nothing and writes nothing.
//   5. Settle — the settle window after the last immutable tag's PUT, each is
//               read once more; one that names another digest now fails the run,
//               before any mutable tag moved. Then the mutable tags are written.
import { asImmutagError, ImmutagError, PartialPushError, TagExistsError } from '../errors.ts';
import type { LocalImage } from '../image/local-image.ts';
import type { Logger } from '../log.ts';
import { formatReference, type TagReference } from '../reference.ts';
import { tagMatcher, type TagMatcher } from '../tag-pattern.ts';
import type { RegistryClient } from './client.ts';
import { pushBlobs, type BlobStats } from './push-blobs.ts';
import { pushManifestByDigest } from './push-manifest.ts';
import { formatBytes, PushProgress, rate } from './push-progress.ts';
import { judgeTags, tagError, type TagVerdict } from './tag-verdict.ts';
import { TagWriter, type SettleFailure, type TagOutcome, type TagWriterOptions } from './tag-write.ts';
import { uploadTarget, type UploadTarget } from './upload-session.ts';
import type { UploadTuning } from './upload.ts';

export type { TagOutcome } from './tag-write.ts';

export interface PushHooks {
  /** Runs after the content is in, before the tags are checked again (tests take a tag here, as a job would during a long upload). */
  beforeTagWrites?(): Promise<void>;
  /** Runs after the content is in, before the tag's last check and write (tests race another writer here). */
  beforeTagWrite?(ref: TagReference): Promise<void>;
  /** Tests: how the settle window is waited, and what happens right before the settle reads. */
  settle?: Pick<TagWriterOptions, 'clock' | 'beforeSettleRead'>;
}

export interface PushImageOptions {
  client: RegistryClient;
  image: LocalImage;
  /** The tags to write; a `TagInput` keeps the user's spelling for messages and `pushed`. */
  refs: readonly (TagReference & { input?: string })[];
  /** The gate's answer for `refs` (run with expectedDigest); checked here when absent. */
  gate?: { results: readonly TagVerdict[] };
  mutablePatterns?: readonly string[] | TagMatcher;
  logger: Logger;
  /** Blobs sent (or checked) at once per repository; default 4. */
  concurrency?: number;
  tuning?: Partial<UploadTuning>;
  /** How often long uploads log progress; default 5 s. */
  progressIntervalMs?: number;
  hooks?: PushHooks;
  /** The tag-write protocol's settle window (and, for tests, how to wait). */
  settle?: TagWriterOptions;
}

export interface PushStats extends BlobStats {
  manifestsPushed: number;
  /** HTTP requests this push sent (token requests and redirect hops included). */
  requests: number;
}

export interface PushResult {
  /** The manifest or index digest: what every tag now names. */
  digest: string;
  /** Per tag (as the user wrote it): created, unchanged, or moved (mutable tags). */
  pushed: Record<string, TagOutcome>;
  /** Mutable tags another writer moved right after this run wrote them: the digest each names now. */
  overtaken: Record<string, string>;
  /** `<registry>/<repository>@<digest>`, one per distinct repository, in input order. */
  images: string[];
  stats: PushStats;
}

interface RepositoryPlan {
  target: UploadTarget;
  refs: (TagReference & { input?: string })[];
}

export async function pushImage(options: PushImageOptions): Promise<PushResult> {
  const { client, image, logger } = options;
  const digest = image.top.digest;
  const requestsBefore = client.requestCount;
  const matcher = await tagMatcher(options.mutablePatterns ?? []);
  const gate = options.gate ?? { results: await judgeTags(client, options.refs, matcher, digest) };
  const seen = gateStates(gate.results, options.refs, digest);
  const plans = planRepositories(options.refs);
  const content = new ContentPush(options);

  await content.push(plans.filter((p) => !p.refs.every((r) => seen.get(formatReference(r))?.verdict === 'same')));
  const writer = await startTagWrites(client, options.refs, matcher, digest, options.settle ?? {}, options.hooks);
  const pushed: Record<string, TagOutcome> = {};
  const write = async ({ plan, ref }: { plan: RepositoryPlan; ref: TagReference & { input?: string } }): Promise<void> => {
    const result = seen.get(formatReference(ref));
    const label = ref.input ?? formatReference(ref);
    const pattern = matcher.matchingPattern(ref.tag);
    try {
      pushed[label] = await writer.write({
        ref, label, target: plan.target, top: image.top, bytes: manifestBytes(image, digest),
        // Skipped because the tags named our digest; a tag gone since needs the content back.
        beforePut: () => content.push([plan]),
        ...(result ? { seen: result.state } : {}),
        ...(pattern !== undefined ? { mutablePattern: pattern } : {}),
      });
    } catch (err) {
      // Tags written before the failure are real and must be reported as such, but only
      // after the settle read that vouches for any written tag: one moved since is not ours.
      const moved: Record<string, ImmutagError> = {};
      for (const f of await writer.settleAfterFailure()) {
        delete pushed[f.label];
        moved[f.label] = f.error;
      }
      throw new PartialPushError(asImmutagError(err), inputOrder(pushed, options.refs), label, moved);
    }
    logger.info(`${label}: ${pushed[label]} at ${digest}`);
  };
  const tags = plans.flatMap((plan) => plan.refs.map((ref) => ({ plan, ref })));
  await writer.writeInOrder(tags, ({ ref }) => matcher.matchingPattern(ref.tag) !== undefined, write,
    (failures) => settleFailed(failures, inputOrder(pushed, options.refs), logger));
  const stats = { ...content.stats, requests: client.requestCount - requestsBefore };
  const images = plans.map((p) => `${p.target.registry}/${p.target.repository}@${digest}`);
  const overtaken: Record<string, string> = {};
  for (const label of Object.keys(pushed)) {
    const now = writer.overtakenBy(label);
    if (now !== undefined) overtaken[label] = now;
  }
  return { digest, pushed: inputOrder(pushed, options.refs), overtaken, images, stats };
}

/** Step 5 found immutable tags no longer ours: the first fails the run, the tags that held stay reported. */
function settleFailed(failures: SettleFailure[], pushed: Record<string, TagOutcome>, logger: Logger): PartialPushError {
  const still = { ...pushed };
  for (const f of failures) delete still[f.label];
  const alsoFailed: Record<string, ImmutagError> = {};
  for (const f of failures.slice(1)) {
    alsoFailed[f.label] = f.error;
    logger.info(`settle read, another tag: ${f.error.message}`);
  }
  return new PartialPushError(failures[0]!.error, still, failures[0]!.label, alsoFailed);
}

/** `pushed` in the order the user listed the tags (they are written immutable first). */
function inputOrder(pushed: Record<string, TagOutcome>, refs: readonly (TagReference & { input?: string })[]): Record<string, TagOutcome> {
  const ordered: Record<string, TagOutcome> = {};
  for (const ref of refs) {
    const label = ref.input ?? formatReference(ref);
    const outcome = pushed[label];
    if (outcome !== undefined) ordered[label] = outcome;
  }
  return ordered;
}

/**
 * The writer for a run's tags, once every tag was checked again: where a push and a
 * promotion both begin writing. The scan and the upload can take minutes after the gate;
 * with several tags, all are checked again before the first is written, so a tag
 * another job took meanwhile refuses the run with no tag written. (Each is still
 * re-checked right before its own write, tag-write.ts; a tag taken between two of our
 * writes leaves the earlier one written, and the report says so: the API has no
 * multi-tag transaction.)
 */
export async function startTagWrites(client: RegistryClient, refs: readonly (TagReference & { input?: string })[], matcher: TagMatcher,
  digest: string, settle: TagWriterOptions, hooks: PushHooks | undefined): Promise<TagWriter> {
  const writer = new TagWriter(client.transport, { ...settle, ...hooks?.settle, ...(hooks?.beforeTagWrite ? { beforeTagWrite: hooks.beforeTagWrite } : {}) });
  await hooks?.beforeTagWrites?.();
  await recheckBeforeWrites(client, refs, matcher, digest);
  return writer;
}

/**
 * Every tag checked again right before the first is written, so a tag another job took
 * since the gate (during the scan or the upload) refuses the run with no tag written.
 */
async function recheckBeforeWrites(client: RegistryClient, refs: readonly (TagReference & { input?: string })[], matcher: TagMatcher, digest: string): Promise<void> {
  if (refs.length <= 1) return;
  const { blocked } = judgedAgainst(await judgeTags(client, refs, matcher, digest), refs, digest);
  const first = firstBlocked(blocked);
  if (first === undefined) return;
  // Name the tag, so that its row is the refusal (another job took it since the gate) rather than "skipped".
  const taken = first.error instanceof TagExistsError
    ? new TagExistsError(`${first.verdict.tag} was written by another job after this run first checked it, and points at ${first.error.existing}; no tag was written`, first.error.existing, { hint: TAKEN_HINT, takenSinceCheck: true })
    : refusal(blocked, first, 'no tag was written');
  throw new PartialPushError(taken, {}, first.verdict.tag);
}

const TAKEN_HINT = 'Another job pushed this tag while this run was scanning or uploading. Nothing was written; re-run to see the tag as it is now. A `concurrency:` group per image keeps two jobs from pushing at once.';

/** Steps 2 and 3 for a set of repositories, each repository at most once per run. */
class ContentPush {
  readonly stats: PushStats = { blobsUploaded: 0, bytesUploaded: 0, blobsSkipped: 0, blobsMounted: 0, manifestsPushed: 0, requests: 0 };
  private readonly options: PushImageOptions;
  private readonly done = new Set<RepositoryPlan>();
  private readonly progress: PushProgress;

  constructor(options: PushImageOptions) {
    this.options = options;
    this.progress = new PushProgress(options.logger, options.progressIntervalMs);
  }

  async push(plans: readonly RepositoryPlan[]): Promise<void> {
    const todo = plans.filter((p) => !this.done.has(p));
    if (todo.length === 0) return;
    const { client, image, logger } = this.options;
    const uploadedBefore = this.stats.bytesUploaded;
    for (const targets of byRegistry(todo)) {
      await pushBlobs({
        transport: client.transport, image, targets, concurrency: this.options.concurrency ?? 4, progress: this.progress, stats: this.stats, logger,
        ...(this.options.tuning ? { tuning: this.options.tuning } : {}),
      });
    }
    for (const plan of todo) {
      for (const desc of image.manifestOrder) {
        await pushManifestByDigest(client.transport, plan.target, desc, manifestBytes(image, desc.digest));
        this.stats.manifestsPushed++;
      }
      this.done.add(plan);
    }
    const uploaded = this.stats.bytesUploaded - uploadedBefore;
    if (uploaded > 0) {
      logger.info(`Uploaded ${this.stats.blobsUploaded} blob(s), ${formatBytes(uploaded)} at ${rate(uploaded, this.progress.elapsedMs())}; ` +
        `${this.stats.blobsMounted} mounted, ${this.stats.blobsSkipped} already there`);
    }
  }
}

/** The gate's verdict per tag, refusing the push before any byte when one tag did not pass. */
function gateStates(results: readonly TagVerdict[], refs: readonly TagReference[], digest: string): Map<string, TagVerdict> {
  const { states, blocked } = judgedAgainst(results, refs, digest);
  const first = firstBlocked(blocked);
  if (first !== undefined) throw refusal(blocked, first, 'nothing was pushed');
  return states;
}

interface Blocked {
  verdict: TagVerdict;
  error: ImmutagError;
}

/**
 * The verdict per tag, and the tags that do not pass. A tag seen at our digest passes
 * even if the gate ran without expectedDigest.
 */
function judgedAgainst(results: readonly TagVerdict[], refs: readonly TagReference[], digest: string): { states: Map<string, TagVerdict>; blocked: Blocked[] } {
  const byKey = new Map(results.map((r) => [formatReference(r.ref), r]));
  const states = new Map<string, TagVerdict>();
  const blocked: Blocked[] = [];
  for (const ref of refs) {
    const given = byKey.get(formatReference(ref));
    if (given === undefined) {
      throw new ImmutagError('INVALID_INPUT', `The gate result has no entry for ${formatReference(ref)}`, {
        hint: 'Pass the gate result for exactly the tags being pushed (or none, and pushImage checks them). This is a bug in the caller.',
      });
    }
    const atOurs = given.state.kind === 'present' && given.state.digest === digest;
    const verdict: TagVerdict = atOurs ? { ...given, verdict: 'same' } : given;
    states.set(formatReference(ref), verdict);
    const error = tagError(verdict);
    if (error !== undefined) blocked.push({ verdict, error });
  }
  return { states, blocked };
}

/** The tag a refusal names: a tag another image holds before any other failure. */
function firstBlocked(blocked: readonly Blocked[]): Blocked | undefined {
  return blocked.find((b) => b.error.code === 'TAG_EXISTS') ?? blocked[0];
}

/** The refusal of the first blocked tag, counting the others and saying what did not happen. */
function refusal(blocked: readonly Blocked[], first: Blocked, consequence: string): ImmutagError {
  const more = blocked.length > 1 ? ` (and ${blocked.length - 1} more tag(s) refused)` : '';
  const message = `${first.error.message}${more}; ${consequence}`;
  return first.error instanceof TagExistsError
    ? new TagExistsError(message, first.error.existing, { hint: first.error.hint })
    : new ImmutagError(first.error.code, message, { hint: first.error.hint });
}

/** Tags grouped by repository, in the order the user listed them. */
function planRepositories(refs: readonly (TagReference & { input?: string })[]): RepositoryPlan[] {
  const plans = new Map<string, RepositoryPlan>();
  const siblings = new Map<string, string[]>();
  for (const ref of refs) {
    const repos = siblings.get(ref.registry) ?? [];
    if (!repos.includes(ref.repository)) repos.push(ref.repository);
    siblings.set(ref.registry, repos);
  }
  for (const ref of refs) {
    const key = `${ref.registry}/${ref.repository}`;
    let plan = plans.get(key);
    if (plan === undefined) {
      // Scopes name every sibling repository, so one token per repository also covers mounts.
      const others = (siblings.get(ref.registry) ?? []).filter((r) => r !== ref.repository);
      plan = { target: uploadTarget(ref.registry, ref.repository, others), refs: [] };
      plans.set(key, plan);
    }
    plan.refs.push(ref);
  }
  return [...plans.values()];
}

function byRegistry(plans: readonly RepositoryPlan[]): UploadTarget[][] {
  const groups = new Map<string, UploadTarget[]>();
  for (const plan of plans) groups.set(plan.target.registry, [...(groups.get(plan.target.registry) ?? []), plan.target]);
  return [...groups.values()];
}

function manifestBytes(image: LocalImage, digest: string): Buffer {
  const bytes = image.manifests.get(digest);
  if (bytes === undefined) {
    throw new ImmutagError('IMAGE_INVALID', `Manifest ${digest} is not among the image's verified manifests`, { hint: 'This is a bug in immutag.' });
  }
  return bytes;
}
