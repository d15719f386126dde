// Registry origins and names in one canonical form, so that every comparison agrees
// with the URLs the WHATWG URL parser produces: lowercase host, the
// scheme's default port elided (`:443` for https, `:80` for http), IPv6 in brackets
// and compressed. `Registry.Example.com`, `registry.example.com:443` and
// `registry.example.com` are one registry; comparing them as typed once meant such
// a registry never got its credentials and never got "absent".
import { ImmutagError } from '../errors.ts';

export type Scheme = 'http' | 'https';

/** `https://registry.example.com` for (`https`, `Registry.Example.com:443`). */
export function canonicalOrigin(scheme: Scheme, hostPort: string): string {
  return forms(scheme, hostPort).origin;
}

/** The host as a URL of `scheme` spells it: `registry.example.com`, `[::1]:5000`. */
export function canonicalHost(scheme: Scheme, hostPort: string): string {
  return forms(scheme, hostPort).host;
}

/** The host without its port: `registry.example.com`, `[::1]`. */
export function canonicalHostname(hostPort: string): string {
  return forms('https', hostPort).hostname;
}

/**
 * A registry name for comparing names (credentials, the registries the inputs belong
 * to): its canonical https host, as registries are https unless listed otherwise.
 */
export function registryKey(registry: string): string {
  return canonicalHost('https', registry);
}

/**
 * Repository names (`host/path`) without repeats, in order, each as first spelt: two
 * spellings of one registry (`LOCALHOST:5000`, `localhost:5000`; `host`, `host:443`) are
 * one, as the transport keys them.
 */
export function distinctRepositories(names: Iterable<string>): string[] {
  const byKey = new Map<string, string>();
  for (const name of names) {
    const slash = name.indexOf('/');
    const key = `${registryKey(name.slice(0, slash))}${name.slice(slash)}`;
    if (!byKey.has(key)) byKey.set(key, name);
  }
  return [...byKey.values()];
}

/** Whether an origin string (`https://Host:443`) names the same origin as `url`. */
export function sameOrigin(url: URL, origin: string): boolean {
  let canonical = origins.get(origin);
  if (canonical === undefined) {
    try {
      canonical = new URL(origin).origin;
    } catch {
      return false;
    }
    remember(origins, origin, canonical);
  }
  return url.origin === canonical;
}

interface HostForms {
  origin: string;
  host: string;
  hostname: string;
}

// Every request asks for its registry's canonical forms several times over (its origin,
// its auth session, the insecure list, the Authorization check), and the WHATWG parser
// is most of what that costs. The names a run meets are its registries and the hosts
// they redirect to: a few. The caches are emptied if they ever grow past that.
const MAX_REMEMBERED = 1024;
const hosts = new Map<string, HostForms>();
const origins = new Map<string, string>();

function remember<V>(cache: Map<string, V>, key: string, value: V): void {
  if (cache.size >= MAX_REMEMBERED) cache.clear();
  cache.set(key, value);
}

function forms(scheme: Scheme, hostPort: string): HostForms {
  const key = `${scheme} ${hostPort}`;
  let found = hosts.get(key);
  if (found === undefined) {
    const { origin, host, hostname } = parse(scheme, hostPort);
    found = { origin, host, hostname };
    remember(hosts, key, found);
  }
  return found;
}

function parse(scheme: Scheme, hostPort: string): URL {
  const text = hostPort.trim();
  try {
    if (text === '' || /[/?#@\s]/.test(text)) throw new TypeError('not a host');
    return new URL(`${scheme}://${text}`);
  } catch {
    // A user:password@ written into the value is never quoted (as insecure-registries entries, scheme.ts).
    const shown = text.includes('@') ? `***@${text.slice(text.lastIndexOf('@') + 1).slice(0, 300)}` : hostPort;
    throw new ImmutagError('INVALID_INPUT', `"${shown}" is not a registry host[:port]`, {
      hint: 'A registry is written as host or host:port: registry.example.com, 127.0.0.1:5000, [::1]:5000.',
    });
  }
}
