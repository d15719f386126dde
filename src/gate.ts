// The tag gate: before anything is pushed, ask the registry about every target tag
// and refuse to move an immutable one. It fails closed: a tag whose state cannot be
// seen is an error, never a pass, because "could not see it" is not "it is free".
import type { Logger } from './log.ts';
import type { TagReference } from './reference.ts';
import type { TagState } from './registry/tag-state.ts';
import { judgeTag, judgeTags, type TagStateSource, type TagVerdict } from './registry/tag-verdict.ts';
import { tagMatcher, type TagMatcher } from './tag-pattern.ts';

export type GateOutcome = 'pass' | 'violation' | 'error';
export type { Verdict } from './registry/tag-verdict.ts';
export { tagError } from './registry/tag-verdict.ts';
/** One tag's verdict (the registry library defines it, so the pusher judges tags the same way). */
export type GateTagResult = TagVerdict;

export interface GateResult {
  /** One per input reference, in input order. */
  results: GateTagResult[];
  /** `violation` wins over `error`: it is a definite answer the user must act on. */
  result: GateOutcome;
  /** The tags that already exist, for the `existing` output. */
  existing: { tag: string; digest: string }[];
}

export interface GateOptions {
  refs: readonly (TagReference & { input?: string })[];
  /** Glob patterns of tag names that may move, or a compiled matcher. Default: none. */
  mutablePatterns?: readonly string[] | TagMatcher;
  client: TagStateSource;
  logger: Logger;
  /** Tags checked at once (default TAGS_AT_ONCE, 8). */
  concurrency?: number;
  /** The digest about to be pushed: a tag already there is `same` and passes (re-runs succeed). */
  expectedDigest?: string;
}

export async function checkTags(options: GateOptions): Promise<GateResult> {
  const matcher = await tagMatcher(options.mutablePatterns ?? []);
  const results = await judgeTags(options.client, options.refs, matcher, options.expectedDigest, {
    ...(options.concurrency !== undefined ? { concurrency: options.concurrency } : {}),
    judged: (result) => options.logger.info(`${result.tag}: ${describeState(result.state)} → ${result.verdict}`),
  });
  const existing = results.flatMap((r) => (r.state.kind === 'present' ? [{ tag: r.tag, digest: r.state.digest }] : []));
  return { results, result: outcome(results), existing };
}

/**
 * The gate's answers judged again for another image to deploy (a promotion): every
 * tag's state is weighed against `digest`, so a tag that named the new build is no
 * longer "same" once that build is not the one deployed.
 */
export async function rejudge(gate: GateResult, digest: string, mutablePatterns: readonly string[]): Promise<GateResult> {
  const matcher = await tagMatcher(mutablePatterns);
  const results = gate.results.map((r) => judgeTag(r.ref, r.tag, r.state, matcher, digest));
  return { ...gate, results, result: outcome(results) };
}

function outcome(results: readonly GateTagResult[]): GateOutcome {
  if (results.some((r) => r.verdict === 'violation')) return 'violation';
  if (results.some((r) => r.verdict === 'unknown')) return 'error';
  return 'pass';
}

export function describeState(state: TagState): string {
  switch (state.kind) {
    case 'present': return `exists at ${state.digest} (${state.mediaType})`;
    case 'absent': return 'does not exist';
    case 'unknown': return `unknown: ${state.reason}`;
  }
}
