// Errors are data: a registry's JSON error body becomes a typed error carrying the
// HTTP status and the `{code, message, detail}` list, and a failed connection gets
// a message that says which kind of failure it was and what to try.
// https://github.com/opencontainers/distribution-spec/blob/main/spec.md#error-codes
import type { Readable } from 'node:stream';
import { ImmutagError, type ErrorCode } from '../errors.ts';
import { readPrefix } from './body.ts';
import { errorCode, isRetryableStatus } from './retry.ts';

export interface RegistryErrorEntry {
  code: string;
  message: string;
  detail?: unknown;
}

export class RegistryHttpError extends ImmutagError {
  readonly status: number;
  readonly errors: readonly RegistryErrorEntry[];

  constructor(code: ErrorCode, message: string, status: number, errors: readonly RegistryErrorEntry[], hint: string) {
    super(code, message, { hint });
    this.status = status;
    this.errors = errors;
  }

  /** Whether trying again later may succeed (rate limits and server-side failures). */
  temporary(): boolean {
    return isRetryableStatus(this.status);
  }

  hasCode(...codes: string[]): boolean {
    return this.errors.some((e) => codes.includes(e.code));
  }
}

/** `{"errors":[…]}` per the distribution spec; some registries send one `{code,message}`. */
export function parseErrorBody(bytes: Uint8Array): RegistryErrorEntry[] {
  let json: unknown;
  try {
    json = JSON.parse(Buffer.from(bytes).toString('utf8'));
  } catch {
    return [];
  }
  if (typeof json !== 'object' || json === null) return [];
  const list = (json as { errors?: unknown }).errors;
  const raw = Array.isArray(list) ? list : [json];
  return raw.flatMap((item): RegistryErrorEntry[] => {
    if (typeof item !== 'object' || item === null) return [];
    const { code, message, detail } = item as Record<string, unknown>;
    if (typeof code !== 'string') return [];
    const entry: RegistryErrorEntry = { code, message: typeof message === 'string' ? message : '' };
    if (detail !== undefined) entry.detail = detail;
    return [entry];
  });
}

export function describeEntries(entries: readonly RegistryErrorEntry[]): string {
  return entries.map((e) => (e.message ? `${e.code}: ${e.message}` : e.code)).join('; ');
}

export interface ErrorContext {
  /** What was asked, for the message: "HEAD ghcr.io/acme/api:1.0". */
  what: string;
  /** Whether credentials were sent, which changes what a 401/403 means. */
  authenticated?: boolean;
}

/** Reads (a bounded part of) an error response and turns it into a RegistryHttpError. */
export async function responseError(status: number, body: Readable, context: ErrorContext): Promise<RegistryHttpError> {
  const entries = parseErrorBody(await readPrefix(body));
  return httpError(status, entries, context);
}

export function httpError(status: number, entries: readonly RegistryErrorEntry[], context: ErrorContext): RegistryHttpError {
  const said = entries.length > 0 ? `: ${describeEntries(entries)}` : '';
  const message = `${context.what} failed with HTTP ${status}${said}`;
  const { code, hint } = classifyStatus(status, context.authenticated ?? false);
  return new RegistryHttpError(code, message, status, entries, hint);
}

function classifyStatus(status: number, authenticated: boolean): { code: ErrorCode; hint: string } {
  if (status === 401 && !authenticated) {
    return { code: 'AUTH_REQUIRED', hint: 'The registry wants credentials: pass username/password or log in with docker/login-action first.' };
  }
  if (status === 401 || status === 403) {
    return { code: 'AUTH_FAILED', hint: 'The registry refused these credentials for this repository: check the username, the password or token, and its scopes.' };
  }
  if (status === 429) {
    return { code: 'REGISTRY_ERROR', hint: 'The registry is rate limiting this client; authenticate to raise the limit, or run again later.' };
  }
  if (status >= 500) {
    return { code: 'REGISTRY_ERROR', hint: 'The registry failed on its side; run again later, and check the registry\'s status page.' };
  }
  return { code: 'REGISTRY_ERROR', hint: 'The registry refused the request; the message above carries its reason.' };
}

const TLS_CODES = /^(ERR_TLS_|ERR_SSL_|CERT_|DEPTH_ZERO_SELF_SIGNED_CERT|SELF_SIGNED_CERT_IN_CHAIN|UNABLE_TO_|HOSTNAME_MISMATCH|EPROTO)/;
/**
 * OpenSSL's alerts for a handshake that found no TLS version or cipher both sides accept:
 * the certificate was never looked at, so a private CA is not the fix.
 */
const TLS_NEGOTIATION = /^ERR_SSL_(?:TLSV1_ALERT_PROTOCOL_VERSION|UNSUPPORTED_PROTOCOL|NO_PROTOCOLS_AVAILABLE|NO_SHARED_CIPHER|NO_CIPHERS_AVAILABLE|TLSV1_ALERT_INSUFFICIENT_SECURITY)$/;
/**
 * The server's handshake-failure alert says only that it gave up: no common cipher, or
 * (TLS 1.2) a client certificate it wanted and did not get; TLS 1.3 names the latter.
 */
const TLS_REFUSED = /^ERR_SSL_(?:SSL\/TLS_ALERT_HANDSHAKE_FAILURE|SSLV3_ALERT_HANDSHAKE_FAILURE)$/;
const TLS_CLIENT_CERTIFICATE = /^ERR_SSL_TLSV13_ALERT_CERTIFICATE_REQUIRED$/;
const TIMEOUT_CODES = new Set(['CONNECT_TIMEOUT', 'HEADERS_TIMEOUT', 'BODY_TIMEOUT', 'ETIMEDOUT']);

/** Turns a failed connection into REGISTRY_UNREACHABLE, naming the kind of failure. */
export function networkError(err: unknown, host: string, what: string): ImmutagError {
  if (err instanceof ImmutagError) return err;
  const code = errorCode(err) ?? 'unknown';
  const detail = shortDetail(err instanceof Error ? err.message : String(err));
  const make = (kind: string, hint: string): ImmutagError =>
    new ImmutagError('REGISTRY_UNREACHABLE', `${what}: ${kind} (${code}: ${detail})`, { hint, cause: err });
  if (code === 'ERR_SSL_WRONG_VERSION_NUMBER') {
    // What a plain-HTTP registry looks like from a TLS client: say that, not OpenSSL's words.
    return new ImmutagError('REGISTRY_UNREACHABLE', `${what}: ${host} answers in plain HTTP, not HTTPS`, {
      hint: `List ${host} in insecure-registries (CLI: --insecure-registries ${host}) to reach it over HTTP.`, cause: err,
    });
  }
  if (code === 'EPROTO') {
    return make(`TLS handshake with ${host} failed`,
      `If ${host} serves plain HTTP, list it in insecure-registries; otherwise check its TLS setup.`);
  }
  if (TLS_NEGOTIATION.test(code)) {
    return make(`the TLS handshake with ${host} found no TLS version or cipher both sides accept`,
      `immutag (Node ${process.versions.node}, OpenSSL ${process.versions.openssl}) speaks TLS 1.2 and 1.3 with current ciphers; have ${host}, or the proxy or load balancer in front of it, offer them.`);
  }
  if (TLS_CLIENT_CERTIFICATE.test(code)) {
    return make(`${host} asked for a TLS client certificate`,
      'immutag does not send client certificates (mutual TLS); reach the registry through an endpoint or proxy that does not require one.');
  }
  if (TLS_REFUSED.test(code)) {
    return make(`${host} ended the TLS handshake (handshake failure): it shares no cipher with immutag, or it wants a TLS client certificate`,
      `immutag (Node ${process.versions.node}, OpenSSL ${process.versions.openssl}) offers TLS 1.2 and 1.3 with current ciphers and sends no client certificate; check which of the two the registry, or the proxy or load balancer in front of it, requires.`);
  }
  if (TLS_CODES.test(code)) {
    return make(`the TLS certificate of ${host} was not accepted`,
      'For a private CA, set NODE_EXTRA_CA_CERTS to its PEM file before Node starts; for a plain-HTTP registry, list it in insecure-registries.');
  }
  if (TIMEOUT_CODES.has(code)) {
    return make(`${host} did not answer in time`, 'The registry or the network is slow or down; run again later.');
  }
  if (code === 'ECONNREFUSED') {
    return make(`nothing accepts connections at ${host}`, 'Check the registry host and port, and that the registry is running.');
  }
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') {
    return make(`the host name ${host} does not resolve`, 'Check the registry name in the reference.');
  }
  return make(`the connection to ${host} failed`, 'The registry or the network dropped the connection; run again later.');
}

/** OpenSSL's `40FD…:error:0A00010B:SSL routines:func:reason:file:line:` becomes its reason. */
function shortDetail(detail: string): string {
  const ssl = /error:[0-9A-F]+:SSL routines:[^:]*:([^:]+)/.exec(detail);
  return ssl ? ssl[1]! : detail;
}
