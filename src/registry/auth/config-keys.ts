// Which key of a config's `auths` / `credHelpers` belongs to a registry. Docker keys
// entries by server address (`https://index.docker.io/v1/` for Docker Hub, else the
// host) but also accepts legacy URL forms (`https://host`, `http://host/v1/`) by
// reducing them to the host (docker/cli config/credentials/file_store.go
// ConvertToHostname). containers auth.json adds namespace keys
// (`quay.io/team`, `quay.io/team/app`); the most specific match wins.

export const DOCKER_HUB_SERVER = 'https://index.docker.io/v1/';
const HUB_HOSTS = new Set(['docker.io', 'index.docker.io', 'registry-1.docker.io']);

interface NormalisedKey {
  host: string;
  path: string;
}

/** What a credential helper is asked for: Docker Hub's legacy server URL, else the host. */
export function helperServer(registry: string): string {
  return canonicalHost(registry) === 'docker.io' ? DOCKER_HUB_SERVER : registry;
}

/** The key that applies to `registry` (and `repository`), or undefined. */
export function findEntry(keys: readonly string[], registry: string, repository?: string): string | undefined {
  const host = canonicalHost(registry);
  const preferred = new Set([helperServer(registry), registry]);
  let best: { key: string; score: number } | undefined;
  for (const key of keys) {
    const norm = normaliseKey(key);
    if (norm.host !== host) continue;
    if (norm.path !== '' && !coversRepository(norm.path, repository)) continue;
    // Longer namespace first; among equals, the exact server address Docker itself writes.
    const score = norm.path.length * 2 + (preferred.has(key) ? 1 : 0);
    if (best === undefined || score > best.score) best = { key, score };
  }
  return best?.key;
}

export function normaliseKey(key: string): NormalisedKey {
  let rest = key.trim();
  const hadScheme = /^https?:\/\//i.test(rest);
  rest = rest.replace(/^https?:\/\//i, '');
  const slash = rest.indexOf('/');
  const host = canonicalHost(slash === -1 ? rest : rest.slice(0, slash));
  // A URL's path is an API version (`/v1/`), not a namespace; only bare keys carry namespaces.
  const path = hadScheme || slash === -1 ? '' : rest.slice(slash + 1).replace(/\/+$/, '');
  return { host, path };
}

// Lowercase with `:443` elided, as registries are https unless listed insecure (origin.ts).
function canonicalHost(host: string): string {
  const lower = host.toLowerCase().replace(/:443$/, '');
  return HUB_HOSTS.has(lower) ? 'docker.io' : lower;
}

function coversRepository(path: string, repository: string | undefined): boolean {
  if (repository === undefined) return false;
  return repository === path || repository.startsWith(`${path}/`);
}
