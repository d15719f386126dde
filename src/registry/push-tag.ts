// Writing one tag, last, with the tightest window the protocol allows:
//
//   1. Look at the tag again, right before the write. Absent, or already at our
//      digest, or a mutable pattern: go on. At another digest that the gate did
//      not see: someone else pushed it meanwhile → TAG_MOVED (never overwrite).
//   2. PUT the manifest by tag. A registry that protects tags itself (ECR
//      TAG_INVALID "cannot be overwritten", Harbor 412 DENIED, any 4xx) is a
//      tag-exists violation in the registry's own words, not a crash.
//   3. HEAD the tag: it must name our digest. Another digest means a concurrent
//      writer won the race → TAG_MOVED; the job that does not own the tag fails.
//
// The registry API has no conditional write, so a writer landing between 1 and 2
// cannot be refused, only detected in 3 when it lands after us; the re-check keeps
// that window to one round trip.
import { ImmutagError } from '../errors.ts';
import type { Descriptor } from '../oci.ts';
import type { TagReference } from '../reference.ts';
import type { RegistryErrorEntry } from './errors.ts';
import { manifestState } from './manifest.ts';
import { accepted, checkStoredDigest, putManifest } from './push-manifest.ts';
import type { TagState } from './tag-state.ts';
import type { Transport } from './transport.ts';
import { pushRefusal, type UploadTarget } from './upload-session.ts';

export type TagOutcome = 'created' | 'unchanged' | 'moved';

export interface TagWrite {
  ref: TagReference;
  /** The tag as the user wrote it, for messages. */
  label: string;
  target: UploadTarget;
  top: Descriptor;
  bytes: Buffer;
  /** What the gate saw, when it ran: a tag that changed since then was moved by someone else. */
  seen?: TagState;
  /** The mutable-tags pattern that lets this tag move, if any. */
  mutablePattern?: string;
  beforeTagWrite?: (ref: TagReference) => Promise<void>;
  /** Runs right before the PUT (the pusher makes sure the content is there). */
  beforePut?: () => Promise<void>;
}

const WORDS_LIMIT = 300;
// Statuses that say nothing about the tag itself (missing repository, timeouts, rate limits).
const NOT_ABOUT_THE_TAG = new Set([404, 408, 429]);

export async function writeTag(transport: Transport, w: TagWrite): Promise<TagOutcome> {
  const ours = w.top.digest;
  const manifestTarget = { registry: w.ref.registry, repository: w.ref.repository, reference: w.ref.tag };
  await w.beforeTagWrite?.(w.ref);
  const before = await manifestState(transport, manifestTarget);
  if (before.kind === 'unknown') {
    throw new ImmutagError('TAG_STATE_UNKNOWN', `Cannot tell whether ${w.label} exists right before writing it: ${before.reason}`, { hint: before.hint });
  }
  if (before.kind === 'present' && before.digest === ours) return 'unchanged';
  if (before.kind === 'present' && w.mutablePattern === undefined) throw refuseMovedTag(w, before.digest);

  await w.beforePut?.();
  const answer = await putManifest(transport, w.target, w.ref.tag, w.top, w.bytes);
  if (!accepted(answer.status)) throw await tagRefusal(transport, w, answer.status, answer.errors);
  checkStoredDigest(answer.digest, ours, `PUT ${w.label}`);

  const after = await manifestState(transport, manifestTarget);
  if (after.kind === 'present' && after.digest === ours) return before.kind === 'present' ? 'moved' : 'created';
  if (after.kind === 'present') throw tagMoved(w.label, ours, after.digest, 'right after immutag wrote it');
  throw new ImmutagError('TAG_STATE_UNKNOWN', `${w.label} was written but reading it back failed: ${after.kind === 'unknown' ? after.reason : 'the registry says it does not exist'}`, {
    hint: 'The registry accepted the write but does not show it; do not deploy by tag until it resolves to the digest output.',
  });
}

/** The tag is at another digest now: moved since the gate looked, or there all along. */
function refuseMovedTag(w: TagWrite, theirs: string): ImmutagError {
  const gateSawIt = w.seen?.kind === 'present' && w.seen.digest === theirs;
  if (w.seen === undefined || gateSawIt) {
    const exists = new ImmutagError('TAG_EXISTS', `${w.label} already exists and points at ${theirs}; immutable tags are never moved`, {
      hint: 'Bump the version so the tag is new, or list the tag in mutable-tags if it is meant to move.',
    });
    return Object.assign(exists, { existingDigest: theirs });
  }
  return tagMoved(w.label, w.top.digest, theirs, 'while immutag was pushing');
}

/** The error carries `existingDigest` (theirs) so the report can show where the tag points. */
export function tagMoved(label: string, ours: string, theirs: string, when: string): ImmutagError {
  const moved = new ImmutagError('TAG_MOVED', `${label} was written by another pusher ${when}: it points at ${theirs}, not at this job's image ${ours}`, {
    hint: 'Two jobs pushed the same tag at once; the tag belongs to the other one and this job must not deploy it. Find the other job, and give each build its own version.',
  });
  return Object.assign(moved, { existingDigest: theirs });
}

async function tagRefusal(transport: Transport, w: TagWrite, status: number, errors: readonly RegistryErrorEntry[]): Promise<ImmutagError> {
  const words = registryWords(errors);
  const what = `PUT ${w.label}`;
  if (status === 401 || status >= 500 || NOT_ABOUT_THE_TAG.has(status) || isPermissionDenial(status, words)) {
    return pushRefusal(transport, w.target, status, errors, what);
  }
  const said = words === '' ? '' : `: "${words}"`;
  return new ImmutagError('TAG_EXISTS', `${w.label}: the registry refused to write the tag (HTTP ${status}${said})`, {
    hint: 'The registry itself protects this tag (immutable tags in ECR, Harbor, Artifact Registry and others answer this way when the tag exists). ' +
      'Bump the version so the tag is new.',
  });
}

/** 403 naming no tag is a missing permission (GHCR "permission_denied"), not a protected tag. */
function isPermissionDenial(status: number, words: string): boolean {
  return status === 403 && !/\b(tag|immutab|overwrit|exist)/i.test(words);
}

/** The registry's own messages, flattened to one bounded line without control characters. */
export function registryWords(errors: readonly RegistryErrorEntry[]): string {
  const text = errors.map((e) => (e.message ? `${e.code}: ${e.message}` : e.code)).join('; ');
  // eslint-disable-next-line no-control-regex
  const clean = text.replace(/[\u0000-\u001f\u007f-\u009f]+/g, ' ').replace(/\s+/g, ' ').trim();
  return clean.length > WORDS_LIMIT ? `${clean.slice(0, WORDS_LIMIT)}…` : clean;
}
