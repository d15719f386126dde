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
  return parse(scheme, hostPort).origin;
}

/** The host as a URL of `scheme` spells it: `registry.example.com`, `[::1]:5000`. */
export function canonicalHost(scheme: Scheme, hostPort: string): string {
  return parse(scheme, hostPort).host;
}

/** The host without its port: `registry.example.com`, `[::1]`. */
export function canonicalHostname(hostPort: string): string {
  const { hostname } = parse('https', hostPort);
  return hostname;
}

/**
 * A registry name for comparing names (credentials, the registries the inputs belong
 * to): its canonical https host, as registries are https unless listed otherwise.
 */
export function registryKey(registry: string): string {
  return canonicalHost('https', registry);
}

/** Whether an origin string (`https://Host:443`) names the same origin as `url`. */
export function sameOrigin(url: URL, origin: string): boolean {
  try {
    return url.origin === new URL(origin).origin;
  } catch {
    return false;
  }
}

function parse(scheme: Scheme, hostPort: string): URL {
  const text = hostPort.trim();
  try {
    if (text === '' || /[/?#@\s]/.test(text)) throw new TypeError('not a host');
    return new URL(`${scheme}://${text}`);
  } catch {
    throw new ImmutagError('INVALID_INPUT', `"${hostPort}" is not a registry host[:port]`, {
      hint: 'A registry is written as host or host:port: registry.example.com, 127.0.0.1:5000, [::1]:5000.',
    });
  }
}
