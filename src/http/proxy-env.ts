// Which proxy a request goes through, from HTTP(S)_PROXY and NO_PROXY, read the way
// undici's EnvHttpProxyAgent (immutag's transport before its own) reads them, so that
// moving off it changed no one's routing: the lowercase variable first, an https
// request falls back to the http proxy, and NO_PROXY lists host names (a leading `.`
// or `*.` is the same as none: the name and its subdomains), each with an optional
// port, or `*` for every host. Loopback hosts are not exempt unless listed. A
// variable that is set but is not a URL is an error, not a direct connection.
import { BlockList, isIP } from 'node:net';
import { ImmutagError } from '../errors.ts';

export interface ProxyChoice {
  url: URL;
  /** The variable it came from, for messages (the URL can hold credentials; the name never does). */
  variable: string;
}

const HTTPS_VARS = ['https_proxy', 'HTTPS_PROXY'];
const HTTP_VARS = ['http_proxy', 'HTTP_PROXY'];

export function proxyConfigured(env: NodeJS.ProcessEnv = process.env): boolean {
  return [...HTTPS_VARS, ...HTTP_VARS].some((name) => Boolean(env[name]));
}

/**
 * The secrets HTTP(S)_PROXY hold: the password in a proxy URL (or the user, when it is a
 * token with no password) as the variable writes it, as the URL parser re-encodes it,
 * decoded, and the Proxy-Authorization value it makes. Every one of the variables, read
 * or not: a scanner that runs later gets them all and may print the URL in an error,
 * which then reaches our log and report.
 */
export function proxyCredentials(env: NodeJS.ProcessEnv = process.env): string[] {
  const out: string[] = [];
  for (const name of [...HTTPS_VARS, ...HTTP_VARS]) {
    const raw = env[name] ?? '';
    out.push(...writtenSecrets(raw));
    const url = parseProxyUrl(raw);
    const userinfo = url === undefined ? undefined : proxyUserinfo(url);
    if (url === undefined || userinfo === undefined) continue;
    const secret = url.password === '' ? userinfo.user : userinfo.password;
    out.push(url.password || url.username, secret.toString('utf8'), proxyAuthorization(userinfo).slice('Basic '.length));
  }
  return out;
}

/**
 * The password (or the token user) exactly as the variable's text writes it: all before
 * the last `@`, whether or not the value is a URL. A password pasted without its
 * %-escapes (`pr0xy/s3cret`) makes the value no URL, yet a scanner that gets the variable
 * quotes it in its error, and Go also quotes the part its parser took for a port
 * (`invalid port ":pr0xy" after host`): that part is a secret in that quoted form only,
 * since a bare `2024` or `main` would be masked wherever a report says it.
 */
function writtenSecrets(raw: string): string[] {
  const rest = raw.includes('://') ? raw.slice(raw.indexOf('://') + 3) : raw;
  const userinfo = rest.slice(0, Math.max(0, rest.lastIndexOf('@')));
  const colon = userinfo.indexOf(':');
  const secret = colon === -1 || colon === userinfo.length - 1 ? userinfo.replace(/:$/, '') : userinfo.slice(colon + 1);
  if (secret === '') return [];
  const port = secret.split(/[/?#]/, 1)[0]!;
  return port === secret ? [secret] : [secret, `":${port}"`];
}

/**
 * A proxy variable's value as a URL (`proxy:3128` is http://proxy:3128); undefined when it
 * is not one, or when an `@` lies past the authority the parser read: then a password
 * holds a `/`, `?` or `#` unescaped (`http://user:2024/Summer@proxy:3128` parses as host
 * `user`, port 2024), and using it would look the user name up in DNS and print the
 * password's start as a port.
 */
function parseProxyUrl(raw: string): URL | undefined {
  if (raw === '') return undefined;
  const rest = raw.includes('://') ? raw.slice(raw.indexOf('://') + 3) : raw;
  const authorityEnd = rest.search(/[/?#]/);
  if (authorityEnd !== -1 && rest.indexOf('@', authorityEnd) !== -1) return undefined;
  try {
    return new URL(raw.includes('://') ? raw : `http://${raw}`);
  } catch {
    return undefined;
  }
}

/** The user and password a proxy URL holds, as the bytes its %-escapes name; undefined when it holds none. */
export function proxyUserinfo(url: URL): { user: Buffer; password: Buffer } | undefined {
  if (url.username === '' && url.password === '') return undefined;
  return { user: percentDecoded(url.username), password: percentDecoded(url.password) };
}

/** The Proxy-Authorization value for them (Basic over their bytes, as curl and Go send it). */
export function proxyAuthorization(userinfo: { user: Buffer; password: Buffer }): string {
  return `Basic ${Buffer.concat([userinfo.user, Buffer.from(':'), userinfo.password]).toString('base64')}`;
}

/** Each %XX as the byte it names (not only valid UTF-8, as curl and Go decode); a malformed `%zz` kept as written. */
function percentDecoded(text: string): Buffer {
  const parts: Buffer[] = [];
  let at = 0;
  for (const m of text.matchAll(/%[0-9a-f]{2}/gi)) {
    parts.push(Buffer.from(text.slice(at, m.index)), Buffer.from([Number.parseInt(m[0].slice(1), 16)]));
    at = m.index + 3;
  }
  parts.push(Buffer.from(text.slice(at)));
  return Buffer.concat(parts);
}

/** The proxy for `target`, or undefined to connect directly. */
export function proxyFor(target: URL, env: NodeJS.ProcessEnv = process.env): ProxyChoice | undefined {
  const names = target.protocol === 'https:' ? [...HTTPS_VARS, ...HTTP_VARS] : HTTP_VARS;
  const variable = names.find((name) => Boolean(env[name]));
  if (variable === undefined || bypassed(target, env['no_proxy'] || env['NO_PROXY'] || '')) return undefined;
  const url = parseProxyUrl(env[variable]!);
  if (url !== undefined && url.protocol !== 'http:' && url.protocol !== 'https:') {
    // A SOCKS proxy (socks5://) speaks no CONNECT: taken for an HTTP one, its origin printed as "null".
    throw new ImmutagError('INVALID_INPUT', `${variable} names a ${url.protocol.replace(/:$/, '')} proxy; immutag reaches registries through HTTP(S) proxies (CONNECT) only`, {
      hint: `Set ${variable} to an HTTP proxy's URL (http://proxy.example.com:3128), or list the registry in NO_PROXY to reach it directly.`,
    });
  }
  if (url === undefined) {
    // Connecting directly would route around a proxy the machine says to use (as Go's
    // ProxyFromEnvironment, docker's and crane's, refuses too). The value can hold
    // credentials, so only the variable's name is said.
    throw new ImmutagError('INVALID_INPUT', `${variable} is set but is not a URL immutag can read`, {
      hint: `Set ${variable} to the proxy's URL (http://proxy.example.com:3128), or list the registry in NO_PROXY to reach it directly.`,
    });
  }
  return { url, variable };
}

function bypassed(target: URL, noProxy: string): boolean {
  const host = target.hostname.replace(/^\[|\]$/g, '').toLowerCase();
  const port = target.port || (target.protocol === 'https:' ? '443' : '80');
  for (const raw of noProxy.split(/[,\s]+/)) {
    const entry = raw.trim().toLowerCase();
    if (entry === '') continue;
    if (entry === '*') return true;
    if (entry.includes('/')) {
      // A CIDR block (10.0.0.0/8, fd00::/8), as curl and Go read it: addresses only.
      if (inCidr(host, entry)) return true;
      continue;
    }
    const [name, entryPort] = splitPort(entry.replace(/^\*/, '').replace(/^\./, ''));
    if (entryPort !== undefined && entryPort !== port) continue;
    if (host === name || host.endsWith(`.${name}`)) return true;
  }
  return false;
}

function inCidr(host: string, entry: string): boolean {
  const [base, bits] = entry.split('/');
  const family = isIP(host);
  if (family === 0 || base === undefined || isIP(base) !== family || !/^\d{1,3}$/.test(bits ?? '')) return false;
  const list = new BlockList();
  try {
    list.addSubnet(base, Number(bits), family === 6 ? 'ipv6' : 'ipv4');
  } catch {
    return false;
  }
  return list.check(host, family === 6 ? 'ipv6' : 'ipv4');
}

/** `host:port`, `[v6]:port` or a bare name (a bare IPv6 address has no port). */
function splitPort(entry: string): [string, string | undefined] {
  const bracketed = /^\[([^\]]+)\](?::(\d+))?$/.exec(entry);
  if (bracketed) return [bracketed[1]!, bracketed[2]];
  const colon = entry.lastIndexOf(':');
  if (colon > 0 && entry.indexOf(':') === colon && /^\d+$/.test(entry.slice(colon + 1))) {
    return [entry.slice(0, colon), entry.slice(colon + 1)];
  }
  return [entry, undefined];
}
