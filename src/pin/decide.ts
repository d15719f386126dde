// What one reference's registry answer means. An immutable tag that no longer points
// at the digest the file pins has MOVED (a violation, both digests named); a mutable
// tag that moved has an update (re-pinned by `pin`, reported by `--check`). The
// pinned digest is the record of what the tag pointed at when it was last pinned or
// checked: pin writes it, and --check compares the registry against it.
import { withoutCredentials } from '../reference.ts';
import { shortDigest } from '../report/markdown.ts';
import type { TagState } from '../registry/tag-state.ts';
import type { TagMatcher } from '../tag-pattern.ts';
import type { FoundReference, PinRow, PinState } from './model.ts';
import type { ReadReference } from './reference-text.ts';

export interface Decision {
  row: PinRow;
  /** The digest to write into the file, when this run rewrites the reference. */
  write?: string;
  /**
   * A pinned digest the tag no longer names itself (a mutable tag moved on, or an index
   * lists it as one platform's manifest) and that stays in the file: the registry is
   * asked for it, since the runtime pulls it and the tag's answer says nothing of whether
   * it still exists.
   */
  confirm?: { digest: string; tagNow: string };
}

export type DecideMode = 'pin' | 'check';

export function rowOf(found: FoundReference, state: PinState, extra: Partial<PinRow> = {}): PinRow {
  return { file: found.file, line: found.line, column: found.column, kind: found.kind, reference: withoutCredentials(found.text), state, ...extra };
}

export function decide(found: FoundReference, read: ReadReference, state: TagState | undefined, mode: DecideMode, matcher: TagMatcher): Decision {
  if (found.skip !== undefined) return { row: rowOf(found, 'skipped', { reason: found.skip }) };
  if (found.uneditable !== undefined && mode === 'pin') return { row: rowOf(found, 'skipped', { reason: `${found.uneditable}; pin it by hand` }) };
  if (read.kind === 'skip') return { row: rowOf(found, 'skipped', { reason: read.reason }) };
  if (read.kind === 'invalid') return { row: rowOf(found, 'invalid', { code: 'INVALID_REFERENCE', reason: read.reason }) };
  const ref = read.ref;
  if (state === undefined || state.kind === 'unknown') {
    const reason = state?.kind === 'unknown' ? `${state.reason}. ${state.hint}` : 'not looked up';
    return { row: rowOf(found, 'unknown', { code: state?.kind === 'unknown' ? state.code : 'TAG_STATE_UNKNOWN', reason }) };
  }
  if (ref.tag === undefined && ref.digest !== undefined) {
    if (state.kind === 'absent') return { row: rowOf(found, 'missing', { reason: `the registry has no manifest ${ref.digest}` }) };
    return { row: rowOf(found, 'exists', { digest: ref.digest }) };
  }
  const tag = ref.tag ?? 'latest';
  const mutable = matcher.isMutable(tag);
  if (state.kind === 'absent') {
    return { row: rowOf(found, 'missing', { mutable, reason: `the tag ${tag} does not exist in the registry` }) };
  }
  const now = state.digest;
  if (ref.digest === undefined) {
    if (mode === 'check') {
      const byHand = found.uneditable === undefined ? '' : ` (${found.uneditable}: immutag pin cannot rewrite it, so pin it by hand)`;
      return { row: rowOf(found, 'unpinned', { mutable, currentDigest: now, reason: `names a tag, not a digest; the tag points at ${now}${byHand}` }) };
    }
    return { row: rowOf(found, 'pinned', { mutable, digest: now }), write: now };
  }
  if (ref.digest === now) return { row: rowOf(found, 'up-to-date', { mutable, digest: now }) };
  // Pinned to one platform's manifest (crane digest --platform): the tag still names it,
  // as long as it is the platform the file asks for, and an image, not an attestation.
  const child = state.children?.find((c) => c.digest === ref.digest);
  const mismatch = child === undefined ? undefined : platformMismatch(child.platform, found.platform);
  if (child !== undefined && mismatch !== undefined) {
    const right = state.children?.find((c) => samePlatform(c.platform, found.platform));
    return {
      row: rowOf(found, 'moved', {
        mutable, pinnedDigest: ref.digest, currentDigest: now, digest: ref.digest,
        reason: `${mismatch}${right === undefined ? '' : `; the ${right.platform} manifest of ${tag} is ${right.digest}`}`,
      }),
    };
  }
  if (child !== undefined) {
    const which = child.platform === undefined ? 'a manifest' : `the ${child.platform} manifest`;
    return {
      row: rowOf(found, 'up-to-date', { mutable, digest: ref.digest, reason: `pinned to ${which} of the index ${tag} points at (${shortDigest(now)})` }),
      confirm: { digest: ref.digest, tagNow: now },
    };
  }
  const moved = { mutable, pinnedDigest: ref.digest, currentDigest: now };
  if (!mutable) {
    return {
      row: rowOf(found, 'moved', {
        ...moved, digest: ref.digest,
        reason: `the tag moved: pinned ${ref.digest} (what the tag pointed at when last pinned), the tag now points at ${now}`,
      }),
    };
  }
  if (mode === 'check') {
    return {
      row: rowOf(found, 'update-available', { ...moved, digest: ref.digest, reason: `update available: ${tag} moved from ${shortDigest(ref.digest)} to ${shortDigest(now)}` }),
      confirm: { digest: ref.digest, tagNow: now },
    };
  }
  return { row: rowOf(found, 'updated', { ...moved, digest: now }), write: now };
}

/** Why a pin to this manifest of the index is not the image the file asks for; undefined when it is. */
function platformMismatch(child: string | undefined, asked: string | undefined): string | undefined {
  // BuildKit's attestation manifests sit in an index as unknown/unknown: never an image to run.
  if (child === 'unknown/unknown') return 'pinned to an attestation manifest of the index (unknown/unknown), not to an image';
  if (asked === undefined || samePlatform(child, asked)) return undefined;
  return `pinned to the ${child ?? 'unnamed'} manifest of the index, but the file asks for ${asked}`;
}

/** Two platform names for one platform, as Docker and Compose compare them (containerd's platforms.Normalize). */
function samePlatform(a: string | undefined, b: string | undefined): boolean {
  return a !== undefined && b !== undefined && normalPlatform(a) === normalPlatform(b);
}

const ARCHITECTURES: Readonly<Record<string, string>> = {
  x86_64: 'amd64', 'x86-64': 'amd64', aarch64: 'arm64', armhf: 'arm/v7', armel: 'arm/v6', i386: '386',
};

/** `os/arch[/variant]` as containerd normalises it: aliases named, arm's default variant v7, arm64's v8 and amd64's v1 dropped. */
function normalPlatform(name: string): string {
  const parts = name.toLowerCase().split('/');
  // A bare architecture (`amd64`) is Linux's.
  const [os, written, writtenVariant] = parts.length === 1 ? ['linux', parts[0]!, undefined] : [parts[0]!, parts[1]!, parts[2]];
  const [arch, aliasVariant] = (ARCHITECTURES[written] ?? written).split('/') as [string, string | undefined];
  let variant = writtenVariant ?? aliasVariant;
  if (arch === 'arm' && variant === undefined) variant = 'v7';
  if ((arch === 'arm64' && variant === 'v8') || (arch === 'amd64' && variant === 'v1')) variant = undefined;
  return variant === undefined ? `${os}/${arch}` : `${os}/${arch}/${variant}`;
}

const VIOLATIONS: readonly PinState[] = ['unpinned', 'moved', 'missing'];
const ERRORS: readonly PinState[] = ['unknown', 'invalid'];

export function isViolationState(state: PinState): boolean {
  return VIOLATIONS.includes(state);
}

export function isErrorState(state: PinState): boolean {
  return ERRORS.includes(state);
}
