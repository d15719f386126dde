// Asks the registry once per distinct tag (or digest), concurrently, through the same
// client as the gate: same credentials, one token per repository, and the same three
// answers. A lookup that throws is "unknown", never "absent".
import { mapPool } from '../pool.ts';
import { formatReference, type Reference } from '../reference.ts';
import { unknownFromError, type TagState } from '../registry/tag-state.ts';

export interface StateSource {
  manifestState(ref: Reference): Promise<TagState>;
}

/** What a reference is checked by: its tag (`latest` when it names none), or its digest when it names no tag. */
export function lookupOf(ref: Reference): Reference {
  if (ref.tag === undefined && ref.digest !== undefined) return { registry: ref.registry, repository: ref.repository, digest: ref.digest };
  return { registry: ref.registry, repository: ref.repository, tag: ref.tag ?? 'latest' };
}

export function lookupKey(ref: Reference): string {
  return formatReference(lookupOf(ref));
}

/**
 * A deploy tree names tens of tags: 32 in flight fill two HTTP/2 connections (16
 * streams each); a registry that limits bursts answers 429, which the client retries.
 */
export const RESOLVE_CONCURRENCY = 32;

export async function resolveStates(refs: readonly Reference[], source: StateSource, concurrency = RESOLVE_CONCURRENCY): Promise<Map<string, TagState>> {
  const distinct = new Map<string, Reference>();
  for (const ref of refs) distinct.set(lookupKey(ref), lookupOf(ref));
  const entries = [...distinct.entries()];
  const states = await mapPool(entries, concurrency, async ([, ref]) => {
    try {
      return await source.manifestState(ref);
    } catch (err) {
      return unknownFromError(err);
    }
  });
  return new Map(entries.map(([key], i) => [key, states[i]!]));
}
