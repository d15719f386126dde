// Token scopes (`repository:acme/api:pull,push`): what a bearer token is for.
// https://distribution.github.io/distribution/spec/auth/scope/

export type RepositoryAction = 'pull' | 'push' | 'delete';

export function repositoryScope(repository: string, actions: readonly RepositoryAction[]): string {
  return `repository:${repository}:${actions.join(',')}`;
}

/** Scopes for pushing to `repository`, plus pull on the repositories blobs are mounted from. */
export function pushScopes(repository: string, mountFrom: readonly string[] = []): string[] {
  return normaliseScopes([
    repositoryScope(repository, ['pull', 'push']),
    ...mountFrom.map((source) => repositoryScope(source, ['pull'])),
  ]);
}

/**
 * Merges scopes on the same resource (`pull` + `push` → `pull,push`), dedups, sorts.
 * A scope is `type:name:actions`; the name may itself hold colons, so split at the
 * first and the last one.
 */
export function normaliseScopes(scopes: readonly string[]): string[] {
  // Every request normalises its scopes, and a run asks for a handful of distinct sets:
  // remembered, they cost a lookup instead of a parse and two sorts per request.
  const key = scopes.join('\n');
  let normal = normalised.get(key);
  if (normal === undefined) {
    normal = normalise(scopes);
    if (normalised.size >= REMEMBERED) normalised.clear();
    normalised.set(key, normal);
  }
  return [...normal];
}

const REMEMBERED = 256;
const normalised = new Map<string, readonly string[]>();

function normalise(scopes: readonly string[]): string[] {
  const byResource = new Map<string, Set<string>>();
  for (const scope of scopes.flatMap((s) => s.split(' ')).filter((s) => s !== '')) {
    const first = scope.indexOf(':');
    const last = scope.lastIndexOf(':');
    if (first === -1 || first === last) {
      byResource.set(scope, byResource.get(scope) ?? new Set());
      continue;
    }
    const resource = scope.slice(0, last);
    const actions = byResource.get(resource) ?? new Set<string>();
    for (const action of scope.slice(last + 1).split(',')) if (action !== '') actions.add(action);
    byResource.set(resource, actions);
  }
  return [...byResource.entries()]
    .map(([resource, actions]) => (actions.size === 0 ? resource : `${resource}:${[...actions].sort().join(',')}`))
    .sort();
}

/** True when `have` already grants everything in `want`. */
export function coversScopes(have: readonly string[], want: readonly string[]): boolean {
  const merged = normaliseScopes([...have, ...want]);
  const current = normaliseScopes(have);
  return merged.length === current.length && merged.every((s, i) => s === current[i]);
}
