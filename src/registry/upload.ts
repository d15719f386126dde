// Sending one blob's bytes into an open upload session, hashed on the way
// (upload-body.ts). Small blobs go in one PUT (POST + PUT: two requests); large
// ones in PATCH chunks with Content-Range, each answer's Location and Range
// honoured, and a closing PUT with the digest. Nothing is ever held whole in
// memory: each request body is the next slice of the blob, read into a few reused
// buffers (upload-body.ts).
// https://github.com/opencontainers/distribution-spec/blob/main/spec.md#pushing-a-blob-monolithically
// https://github.com/opencontainers/distribution-spec/blob/main/spec.md#pushing-a-blob-in-chunks
import { algorithmOf, isDigest } from '../digest.ts';
import { ImmutagError } from '../errors.ts';
import type { BodyWriter } from '../http/exchange.ts';
import type { BlobBytes, Descriptor } from '../oci.ts';
import { describeBlob } from './blob.ts';
import { discard } from './body.ts';
import { headerValue, type HttpResponse } from './http.ts';
import type { Transport } from './transport.ts';
import { BlobSlicer } from './upload-body.ts';
import { cancelUpload, nextLocation, pushError, type UploadSession, type UploadTarget } from './upload-session.ts';

export interface UploadTuning {
  /** Blobs up to this size go in one PUT. */
  monolithicLimit: number;
  /** PATCH chunk size for larger blobs (raised to the registry's OCI-Chunk-Min-Length). */
  chunkSize: number;
}

// Measured against the reference registry, 200 MB in two layers, medians of five:
// 16 MiB chunks 1.13 s, 32 MiB 1.12 s, 64 MiB 1.00 s, one PATCH per layer 1.06 s.
// 64 MiB also stays under the request-size caps of proxies in front of registries.
export const DEFAULT_UPLOAD_TUNING: UploadTuning = {
  monolithicLimit: 8 * 1024 * 1024,
  chunkSize: 64 * 1024 * 1024,
};

export interface UploadOptions {
  tuning?: Partial<UploadTuning>;
  /** Called with every slice of bytes handed to the network (progress). */
  onBytes?: (n: number) => void;
}

/**
 * Uploads `desc` into `session` from `source` (the blob's raw bytes). Throws
 * DIGEST_MISMATCH, without completing the upload, when the bytes read are not the
 * descriptor's, and the file's own error when it fails to read; any failure leaves
 * the session cancelled.
 */
export async function uploadBlob(
  transport: Transport,
  target: UploadTarget,
  session: UploadSession,
  desc: Descriptor,
  source: BlobBytes,
  options: UploadOptions = {},
): Promise<void> {
  const tuning = { ...DEFAULT_UPLOAD_TUNING, ...options.tuning };
  const what = describeBlob(target, desc.digest);
  const slicer = new BlobSlicer(source, desc, `blob ${desc.digest} of the image`, options.onBytes);
  let location = session.location;
  try {
    if (desc.size <= tuning.monolithicLimit) {
      await complete(transport, target, location, desc, slicer, `PUT ${what}`);
      return;
    }
    const chunkSize = Math.max(tuning.chunkSize, session.minChunk ?? 0);
    while (slicer.position < desc.size) {
      location = await patchChunk(transport, target, location, slicer, Math.min(chunkSize, desc.size - slicer.position), what);
    }
    await complete(transport, target, location, desc, undefined, `PUT ${what}`);
  } catch (err) {
    await slicer.close();
    await cancelUpload(transport, target, { location });
    throw slicer.error ?? err;
  } finally {
    await slicer.close();
  }
}

async function patchChunk(transport: Transport, target: UploadTarget, location: URL, slicer: BlobSlicer, length: number, what: string): Promise<URL> {
  const start = slicer.position;
  const end = start + length - 1;
  const label = `PATCH ${what} bytes ${start}-${end}`;
  const res = await transport.request({
    registry: target.registry,
    repository: target.repository,
    method: 'PATCH',
    path: location.href,
    scopes: target.scopes,
    headers: { 'content-type': 'application/octet-stream', 'content-length': String(length), 'content-range': `${start}-${end}` },
    body: once(() => slicer.slice(length), label),
    retry: false,
  });
  if (res.status !== 202 && res.status !== 204) throw await uploadRefusal(transport, target, res, location, label);
  await discard(res.body);
  if (slicer.position !== end + 1) {
    throw new ImmutagError('REGISTRY_ERROR', `${label}: the registry answered HTTP ${res.status} before the chunk was sent`, {
      hint: 'The registry, or a proxy in front of it, accepted a chunk it had not received; run again.',
    });
  }
  checkRange(res, end, label);
  return headerValue(res.headers, 'location') === undefined ? location : nextLocation(transport, target, res.headers, res.url, label);
}

/** The closing PUT: with the whole blob (monolithic) or empty after the chunks. */
async function complete(transport: Transport, target: UploadTarget, location: URL, desc: Descriptor, slicer: BlobSlicer | undefined, what: string): Promise<void> {
  const url = new URL(location.href);
  url.searchParams.set('digest', desc.digest);
  const length = slicer === undefined ? 0 : desc.size;
  const res = await transport.request({
    registry: target.registry,
    repository: target.repository,
    method: 'PUT',
    path: url.href,
    scopes: target.scopes,
    headers: { 'content-type': 'application/octet-stream', 'content-length': String(length) },
    ...(slicer === undefined ? {} : { body: once(() => slicer.slice(length), what) }),
    retry: false,
  });
  if (res.status !== 201 && res.status !== 204) throw await uploadRefusal(transport, target, res, url, what);
  await discard(res.body);
  const stored = headerValue(res.headers, 'docker-content-digest');
  if (stored !== undefined && stored !== desc.digest && !namedInAnotherAlgorithm(stored, desc.digest)) {
    throw new ImmutagError('DIGEST_MISMATCH', `${what}: the registry stored the blob as ${stored}, not ${desc.digest}`, {
      hint: 'Something between immutag and the registry changed the bytes; nothing was tagged. Check any proxy in between.',
    });
  }
}

/**
 * A stored name in another algorithm (a registry that names blobs by sha512) cannot be
 * compared without hashing the blob again; the registry checked the bytes against the
 * `digest` we sent, as the spec requires, and the manifest names the blob by that digest.
 */
function namedInAnotherAlgorithm(stored: string, ours: string): boolean {
  return isDigest(stored) && algorithmOf(stored) !== algorithmOf(ours);
}

/**
 * An upload answer we cannot use. A 401/403 from an upload host other than the
 * registry is explained: registry credentials never go to another host.
 */
async function uploadRefusal(transport: Transport, target: UploadTarget, res: HttpResponse, url: URL, what: string): Promise<ImmutagError> {
  const registryOrigin = transport.origin(target.registry);
  if ((res.status === 401 || res.status === 403) && url.origin !== registryOrigin) {
    await discard(res.body);
    return new ImmutagError('AUTH_FAILED', `${what}: the registry sent the upload to ${url.host}, which answered HTTP ${res.status}`, {
      hint: `immutag never sends registry credentials to another host than ${new URL(registryOrigin).host}. ` +
        'The registry (or a proxy in front of it) points uploads at a host that expects them; check its external URL setting.',
    });
  }
  return pushError(transport, target, res.status, res.body, what);
}

/** After a chunk, the registry must hold exactly bytes 0..end (Range: 0-end). */
function checkRange(res: HttpResponse, end: number, what: string): void {
  const range = headerValue(res.headers, 'range');
  if (range === undefined) return;
  const match = /^(?:bytes=)?0-(\d+)$/.exec(range.trim());
  if (match !== null && Number(match[1]) === end) return;
  throw new ImmutagError('REGISTRY_ERROR', `${what}: the registry holds bytes ${range.slice(0, 40)} of the upload, expected 0-${end}`, {
    hint: 'The upload lost data on its way; run again (the blob is uploaded from the start).',
  });
}

/**
 * A request body that can be produced once: a chunk is the next slice of a blob
 * read front to back, and cannot be sent twice. A transport that wants to resend it
 * (a re-challenge, a 307/308 redirect) gets an error instead.
 */
function once(make: () => BodyWriter, what: string): () => BodyWriter {
  let used = false;
  return () => {
    if (used) {
      throw new ImmutagError('REGISTRY_ERROR', `${what}: the registry asked to resend a streamed upload body`, {
        hint: 'The registry asked for an upload body again (its credentials expired mid-upload, or it redirected the upload); run again, and if it repeats, check what redirects uploads in front of the registry.',
      });
    }
    used = true;
    return make();
  };
}
