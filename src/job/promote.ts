// `promote-same-revision`: releasing a commit that was already built and pushed.
//
// Builds are rarely reproducible (the version label differs between the main-branch
// build and the release build, provenance carries the run), so `sha-<commit>` (an
// immutable tag) already holds an image of this commit under another digest, and the
// gate refuses it. With this option, when every refused tag points at ONE image whose
// config labels name the same `org.opencontainers.image.revision` and
// `org.opencontainers.image.source` as the new build, that image becomes the one to
// deploy: it is scanned by digest, every other tag of the run is written to it (its
// manifest PUT again under the new tag inside the repository, as `crane tag` does),
// and the new build is not pushed.
//
// What it trusts: the labels of an image that someone with push rights to the
// repository published under an immutable tag. It never trusts a tag that can move:
// the existing image is read by digest through the verified readers, and only the
// refused (immutable) tags can nominate it. A multi-platform image counts only when
// EVERY platform's config (attestation manifests aside) carries the same two labels;
// an image without both labels is never promoted. Labels a build does not set itself are
// inherited from its base image, so two builds of different commits on one base would
// read as one revision: in a workflow (GITHUB_SHA known) this build's revision label must
// be the commit being built. And the published image must run everywhere this build
// does: every platform this build has (by its configs' os/architecture/variant) must be
// in it, or the release would silently lose or swap platforms.
import { ImmutagError, PartialPushError } from '../errors.ts';
import { markOvertaken, markRowFailed, markTagFailed } from './tag-report.ts';
import type { GateResult } from '../gate.ts';
import type { LocalImage } from '../image/local-image.ts';
import type { TagInput } from '../inputs/tags.ts';
import type { Logger } from '../log.ts';
import type { BlobSource, Descriptor } from '../oci.ts';
import { CONFIG_FIELDS, GoJsonRefusal, parseOciJson } from '../oci-json.ts';
import type { RegistryClient } from '../registry/client.ts';
import { startTagWrites, type PushHooks } from '../registry/push.ts';
import { RegistryBlobSource } from '../registry/registry-blob-source.ts';
import type { TagWriter } from '../registry/tag-write.ts';
import { uploadTarget } from '../registry/upload-session.ts';
import type { TagReport } from '../report/run-report.ts';
import { scanTargets, type ScanTarget } from '../scan/platforms.ts';
import { compileTagPatterns } from '../tag-pattern.ts';

export const REVISION_LABEL = 'org.opencontainers.image.revision';
export const SOURCE_LABEL = 'org.opencontainers.image.source';

export interface Identity {
  revision: string;
  source: string;
}

export interface Promotion {
  /** The image already published: what is deployed, scanned and tagged. */
  top: Descriptor;
  /** Its manifest bytes, verified against top.digest. */
  bytes: Buffer;
  platforms: { platform: string; descriptor: Descriptor }[];
  identity: Identity;
  /** The tag (as the user wrote it) that already held it. */
  heldBy: string;
  /** A tag in a repository that holds it, first: the scan reads repo@digest there. */
  scanRef: TagInput;
}

export type PromotionDecision =
  | { kind: 'promote'; promotion: Promotion }
  /** Not promoted; `reason` says why, for the refused tags' rows. */
  | { kind: 'refuse'; reason: string };

export interface PromotionOptions {
  client: RegistryClient;
  image: LocalImage;
  refs: readonly TagInput[];
  gate: GateResult;
  logger: Logger;
  /** The commit being built (GITHUB_SHA); this build's revision label must name it. */
  commit?: string;
}

/** Decides whether the gate's refusals are the same revision already published. Reads only; writes nothing. */
export async function decidePromotion(options: PromotionOptions): Promise<PromotionDecision> {
  const { gate, client } = options;
  if (gate.results.some((r) => r.verdict === 'unknown')) return refuse('a tag could not be checked');
  const refused = gate.results.filter((r) => r.verdict === 'violation');
  const held = [...new Set(refused.flatMap((r) => (r.state.kind === 'present' ? [r.state.digest] : [])))];
  if (refused.length === 0 || held.length !== 1) {
    return refuse(`the refused tags point at ${held.length} different images, and only one can be promoted`);
  }
  const digest = held[0]!;
  const first = refused[0]!;
  const at = { registry: first.ref.registry, repository: first.ref.repository };
  const ourConfigs = await configsOf(options.image.top, options.image.source, options.image.manifests);
  const ours = identityOf(ourConfigs, 'this build');
  if ('missing' in ours) return refuse(ours.missing);
  if (options.commit !== undefined && options.commit !== '' && ours.revision !== options.commit) {
    return refuse(`this build's ${REVISION_LABEL} label is ${ours.revision}, not the commit being built (${options.commit}): a label the build does not set is inherited from its base image, so it cannot vouch for the revision`);
  }
  const fetched = await client.getManifest({ ...at, digest });
  const top: Descriptor = { mediaType: fetched.mediaType, digest, size: fetched.bytes.length };
  const source = new RegistryBlobSource({ transport: client.transport, ...at });
  let targets: ScanTarget[];
  let theirConfigs: ImageConfig[];
  try {
    targets = await scanTargets(top, source, new Map([[digest, fetched.bytes]]));
    theirConfigs = await configsOf(top, source, new Map([[digest, fetched.bytes]]), targets);
  } finally {
    await source.close();
  }
  const theirs = identityOf(theirConfigs, `the image at ${first.tag}`);
  if ('missing' in theirs) return refuse(theirs.missing);
  const lacking = missingPlatforms(ourConfigs, theirConfigs);
  if (lacking.length > 0) {
    return refuse(`the image at ${first.tag} has no ${lacking.join(', ')}, which this build has: promoted, the release would not run there`);
  }
  if (theirs.revision !== ours.revision || theirs.source !== ours.source) {
    return refuse(`it holds revision ${theirs.revision} of ${theirs.source}, and this build is revision ${ours.revision} of ${ours.source}: a different revision is never promoted`);
  }
  const elsewhere = await missingRepositories(client, options.refs, digest);
  if (elsewhere.length > 0) {
    return refuse(`${elsewhere.join(', ')} ${elsewhere.length === 1 ? 'does' : 'do'} not hold ${digest}; a promotion only tags an image inside a repository that already holds it`);
  }
  const scanRef = options.refs.find((r) => r.registry === at.registry && r.repository === at.repository)!;
  options.logger.info(`${first.tag} already holds ${digest}, revision ${ours.revision} of ${ours.source}: promoting it instead of pushing this build`);
  return {
    kind: 'promote',
    promotion: {
      top, bytes: fetched.bytes, identity: ours, heldBy: first.tag, scanRef,
      platforms: targets.map((t) => ({ platform: t.platform, descriptor: t.descriptor })),
    },
  };
}

function refuse(reason: string): PromotionDecision {
  return { kind: 'refuse', reason: `not promoted: ${reason}` };
}

interface ImageConfig {
  os?: unknown;
  architecture?: unknown;
  variant?: unknown;
  'os.version'?: unknown;
  config?: { Labels?: Record<string, unknown> | null };
}

/**
 * Where a config's image runs, normalised as containerd compares platforms: builders
 * disagree on spelling the default variant (arm64 `v8` or none, arm none meaning `v7`,
 * amd64 `v1`), and a Windows image runs only on its OS build (10.0.20348 is not
 * 10.0.17763), whatever its patch level.
 */
function platformOf(config: ImageConfig): string {
  const os = text(config.os);
  const architecture = text(config.architecture);
  const parts = [os, architecture, normalVariant(architecture, text(config.variant))];
  if (os === 'windows') parts.push(text(config['os.version']).split('.').slice(0, 3).join('.'));
  return parts.filter((p) => p !== '').join('/');
}

function normalVariant(architecture: string, variant: string): string {
  if (architecture === 'arm64' && variant === 'v8') return '';
  if (architecture === 'amd64' && variant === 'v1') return '';
  if (architecture === 'arm' && variant === '') return 'v7';
  return variant;
}

function text(value: unknown): string {
  return typeof value === 'string' ? value : '';
}

/** The platforms `ours` has that `theirs` does not. */
function missingPlatforms(ours: readonly ImageConfig[], theirs: readonly ImageConfig[]): string[] {
  const have = new Set(theirs.map(platformOf));
  return [...new Set(ours.map(platformOf))].filter((p) => !have.has(p));
}

/** Every platform's config (attestations left out), read through verified bytes. */
async function configsOf(top: Descriptor, source: BlobSource, manifests: Map<string, Buffer>, known?: ScanTarget[]): Promise<ImageConfig[]> {
  const targets = known ?? await scanTargets(top, source, manifests);
  const configs: ImageConfig[] = [];
  for (const t of targets) {
    const bytes = await source.read(t.manifest.config);
    try {
      configs.push(parseOciJson(bytes.toString('utf8'), CONFIG_FIELDS) as ImageConfig);
    } catch (err) {
      const refusal = err instanceof GoJsonRefusal ? err : undefined;
      throw new ImmutagError('IMAGE_INVALID', `The config ${t.manifest.config.digest} of ${t.descriptor.digest} cannot be read: ${refusal?.message ?? 'it is not JSON'}`, {
        hint: refusal?.hint ?? 'The image is malformed; rebuild it with a standard tool.',
      });
    }
  }
  return configs;
}

/** The revision and source every platform agrees on, or why there is none. */
export function identityOf(configs: readonly ImageConfig[], what: string): Identity | { missing: string } {
  const seen = configs.map((c) => ({ revision: label(c, REVISION_LABEL), source: label(c, SOURCE_LABEL) }));
  const one = seen[0];
  if (one === undefined || one.revision === undefined || one.source === undefined) {
    return { missing: `${what} does not carry both ${REVISION_LABEL} and ${SOURCE_LABEL} labels (docker/metadata-action's labels output sets them)` };
  }
  if (seen.some((s) => s.revision !== one.revision || s.source !== one.source)) {
    return { missing: `the platforms of ${what} carry different ${REVISION_LABEL} or ${SOURCE_LABEL} labels` };
  }
  return { revision: one.revision, source: one.source };
}

function label(config: ImageConfig, name: string): string | undefined {
  const value = config.config?.Labels?.[name];
  return typeof value === 'string' && value.trim() !== '' ? value : undefined;
}

/** Repositories of the run that do not hold `digest` (a promotion never copies blobs). */
async function missingRepositories(client: RegistryClient, refs: readonly TagInput[], digest: string): Promise<string[]> {
  const repos = new Map(refs.map((r) => [`${r.registry}/${r.repository}`, r]));
  const missing: string[] = [];
  for (const [name, ref] of repos) {
    const state = await client.manifestState({ registry: ref.registry, repository: ref.repository, digest });
    if (state.kind === 'unknown') {
      throw new ImmutagError(state.code, `Cannot tell whether ${name} holds ${digest}: ${state.reason}`, { hint: state.hint });
    }
    if (state.kind === 'absent') missing.push(name);
  }
  return missing;
}

export interface PromotedWriteOptions {
  client: RegistryClient;
  promotion: Promotion;
  refs: readonly TagInput[];
  gate: GateResult;
  rows: TagReport[];
  mutablePatterns: readonly string[];
  logger: Logger;
  /** The tag-write protocol's settle window (tag-settle-seconds). */
  settleMs: number;
  /** Tests: the same hooks as a push's (another job takes a tag, the settle window's clock). */
  hooks?: PushHooks;
}

/**
 * Writes every tag of the run to the promoted image through the tag-write protocol
 * (re-check, PUT, read back, and the settle read of every tag written). The content
 * is already in each repository (missingRepositories checked it), so there is
 * nothing to push before the PUT.
 */
export async function writePromotedTags(options: PromotedWriteOptions): Promise<void> {
  const { promotion, client } = options;
  const matcher = await compileTagPatterns(options.mutablePatterns);
  const seen = new Map(options.gate.results.map((r) => [r.tag, r.state]));
  let writer: TagWriter;
  try {
    writer = await startTagWrites(client, options.refs, matcher, promotion.top.digest, { settleMs: options.settleMs }, options.hooks);
  } catch (err) {
    if (err instanceof PartialPushError) markRowFailed(options.rows, err.failedTag, err.failure);
    throw err;
  }
  const write = async (ref: TagInput): Promise<void> => {
    const row = options.rows.find((r) => r.reference === ref.input);
    const pattern = matcher.matchingPattern(ref.tag);
    const state = seen.get(ref.input);
    try {
      const outcome = await writer.write({
        ref: { registry: ref.registry, repository: ref.repository, tag: ref.tag },
        label: ref.input,
        target: uploadTarget(ref.registry, ref.repository),
        top: promotion.top,
        bytes: promotion.bytes,
        ...(state ? { seen: state } : {}),
        ...(pattern !== undefined ? { mutablePattern: pattern } : {}),
      });
      if (row) row.state = outcome;
      const now = writer.overtakenBy(ref.input);
      if (row && now !== undefined) markOvertaken(row, now);
      options.logger.info(`${ref.input}: ${outcome} at ${promotion.top.digest} (promoted)`);
    } catch (err) {
      if (row && err instanceof ImmutagError) markTagFailed(row, err);
      // The tags written before are reported only after the settle read that vouches for them.
      for (const f of await writer.settleAfterFailure()) markRowFailed(options.rows, f.label, f.error);
      throw err;
    }
  };
  await writer.writeInOrder(options.refs, (ref) => matcher.matchingPattern(ref.tag) !== undefined, write, (failures) => {
    for (const f of failures) markRowFailed(options.rows, f.label, f.error);
    return new PartialPushError(failures[0]!.error, {}, failures[0]!.label);
  });
}

