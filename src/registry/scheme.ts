// HTTPS for every registry unless the user listed its host in `insecure-registries`.
// Unlike the Docker daemon, localhost gets no exception: a CI job that talks plain
// HTTP should say so. Custom CAs work through NODE_EXTRA_CA_CERTS instead.
import { ImmutagError } from '../errors.ts';

export class InsecureHosts {
  private readonly exact = new Set<string>();
  private readonly anyPort = new Set<string>();

  /** Entries are `host:port` (that port only) or `host` (every port of that host). */
  constructor(entries: readonly string[] = []) {
    for (const raw of entries) {
      const entry = normalise(raw);
      if (entry === '') continue;
      if (hasPort(entry)) this.exact.add(entry);
      else this.anyPort.add(entry);
    }
  }

  /** `hostPort` as in a reference or a URL's `host`: `127.0.0.1:5000`, `[::1]:5000`, `example.com`. */
  has(hostPort: string): boolean {
    const entry = normalise(hostPort);
    return this.exact.has(entry) || this.anyPort.has(hostOnly(entry));
  }

  schemeFor(hostPort: string): 'http' | 'https' {
    return this.has(hostPort) ? 'http' : 'https';
  }

  originFor(hostPort: string): string {
    return `${this.schemeFor(hostPort)}://${hostPort}`;
  }

  list(): string[] {
    return [...this.exact, ...this.anyPort];
  }
}

/** Accepts what people paste: `http://host:5000/`, ` host:5000 `. */
function normalise(raw: string): string {
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

function hostOnly(entry: string): string {
  return hasPort(entry) ? entry.replace(/:\d+$/, '') : entry;
}
