// HTTPS for every registry unless the user listed its host in `insecure-registries`.
// Custom CAs work through NODE_EXTRA_CA_CERTS instead.
//
// Loopback hosts (`localhost`, 127.0.0.0/8, `[::1]`) not listed are tried over HTTPS
// first and reached over plain HTTP when what answers there does not speak TLS, as
// the Docker daemon (127.0.0.0/8 is insecure by default, https tried first) and
// go-containerregistry (crane: http scheme for localhost/127.*/::1, its ping tries
// https first) do. Why: a registry on loopback is one on this machine (a CI service
// container, `registry:2` on localhost:5000, a port-forward); its traffic never
// crosses a network, so TLS there protects nothing from a network attacker, and
// making every such job list it is friction with no safety in return. HTTPS first,
// because a registry reached through loopback may still serve TLS (a port-forward
// to a remote registry, a test registry with its own CA), and then it must be used.
// The fallback happens only when the HTTPS attempt fails as "not TLS" (a plain-HTTP
// server answering the handshake), never on a certificate error, and never for a
// non-loopback host: those still fail with the hint to list them.
// Hosts are compared in their canonical form (origin.ts): `Registry.Local:8080`
// and `registry.local:8080` are one entry, and `host:80` is the plain-HTTP `host`.
import { CREDENTIALS_ADVICE, ImmutagError } from '../errors.ts';
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

  /** Whether `hostPort` is reached over plain HTTP when its HTTPS side does not speak TLS. */
  fallsBackToPlainHttp(hostPort: string): boolean {
    return !this.has(hostPort) && isLoopback(canonicalHostname(hostPort));
  }

  /** The scheme tried first (a loopback host may fall back to http: fallsBackToPlainHttp). */
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

// crane's rule, in canonical form (the URL parser turns `127.1` into `127.0.0.1`).
function isLoopback(hostname: string): boolean {
  return hostname === 'localhost' || hostname === '[::1]' || /^127\.\d+\.\d+\.\d+$/.test(hostname);
}

/** Accepts what people paste: `http://host:5000/`, ` host:5000 `. */
function strip(raw: string): string {
  // Before anything is cut: a password may hold a `/`, and what is left would be quoted.
  if (raw.includes('@')) {
    // Named without what comes before the last @: that is the user and password.
    throw new ImmutagError('INVALID_INPUT', `The insecure-registries entry "***@${raw.slice(raw.lastIndexOf('@') + 1).trim().slice(0, 300)}" contains credentials`, {
      hint: `List hosts as host:port, without credentials; ${CREDENTIALS_ADVICE}.`,
    });
  }
  return raw.trim().toLowerCase().replace(/^[a-z]+:\/\//, '').replace(/\/.*$/, '');
}

function hasPort(entry: string): boolean {
  if (entry.startsWith('[')) return /\]:\d+$/.test(entry);
  return /:\d+$/.test(entry);
}
