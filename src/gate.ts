// The tag gate: before anything is pushed, ask the registry about every target tag
// and refuse to move an immutable one. It fails closed: a tag whose state cannot be
// seen is an error, never a pass, because "could not see it" is not "it is free".
import { ImmutagError } from './errors.ts';
import { floatingTagHint } from './floating-tag.ts';
import type { Logger } from './log.ts';
import { mapPool } from './pool.ts';
import { formatReference, type TagReference } from './reference.ts';
import type { TagState } from './registry/tag-state.ts';
import { compileTagPatterns, type TagMatcher } from './tag-pattern.ts';

export type Verdict = 'new' | 'same' | 'mutable' | 'violation' | 'unknown';
export type GateOutcome = 'pass' | 'violation' | 'error';

export interface GateTagResult {
  ref: TagReference;
  /** The reference as the user wrote it (or its canonical form). */
  tag: string;
  state: TagState;
  verdict: Verdict;
  /** The mutable-tags pattern that let the tag move, for `mutable`. */
  pattern?: string;
}

export interface GateResult {
  /** One per input reference, in input order. */
  results: GateTagResult[];
  /** `violation` wins over `error`: it is a definite answer the user must act on. */
  result: GateOutcome;
  /** The tags that already exist, for the `existing` output. */
  existing: { tag: string; digest: string }[];
}

/** What the gate needs from a registry client (RegistryClient fits). */
export interface TagStateSource {
  manifestState(ref: TagReference): Promise<TagState>;
}

export interface GateOptions {
  refs: readonly (TagReference & { input?: string })[];
  /** Glob patterns of tag names that may move, or a compiled matcher. Default: none. */
  mutablePatterns?: readonly string[] | TagMatcher;
  client: TagStateSource;
  logger: Logger;
  /** Tags checked at once (default 8). */
  concurrency?: number;
  /** The digest about to be pushed: a tag already there is `same` and passes (re-runs succeed). */
  expectedDigest?: string;
}

export const DEFAULT_CONCURRENCY = 8;

export async function checkTags(options: GateOptions): Promise<GateResult> {
  const matcher = toMatcher(options.mutablePatterns ?? []);
  const results = await mapPool(options.refs, options.concurrency ?? DEFAULT_CONCURRENCY, async (ref) => {
    const tag = ref.input ?? formatReference(ref);
    const state = await options.client.manifestState(ref);
    const result = judge(ref, tag, state, matcher, options.expectedDigest);
    options.logger.debug(`${tag}: ${describeState(state)} → ${result.verdict}`);
    return result;
  });
  const existing = results.flatMap((r) => (r.state.kind === 'present' ? [{ tag: r.tag, digest: r.state.digest }] : []));
  return { results, result: outcome(results), existing };
}

function judge(ref: TagReference, tag: string, state: TagState, matcher: TagMatcher, expected: string | undefined): GateTagResult {
  const base = { ref: stripInput(ref), tag, state };
  if (state.kind === 'unknown') return { ...base, verdict: 'unknown' };
  if (state.kind === 'absent') return { ...base, verdict: 'new' };
  if (expected !== undefined && state.digest === expected) return { ...base, verdict: 'same' };
  const pattern = matcher.matchingPattern(ref.tag);
  if (pattern !== undefined) return { ...base, verdict: 'mutable', pattern };
  return { ...base, verdict: 'violation' };
}

function outcome(results: readonly GateTagResult[]): GateOutcome {
  if (results.some((r) => r.verdict === 'violation')) return 'violation';
  if (results.some((r) => r.verdict === 'unknown')) return 'error';
  return 'pass';
}

/**
 * The error for a tag the gate did not let through (undefined for the others): what
 * happened, and what to do. Adapters turn these into annotations.
 */
export function tagError(result: GateTagResult): ImmutagError | undefined {
  const { state, tag } = result;
  if (result.verdict === 'violation' && state.kind === 'present') {
    return new ImmutagError('TAG_EXISTS', `${tag} already exists and points at ${state.digest}; immutable tags are never moved`, {
      hint: floatingTagHint(result.ref.tag) ?? 'Bump the version so the tag is new, or list the tag (e.g. latest or pr-*) in mutable-tags if it is meant to move.',
    });
  }
  if (result.verdict === 'unknown' && state.kind === 'unknown') {
    return new ImmutagError('TAG_STATE_UNKNOWN', `Cannot tell whether ${tag} exists: ${state.reason}`, { hint: state.hint });
  }
  return undefined;
}

export function describeState(state: TagState): string {
  switch (state.kind) {
    case 'present': return `exists at ${state.digest} (${state.mediaType})`;
    case 'absent': return 'does not exist';
    case 'unknown': return `unknown: ${state.reason}`;
  }
}

function toMatcher(patterns: readonly string[] | TagMatcher): TagMatcher {
  return Array.isArray(patterns) ? compileTagPatterns(patterns as readonly string[]) : patterns as TagMatcher;
}

function stripInput(ref: TagReference & { input?: string }): TagReference {
  const out: TagReference = { registry: ref.registry, repository: ref.repository, tag: ref.tag };
  if (ref.digest !== undefined) out.digest = ref.digest;
  return out;
}
