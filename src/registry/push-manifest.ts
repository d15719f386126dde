// `PUT /v2/<name>/manifests/<reference>`: a manifest by digest (content, no tag
// moves) or by tag (the one write that names a version). The Content-Type is the
// manifest's own media type; registries store and serve it under that type, and
// the bytes are sent exactly as they were hashed, so the digest cannot change.
// https://github.com/opencontainers/distribution-spec/blob/main/spec.md#pushing-manifests
import { claimNamesBytes } from '../digest.ts';
import { ImmutagError } from '../errors.ts';
import type { Descriptor } from '../oci.ts';
import { readPrefix } from './body.ts';
import { parseErrorBody, type RegistryErrorEntry } from './errors.ts';
import { headerValue } from './http.ts';
import { parseRetryAfter } from './retry.ts';
import type { Transport } from './transport.ts';
import { pushRefusal, type UploadTarget } from './upload-session.ts';

export interface ManifestPutAnswer {
  status: number;
  /** Docker-Content-Digest of the answer, when the registry sent one. */
  digest?: string;
  /** The registry's error entries (a bounded read of the body) when it refused. */
  errors: RegistryErrorEntry[];
  /** Retry-After of a 429/503 answer, in ms. */
  retryAfterMs?: number;
}

export interface PutOptions {
  /** False sends the PUT once: a tag write is never repeated without a fresh re-check. Default true. */
  retry?: boolean;
}

/** Sends the manifest; the caller decides what a refusal means. Network failures throw. */
export async function putManifest(
  transport: Transport, target: UploadTarget, reference: string, desc: Descriptor, bytes: Buffer, options: PutOptions = {},
): Promise<ManifestPutAnswer> {
  const res = await transport.request({
    registry: target.registry,
    repository: target.repository,
    method: 'PUT',
    path: `/v2/${target.repository}/manifests/${reference}`,
    scopes: target.scopes,
    headers: { 'content-type': desc.mediaType, 'content-length': String(bytes.length) },
    body: bytes,
    ...(options.retry === false ? { retry: false } : {}),
  });
  const body = await readPrefix(res.body);
  const errors = accepted(res.status) ? [] : parseErrorBody(body);
  const digest = headerValue(res.headers, 'docker-content-digest');
  const retryAfterMs = parseRetryAfter(headerValue(res.headers, 'retry-after'));
  return { status: res.status, errors, ...(digest !== undefined ? { digest } : {}), ...(retryAfterMs !== undefined ? { retryAfterMs } : {}) };
}

/** A manifest by digest, before any tag: every refusal is an error. */
export async function pushManifestByDigest(transport: Transport, target: UploadTarget, desc: Descriptor, bytes: Buffer): Promise<void> {
  const what = `PUT ${target.registry}/${target.repository}@${desc.digest}`;
  const answer = await putManifest(transport, target, desc.digest, desc, bytes);
  if (!accepted(answer.status)) throw await pushRefusal(transport, target, answer.status, answer.errors, what);
  checkStoredDigest(answer.digest, desc.digest, bytes, what);
}

export function accepted(status: number): boolean {
  return status === 200 || status === 201 || status === 204;
}

/** The registry must keep the bytes we sent; another digest means it rewrote them (a by-digest PUT: no tag moved yet). */
export function checkStoredDigest(stored: string | undefined, expected: string, bytes: Uint8Array, what: string): void {
  if (stored === undefined || stored === expected) return;
  if (claimNamesBytes(stored, expected, bytes)) return;
  throw new ImmutagError('DIGEST_MISMATCH', `${what}: the registry stored the manifest as ${stored}, not ${expected}`, {
    hint: 'The registry (or a proxy) rewrote the manifest; the digest immutag checked would not be what runs. Nothing was tagged.',
  });
}
