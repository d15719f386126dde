// HTTPS for every registry unless the user listed its host in `insecure-registries`.
// Unlike the Docker daemon, localhost gets no exception: a CI job that talks plain
// HTTP should say so. Custom CAs work through NODE_EXTRA_CA_CERTS instead.
// Hosts are compared in their canonical form (origin.ts): `Registry.Local:8080`
// and `registry.local:8080` are one entry, and `host:80` is the plain-HTTP `host`.
import { ImmutagError } from '../errors.ts';
import { canonicalHost, canonicalHostname, canonicalOrigin } from './origin.ts';

export class InsecureHosts {
  private readonly exact = new Set<string>();
  private readonly anyPort = new Set<string>();
  private readonly entries: string[] = [];

  /** Entries are `host:port` (that port only) or `host` (every port of that host). */
  constructor(entries: readonly string[] = []) {
    for (const raw of entries) {
      const entry = strip(raw);
      if (entry === '') continue;
      this.entries.push(entry);
      if (hasPort(entry)) this.exact.add(canonicalHost('http', entry));
      else this.anyPort.add(canonicalHostname(entry));
    }
  }

  /** `hostPort` as in a reference or a URL's `host`: `127.0.0.1:5000`, `[::1]:5000`, `example.com`. */
  has(hostPort: string): boolean {
    return this.exact.has(canonicalHost('http', hostPort)) || this.anyPort.has(canonicalHostname(hostPort));
  }

  schemeFor(hostPort: string): 'http' | 'https' {
    return this.has(hostPort) ? 'http' : 'https';
  }

  /** The canonical origin: `http://127.0.0.1:5000`, `https://registry.example.com`. */
  originFor(hostPort: string): string {
    return canonicalOrigin(this.schemeFor(hostPort), hostPort);
  }

  list(): string[] {
    return [...this.entries];
  }
}

/** Accepts what people paste: `http://host:5000/`, ` host:5000 `. */
function strip(raw: string): string {
  const trimmed = raw.trim().toLowerCase().replace(/^[a-z]+:\/\//, '').replace(/\/.*$/, '');
  if (trimmed.includes('@')) {
    throw new ImmutagError('INVALID_INPUT', 'An insecure-registries entry contains "@"', {
      hint: 'List hosts as host:port, without credentials.',
    });
  }
  return trimmed;
}

function hasPort(entry: string): boolean {
  if (entry.startsWith('[')) return /\]:\d+$/.test(entry);
  return /:\d+$/.test(entry);
}
