// The failures of a tag write, each saying what happened, what it means for the tag,
// and what to do. A violation (TAG_EXISTS, TAG_MOVED) is only what shows the tag is
// someone else's: the registry's own words that it is taken or immutable, or a read
// showing another digest. Everything else is an error in the registry's words.
import { ImmutagError, RewrittenTagError, TagExistsError, TagMovedError, UnconfirmedWriteError } from '../errors.ts';
import { floatingTagHint } from '../floating-tag.ts';
import type { Descriptor } from '../oci.ts';
import type { TagReference } from '../reference.ts';
import type { ManifestPutAnswer } from './push-manifest.ts';
import { classifyTagRefusal, registryWords } from './tag-refusal.ts';
import type { TagState } from './tag-state.ts';
import type { Transport } from './transport.ts';
import { pushRefusal, type UploadTarget } from './upload-session.ts';

export interface TagWrite {
  ref: TagReference;
  /** The tag as the user wrote it, for messages. */
  label: string;
  target: UploadTarget;
  /** The manifest the tag must name, and its exact bytes. */
  top: Descriptor;
  bytes: Buffer;
  /** What the gate saw, when it ran: a tag that changed since then was moved by someone else. */
  seen?: TagState;
  /** The mutable-tags pattern that lets this tag move, if any. */
  mutablePattern?: string;
  /** Runs before the first PUT: makes sure the content is in the repository. None: it is already there. */
  beforePut?: () => Promise<void>;
}

const SERIALISE = 'Give jobs that push the same image one GitHub Actions `concurrency:` group (e.g. `concurrency: push-<image>` on the job), ' +
  'and turn on the registry\'s own tag immutability, which also stops writers that are not immutag.';

/** The tag is at another digest at the re-check: there all along (the gate saw it), or moved since. */
export function refuseTakenTag(w: TagWrite, theirs: string): ImmutagError {
  const gateSawIt = w.seen?.kind === 'present' && w.seen.digest === theirs;
  if (w.seen === undefined || gateSawIt) {
    return new TagExistsError(`${w.label} already exists and points at ${theirs}; immutable tags are never moved`, theirs, {
      hint: floatingTagHint(w.ref.tag) ?? 'Bump the version so the tag is new, or list the tag in mutable-tags if it is meant to move.',
    });
  }
  return tagMoved(w.label, w.top.digest, theirs, 'while immutag was pushing');
}

export function tagMoved(label: string, ours: string, theirs: string, when: string, options: { afterOurWrite?: boolean } = {}): TagMovedError {
  return new TagMovedError(`${label} was written by another pusher ${when}: it points at ${theirs}, not at this job's image ${ours}`, ours, theirs, {
    afterOurWrite: options.afterOurWrite ?? false,
    hint: 'Two jobs pushed the same tag at once; the tag belongs to the other one and this job must not deploy it (immutag leaves it as it is). ' + SERIALISE,
  });
}

/**
 * The write could not be vouched for in the settle window (see tag-write.ts, step 5).
 * `written`: it landed, late; the error says so (UnconfirmedWriteError.landed) and the report lists the tag as written.
 */
export function tooSlow(w: TagWrite, why: string, written = false): ImmutagError {
  const message = written
    ? `${w.label} names this job's image, but ${why}; immutag cannot rule out that another job was told it owns the tag`
    : `${w.label} was not written: ${why}; immutag cannot rule out that another job was told it owns the tag`;
  const hint = written
    ? 'Check that no other job pushed this tag at the same time before deploying it: a re-run of this job would find the tag at this image and pass as unchanged, which does not settle it. If the registry is this slow, raise tag-settle-seconds (the same value for every job). ' + SERIALISE
    : 'The registry is failing or very slow; run again later.';
  return written ? new UnconfirmedWriteError(message, { hint, landed: true }) : new ImmutagError('TAG_STATE_UNKNOWN', message, { hint });
}

/** Step 3: the write landed, and the tag names `stored`, the digest the registry's answer named, not ours. */
export function rewrittenTag(w: TagWrite, stored: string): RewrittenTagError {
  return new RewrittenTagError(`${w.label} was written, and now names ${stored}, not this job's ${w.top.digest}: the registry stored the manifest rewritten`, w.top.digest, stored, {
    hint: 'The registry (or a proxy in front of it) rewrote the manifest, so the tag does not name the image immutag verified. Do not deploy it by tag; check the proxy.',
  });
}

export function unknownAfterWrite(w: TagWrite, state: TagState, wrote: boolean): ImmutagError {
  const why = state.kind === 'unknown' ? state.reason : 'the registry says it does not exist';
  if (!wrote) {
    const hint = state.kind === 'unknown' ? state.hint : '';
    return new ImmutagError('TAG_STATE_UNKNOWN', `Cannot tell whether ${w.label} exists right before writing it: ${why}`, { hint });
  }
  return new UnconfirmedWriteError(`${w.label} may have been written, but reading it back failed: ${why}`, {
    hint: 'The registry took or may have taken the write but does not show it; do not deploy by tag until it resolves to the digest output.',
  });
}

/**
 * A tag PUT answered with a refusal (not 2xx, not 408/429/5xx); `after`: the tag as read once it was.
 * "Not written" only on a read that says so: a read that failed leaves the tag unknown, perhaps written.
 */
export async function tagRefusal(transport: Transport, w: TagWrite, before: TagState, after: TagState, answer: ManifestPutAnswer): Promise<ImmutagError> {
  const words = registryWords(answer.errors);
  const kind = classifyTagRefusal(answer.status, words);
  const what = `PUT ${w.label}`;
  if (kind === 'auth') return pushRefusal(transport, w.target, answer.status, answer.errors, what);
  const refused = `${w.label}: the registry refused to write the tag (HTTP ${answer.status}${words === '' ? '' : `: "${words}"`})`;
  const theirs = after.kind === 'present' && after.digest !== w.top.digest ? after.digest : undefined;
  if (theirs !== undefined && before.kind === 'absent') {
    return tagMoved(w.label, w.top.digest, theirs, `while immutag was writing it (the registry then refused the write: HTTP ${answer.status})`);
  }
  if (kind === 'protected' || theirs !== undefined) {
    return new TagExistsError(theirs ? `${refused}; it points at ${theirs}` : refused, theirs, {
      hint: 'The registry itself protects this tag (immutable tags in ECR, Harbor, Artifact Registry, Docker Hub and locked tags in ACR answer this way when the tag exists). ' +
        'Bump the version so the tag is new.',
    });
  }
  if (after.kind === 'unknown') {
    // A registry (or a gateway in front of it) may apply a write it answers with a refusal;
    // only a read says it did not, and this one failed: unknown, perhaps written.
    return new UnconfirmedWriteError(`${w.label} may have been written: the registry refused the write (HTTP ${answer.status}${words === '' ? '' : `: "${words}"`}), ` +
      `which a registry may apply all the same, and the read after it failed: ${after.reason}`, {
      hint: 'Check whether the tag resolves to the digest output before deploying by tag. If the tag does not exist, the refusal stands: ' + refusalHint(answer, kind === 'locked'),
    });
  }
  return new ImmutagError('REGISTRY_ERROR', `${refused}; the tag was not written`, { hint: refusalHint(answer, kind === 'locked') });
}

function refusalHint(answer: ManifestPutAnswer, locked: boolean): string {
  const codes = new Set(answer.errors.map((e) => e.code));
  if (locked) return 'The registry says the repository or image is locked, and the tag does not exist yet: unlock the repository (ACR: az acr repository update --write-enabled true) or push to another one.';
  if (codes.has('MANIFEST_BLOB_UNKNOWN') || codes.has('BLOB_UNKNOWN')) {
    return 'The registry does not hold a blob the manifest names (removed by garbage collection during the push, or lost by a proxy). Run again; this is not about the tag being taken.';
  }
  if (answer.status === 413) return 'The registry or a proxy in front of it refused the size (a storage quota or a body limit). Free space or raise the limit; this is not about the tag being taken.';
  return 'The registry refused the write for a reason other than the tag being taken (read-only mode, a policy, a quota): its words above say which.';
}
