// Upload sessions: `POST /v2/<name>/blobs/uploads/` opens one (or mounts the blob
// from another repository instead), and every answer carries the `Location` to
// send the next request to. The Location may be relative, absolute on the
// registry, or on another host (an upload service): it is followed as given, and
// http.ts attaches credentials only when it is the registry's own origin.
// https://github.com/opencontainers/distribution-spec/blob/main/spec.md#pushing-blobs
// https://github.com/opencontainers/distribution-spec/blob/main/spec.md#mounting-a-blob-from-another-repository
import type { IncomingHttpHeaders } from 'node:http';
import type { Readable } from 'node:stream';
import { ImmutagError } from '../errors.ts';
import type { Descriptor } from '../oci.ts';
import { discard, readPrefix } from './body.ts';
import { httpError, parseErrorBody, RegistryHttpError, type RegistryErrorEntry } from './errors.ts';
import { headerValue } from './http.ts';
import { sameOrigin } from './origin.ts';
import { pushScopes } from './scope.ts';
import type { Transport } from './transport.ts';

export interface UploadTarget {
  registry: string;
  repository: string;
  /** Token scopes for every request of the push (pull,push here, pull on mount sources). */
  scopes: readonly string[];
}

export interface UploadSession {
  /** Where the next PATCH or PUT goes. */
  location: URL;
  /** OCI-Chunk-Min-Length: the smallest chunk the registry takes, except the last. */
  minChunk?: number;
}

export type MountResult = { mounted: true } | { mounted: false; session: UploadSession };

export function uploadTarget(registry: string, repository: string, mountFrom: readonly string[] = []): UploadTarget {
  return { registry, repository, scopes: pushScopes(repository, mountFrom) };
}

/** Opens an upload session. */
export async function startUpload(transport: Transport, target: UploadTarget): Promise<UploadSession> {
  const what = `POST ${target.registry}/${target.repository} upload`;
  const res = await transport.request(postRequest(target, `/v2/${target.repository}/blobs/uploads/`));
  if (res.status !== 202) throw await pushError(transport, target, res.status, res.body, what);
  await discard(res.body);
  return sessionFrom(transport, target, res.headers, res.url, what);
}

/**
 * Asks the registry to link a blob it already holds for `from` (same registry).
 * 201: mounted. 202: the registry opened an ordinary session instead, which is used.
 * A refusal (no pull on `from`, mounting unsupported) is not an error: the caller
 * uploads instead, as `docker push` does.
 */
export async function mountBlob(transport: Transport, target: UploadTarget, desc: Descriptor, from: string): Promise<MountResult | undefined> {
  const what = `POST ${target.registry}/${target.repository} mount ${desc.digest} from ${from}`;
  const query = new URLSearchParams({ mount: desc.digest, from });
  const res = await transport.request(postRequest(target, `/v2/${target.repository}/blobs/uploads/?${query.toString()}`));
  if (res.status === 201) {
    await discard(res.body);
    return { mounted: true };
  }
  if (res.status === 202) {
    await discard(res.body);
    return { mounted: false, session: sessionFrom(transport, target, res.headers, res.url, what) };
  }
  if (res.status >= 500) throw await pushError(transport, target, res.status, res.body, what);
  await discard(res.body);
  return undefined;
}

/** Gives up a session (after a failed upload); best effort, never throws. */
export async function cancelUpload(transport: Transport, target: UploadTarget, session: UploadSession): Promise<void> {
  try {
    const res = await transport.request({
      registry: target.registry, repository: target.repository, method: 'DELETE',
      path: session.location.href, scopes: target.scopes, retry: false,
    });
    await discard(res.body);
  } catch {
    // The registry purges abandoned sessions on its own.
  }
}

/** The URL an upload answer points at next, resolved against the request's URL. */
export function nextLocation(transport: Transport, target: UploadTarget, headers: IncomingHttpHeaders, requestUrl: URL, what: string): URL {
  const location = headerValue(headers, 'location');
  if (location === undefined || location.trim() === '') {
    throw new ImmutagError('REGISTRY_ERROR', `${what}: the registry did not say where to send the upload (no Location header)`, {
      hint: 'The registry or a proxy in front of it does not follow the distribution spec for uploads; check the proxy.',
    });
  }
  let url: URL;
  try {
    url = new URL(location.trim(), requestUrl);
  } catch {
    throw new ImmutagError('REGISTRY_ERROR', `${what}: the upload Location is not a URL`, {
      hint: 'The registry or a proxy in front of it returned a malformed Location header.',
    });
  }
  checkScheme(transport, target, url, what);
  return url;
}

/** Builds the push-specific error for an upload answer we cannot use. */
export async function pushError(transport: Transport, target: UploadTarget, status: number, body: Readable, what: string): Promise<RegistryHttpError> {
  return pushRefusal(transport, target, status, parseErrorBody(await readPrefix(body)), what);
}

/** A refused push request as an error; 401/403 say which permission is missing. */
export async function pushRefusal(
  transport: Transport,
  target: UploadTarget,
  status: number,
  entries: readonly RegistryErrorEntry[],
  what: string,
): Promise<RegistryHttpError> {
  const credential = await transport.credential(target.registry, target.repository);
  const err = httpError(status, entries, { what, authenticated: credential !== undefined });
  if (err.code !== 'AUTH_REQUIRED' && err.code !== 'AUTH_FAILED') return err;
  const hint = credential === undefined
    ? `Pushing needs credentials with push access to ${target.repository}: pass username/password or log in with docker/login-action first.`
    : `The credentials cannot push to ${target.repository}: give them write (push) permission on the repository, or use a token with push scope.`;
  return new RegistryHttpError(err.code, err.message, err.status, err.errors, hint);
}

function sessionFrom(transport: Transport, target: UploadTarget, headers: IncomingHttpHeaders, url: URL, what: string): UploadSession {
  const session: UploadSession = { location: nextLocation(transport, target, headers, url, what) };
  const min = Number(headerValue(headers, 'oci-chunk-min-length'));
  if (Number.isSafeInteger(min) && min > 0) session.minChunk = min;
  return session;
}

/**
 * Upload bytes never go from HTTPS down to plain HTTP, unless that host was listed as
 * insecure. The registry's own origin is no downgrade when the transport already talks
 * plain HTTP to it (a loopback registry reached without being listed: transport.ts
 * ping): it sends its uploads to itself. Only its own: a redirect elsewhere proves nothing.
 */
function checkScheme(transport: Transport, target: UploadTarget, url: URL, what: string): void {
  if (url.protocol === 'https:') return;
  if (url.protocol === 'http:' && transport.insecure.has(url.host)) return;
  if (url.protocol === 'http:' && sameOrigin(url, transport.origin(target.registry))) return;
  throw new ImmutagError('REGISTRY_ERROR', `${what}: the registry sent the upload to ${url.protocol}//${url.host}, which is not HTTPS`, {
    hint: `Uploads go over HTTPS unless the host is listed in insecure-registries; list ${url.host} there if it is meant to be plain HTTP.`,
  });
}

function postRequest(target: UploadTarget, path: string) {
  return {
    registry: target.registry,
    repository: target.repository,
    method: 'POST',
    path,
    scopes: target.scopes,
    headers: { 'content-length': '0' },
  };
}
