// Blobs by digest: does the repository have it (HEAD), and its bytes (GET).
// GET follows the registry's redirects to blob storage (S3, GCS, a CDN) through
// http.ts, which sends Authorization only to the registry's own origin: storage
// URLs are pre-signed and must never see a registry credential.
// https://github.com/opencontainers/distribution-spec/blob/main/spec.md#pulling-blobs
import type { Readable } from 'node:stream';
import { sizeMismatch } from '../digest.ts';
import { ImmutagError } from '../errors.ts';
import type { Descriptor } from '../oci.ts';
import { discard } from './body.ts';
import { httpError, responseError } from './errors.ts';
import { headerValue } from './http.ts';
import { repositoryScope } from './scope.ts';
import type { Transport } from './transport.ts';

export interface BlobTarget {
  registry: string;
  repository: string;
  /** Token scopes to ask for; default pull on the repository. A pusher passes its push scopes to reuse one token. */
  scopes?: readonly string[];
}

export type BlobPresence = { exists: true; size: number } | { exists: false };

/** Whether the repository has the blob. Throws on anything but 200 and a 404. */
export async function blobExists(transport: Transport, target: BlobTarget, desc: Descriptor): Promise<BlobPresence> {
  const what = `HEAD ${describeBlob(target, desc.digest)}`;
  const res = await transport.request(blobRequest(target, 'HEAD', desc.digest));
  await discard(res.body);
  if (res.status === 404) return { exists: false };
  if (res.status !== 200) throw httpError(res.status, [], { what, authenticated: await authenticated(transport, target) });
  const declared = headerValue(res.headers, 'content-length');
  const length = Number(declared);
  // Some registries answer HEAD without a length; the digest in the URL is the identity.
  if (declared === undefined || !Number.isSafeInteger(length)) return { exists: true, size: desc.size };
  // A length that is not the blob's says other bytes are stored under its digest (a
  // corrupt store, a cache in front): taking that as "present" would leave the
  // manifest naming content the registry does not have.
  if (length !== desc.size) {
    throw new ImmutagError('REGISTRY_ERROR', `${what} answered 200 with a Content-Length of ${length}, but the blob is ${desc.size} bytes`, {
      hint: 'The registry (or a cache in front of it) holds other bytes under this digest; nothing was written. Check the registry\'s storage and any proxy between it and immutag.',
    });
  }
  return { exists: true, size: length };
}

/**
 * Whether the repository answers 200 for `digest` as a blob, its size unknown. Anything
 * else, a failed request included, is false: only an explanation rests on it, never a verdict.
 */
export async function answersAsBlob(transport: Transport, target: BlobTarget, digest: string): Promise<boolean> {
  try {
    const res = await transport.request(blobRequest(target, 'HEAD', digest));
    await discard(res.body);
    return res.status === 200;
  } catch {
    return false;
  }
}

/**
 * The blob's bytes as the registry (or its storage) sends them, unverified: the
 * caller hashes them (RegistryBlobSource spools and verifies before handing out).
 * A declared Content-Length that differs from the descriptor fails before reading.
 */
export async function getBlob(transport: Transport, target: BlobTarget, desc: Descriptor): Promise<Readable> {
  const what = `GET ${describeBlob(target, desc.digest)}`;
  const res = await transport.request(blobRequest(target, 'GET', desc.digest, desc.size));
  if (res.status !== 200) {
    throw await responseError(res.status, res.body, { what, authenticated: await authenticated(transport, target) });
  }
  const length = headerValue(res.headers, 'content-length');
  if (length !== undefined && Number(length) !== desc.size) {
    await discard(res.body);
    throw sizeMismatch(what, desc.size, Number(length));
  }
  return res.body;
}

export function describeBlob(target: Pick<BlobTarget, 'registry' | 'repository'>, digest: string): string {
  return `${target.registry}/${target.repository}@${digest}`;
}

function blobRequest(target: BlobTarget, method: 'HEAD' | 'GET', digest: string, size?: number) {
  return {
    registry: target.registry,
    repository: target.repository,
    method,
    path: `/v2/${target.repository}/blobs/${digest}`,
    scopes: target.scopes ?? [repositoryScope(target.repository, ['pull'])],
    // A blob read may take longer the larger it is (deadline.ts).
    ...(size !== undefined ? { size } : {}),
  };
}

async function authenticated(transport: Transport, target: BlobTarget): Promise<boolean> {
  return (await transport.credential(target.registry, target.repository)) !== undefined;
}
