// What one tag's state means for a run that wants `expected` there: the gate's
// verdict, decided here so both the gate and the pusher (which is a library and does
// not import the gate) judge a tag the same way.
import { ImmutagError, TagExistsError } from '../errors.ts';
import { floatingTagHint } from '../floating-tag.ts';
import { mapPool } from '../pool.ts';
import { formatReference, type TagReference } from '../reference.ts';
import type { TagMatcher } from '../tag-pattern.ts';
import type { TagState } from './tag-state.ts';

export type Verdict = 'new' | 'same' | 'mutable' | 'violation' | 'unknown';

export interface TagVerdict {
  ref: TagReference;
  /** The reference as the user wrote it (or its canonical form). */
  tag: string;
  state: TagState;
  verdict: Verdict;
  /** The mutable-tags pattern the tag matches, if any (what let it move, for `mutable`). */
  pattern?: string;
}

export function judgeTag(ref: TagReference, tag: string, state: TagState, matcher: TagMatcher, expected: string | undefined): TagVerdict {
  const pattern = matcher.matchingPattern(ref.tag);
  // Whatever the verdict, a tag listed in mutable-tags says so (the report's `mutable`).
  const base = { ref: stripInput(ref), tag, state, ...(pattern !== undefined ? { pattern } : {}) };
  if (state.kind === 'unknown') return { ...base, verdict: 'unknown' };
  if (state.kind === 'absent') return { ...base, verdict: 'new' };
  if (expected !== undefined && state.digest === expected) return { ...base, verdict: 'same' };
  if (pattern !== undefined) return { ...base, verdict: 'mutable' };
  return { ...base, verdict: 'violation' };
}

/** What judging tags needs from a registry (RegistryClient fits). */
export interface TagStateSource {
  manifestState(ref: TagReference): Promise<TagState>;
}

/** Tags read at once: registries rate-limit bursts, and a few kept-alive connections serve a check best. */
export const TAGS_AT_ONCE = 8;

/**
 * Every tag's state read (`concurrency` at a time) and judged against `expected`, in
 * input order. `judged` hears of each verdict in input order too, as soon as it and all
 * before it are known: the gate logs them, and a log that followed the answers' order
 * would differ from run to run and put a tag away from where the user wrote it.
 */
export async function judgeTags(source: TagStateSource, refs: readonly (TagReference & { input?: string })[], matcher: TagMatcher,
  expected: string | undefined, options: { concurrency?: number; judged?: (verdict: TagVerdict) => void } = {}): Promise<TagVerdict[]> {
  const known: (TagVerdict | undefined)[] = new Array(refs.length);
  let told = 0;
  return mapPool(refs, options.concurrency ?? TAGS_AT_ONCE, async (ref, index) => {
    const verdict = judgeTag(ref, ref.input ?? formatReference(ref), await source.manifestState(ref), matcher, expected);
    known[index] = verdict;
    for (let next = known[told]; next !== undefined; next = known[told]) {
      told++;
      options.judged?.(next);
    }
    return verdict;
  });
}

/**
 * The error for a tag that did not pass (undefined for the others): what happened,
 * and what to do. Adapters turn these into annotations.
 */
export function tagError(result: TagVerdict): ImmutagError | undefined {
  const { state, tag } = result;
  if (result.verdict === 'violation' && state.kind === 'present') {
    return new TagExistsError(`${tag} already exists and points at ${state.digest}; immutable tags are never moved`, state.digest, {
      hint: floatingTagHint(result.ref.tag) ?? 'Bump the version so the tag is new, or list the tag (e.g. latest or pr-*) in mutable-tags if it is meant to move.',
    });
  }
  if (result.verdict === 'unknown' && state.kind === 'unknown') {
    return new ImmutagError('TAG_STATE_UNKNOWN', `Cannot tell whether ${tag} exists: ${state.reason}`, { hint: state.hint });
  }
  return undefined;
}

function stripInput(ref: TagReference & { input?: string }): TagReference {
  const out: TagReference = { registry: ref.registry, repository: ref.repository, tag: ref.tag };
  if (ref.digest !== undefined) out.digest = ref.digest;
  return out;
}
