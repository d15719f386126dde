// Opening one connection to an origin: TCP, through an HTTP(S)_PROXY's CONNECT tunnel
// when one applies, then TLS for https with the protocols offered by ALPN. The whole
// opening - TCP, proxy answer and TLS handshake - is held to one connect timeout, and
// a tunnel that fails names the proxy, not the registry: the registry was never reached.
import { request as httpRequest, type ClientRequest, type IncomingMessage } from 'node:http';
import type { RequestOptions } from 'node:https';
import { connect as netConnect, isIP, type Socket } from 'node:net';
import type { SecureContext, TLSSocket } from 'node:tls';
import { ImmutagError } from '../errors.ts';
import { proxyAuthorization, proxyFor, proxyUserinfo, type ProxyChoice } from './proxy-env.ts';
import { nodeHttps, nodeTls } from './builtins.ts';

export interface ConnectSettings {
  connectMs: number;
  /** Asked for only when a TLS connection is made: plain HTTP never builds a context. */
  tlsContext: () => SecureContext;
}

/**
 * One TLS context for every connection of a client, made when its first TLS connection
 * needs it: building one loads the whole CA store (system roots plus
 * NODE_EXTRA_CA_CERTS, or what tls.setDefaultCACertificates set), ~12 ms and ~8 MB,
 * which a plain-HTTP registry never uses.
 */
export function lazyTlsContext(): () => SecureContext {
  let context: SecureContext | undefined;
  return () => {
    context ??= nodeTls().createSecureContext();
    return context;
  };
}

/** A transport error with a code the retry policy and the error messages read. */
export function transportError(code: string, message: string): Error {
  return Object.assign(new Error(message), { code });
}

/** Host and port of an origin URL, without IPv6 brackets. */
export function hostPort(origin: URL): { host: string; port: number } {
  const host = origin.hostname.replace(/^\[|\]$/g, '');
  const port = Number(origin.port || (origin.protocol === 'https:' ? 443 : 80));
  return { host, port };
}

/**
 * A connected socket to `origin`, TLS-wrapped for https with `alpn` offered. The
 * caller reads `alpnProtocol` on the TLS socket to learn what the server chose.
 */
export function openConnection(origin: URL, alpn: readonly string[], settings: ConnectSettings): Promise<Socket> {
  let proxy: ProxyChoice | undefined;
  try {
    proxy = proxyFor(origin);
  } catch (err) {
    return Promise.reject(err);
  }
  const opening: Opening = [];
  const opened = proxy === undefined ? direct(origin, alpn, settings, opening) : tunnelled(origin, proxy, alpn, settings, opening);
  return withTimeout(opened, settings.connectMs, opening, () => proxy === undefined
    ? transportError('CONNECT_TIMEOUT', `connecting to ${origin.host} took longer than ${settings.connectMs / 1000} s`)
    : tunnelError(transportError('CONNECT_TIMEOUT', `no answer within ${settings.connectMs / 1000} s`), proxy, origin.host, settings.connectMs));
}

/** What an opening has created so far: destroyed when it runs out of time, so nothing lingers. */
type Opening = { destroy(): void }[];

async function direct(origin: URL, alpn: readonly string[], settings: ConnectSettings, opening: Opening): Promise<Socket> {
  const { host, port } = hostPort(origin);
  if (origin.protocol !== 'https:') return connected(track(opening, netConnect({ host, port })), 'connect');
  return connected(track(opening, nodeTls().connect({ port, ...tlsOptions(host, alpn, settings) })), 'secureConnect');
}

async function tunnelled(origin: URL, proxy: ProxyChoice, alpn: readonly string[], settings: ConnectSettings, opening: Opening): Promise<Socket> {
  const { host, port } = hostPort(origin);
  let tunnel: Socket;
  try {
    tunnel = await openTunnel(proxy, `${isIP(host) === 6 ? `[${host}]` : host}:${port}`, settings, opening);
  } catch (err) {
    throw tunnelError(err, proxy, origin.host, settings.connectMs);
  }
  if (origin.protocol !== 'https:') return tunnel;
  return connected(track(opening, nodeTls().connect({ socket: tunnel, ...tlsOptions(host, alpn, settings) })), 'secureConnect');
}

function track<T extends { destroy(): void }>(opening: Opening, item: T): T {
  opening.push(item);
  return item;
}

function tlsOptions(host: string, alpn: readonly string[], settings: ConnectSettings) {
  // SNI carries names only (RFC 6066 3); an address is verified against the certificate's
  // IP SANs. Node checks the certificate against `servername`, else `host`, else the
  // socket's own peer: in a tunnel that is the proxy, so `host` is always given.
  return { host, ...(isIP(host) === 0 ? { servername: host } : {}), secureContext: settings.tlsContext(), ALPNProtocols: [...alpn] };
}

/** Resolves once `event` (connect, secureConnect) fires; rejects on the socket's first error. */
function connected<S extends Socket | TLSSocket>(socket: S, event: string): Promise<S> {
  return new Promise((resolve, reject) => {
    const onError = (err: Error) => reject(err);
    socket.on('error', onError);
    socket.once(event, () => {
      socket.removeListener('error', onError);
      resolve(socket);
    });
  });
}

/** A CONNECT tunnel through the proxy to `authority` (host:port). */
function openTunnel(proxy: ProxyChoice, authority: string, settings: ConnectSettings, opening: Opening): Promise<Socket> {
  const headers: Record<string, string> = { host: authority };
  const userinfo = proxyUserinfo(proxy.url);
  if (userinfo !== undefined) headers['proxy-authorization'] = proxyAuthorization(userinfo);
  const { host, port } = hostPort(proxy.url);
  const options = { host, port, method: 'CONNECT', path: authority, headers, agent: false as const };
  return new Promise((resolve, reject) => {
    const req: ClientRequest = track(opening, proxy.url.protocol === 'https:'
      ? nodeHttps().request({ ...options, secureContext: settings.tlsContext() } as RequestOptions)
      : httpRequest(options));
    req.once('connect', (res: IncomingMessage, socket: Socket, head: Buffer) => {
      track(opening, socket);
      if (res.statusCode !== 200) {
        socket.destroy();
        const code = res.statusCode === 407 ? 'PROXY_AUTH' : 'PROXY_REFUSED';
        reject(transportError(code, `the proxy answered CONNECT with ${res.statusCode}${res.statusCode === 407 ? ' (Proxy Authentication Required)' : ''}`));
        return;
      }
      // Bytes the server sent after its answer belong to the tunnel's first reader.
      if (head.length > 0) socket.unshift(head);
      resolve(socket);
    });
    req.on('error', reject);
    req.end();
  });
}

function tunnelError(err: unknown, proxy: ProxyChoice, target: string, connectMs: number): ImmutagError {
  const code = (err as { code?: unknown }).code;
  const what = code === 'CONNECT_TIMEOUT' ? `did not open a tunnel to ${target} within ${connectMs / 1000} s` : `could not open a tunnel to ${target}`;
  const detail = err instanceof Error ? err.message : String(err);
  return new ImmutagError('REGISTRY_UNREACHABLE', `The proxy ${proxy.url.origin} (${proxy.variable}) ${what} (${String(code ?? 'error')}: ${detail})`, {
    hint: code === 'PROXY_AUTH' ? proxyAuthHint(proxy) : 'The registry was never reached: check that the proxy is up and answers CONNECT, or list the registry in NO_PROXY if it should be reached directly.',
    cause: err,
  });
}

/** A 407: the proxy is up and answered, and wants credentials, or other ones. */
function proxyAuthHint(proxy: ProxyChoice): string {
  const encoding = 'percent-encoded: a : @ / ? # in them is written %3A %40 %2F %3F %23';
  if (proxyUserinfo(proxy.url) === undefined) {
    return `The registry was never reached: the proxy wants credentials (user:password). Put them in ${proxy.variable} as http://user:password@proxy:port (${encoding}), or list the registry in NO_PROXY if it should be reached directly.`;
  }
  return `The registry was never reached: the proxy refused the credentials (user:password) in ${proxy.variable}. Check them with the proxy's owner (${encoding}).`;
}

/** `work` within `ms`, or the error `onTimeout` makes, with everything it opened destroyed. */
function withTimeout<T>(work: Promise<T>, ms: number, opening: Opening, onTimeout: () => Error): Promise<T> {
  return new Promise((resolve, reject) => {
    let late = false;
    const timer = setTimeout(() => {
      late = true;
      for (const item of opening) item.destroy();
      reject(onTimeout());
    }, ms);
    work.then((value) => {
      clearTimeout(timer);
      if (!late) resolve(value);
    }, (err: unknown) => {
      clearTimeout(timer);
      for (const item of opening) item.destroy();
      if (!late) reject(err);
    });
  });
}
