// Manifests by tag or digest: the existence check (HEAD, falling back to GET) and the
// verified read. Every request carries the full Accept list: without the OCI types
// the reference registry answers 404 for OCI manifests, and without the Docker
// schema 2 type it converts to schema 1 and reports another digest.
// https://github.com/opencontainers/distribution-spec/blob/main/spec.md#checking-if-content-exists-in-the-registry
import { algorithmOf, digestMismatch, digestOf, isDigest, sizeMismatch } from '../digest.ts';
import { ImmutagError } from '../errors.ts';
import { MANIFEST_ACCEPT, MediaType } from '../oci.ts';
import { discard } from './body.ts';
import { describeEntries, parseErrorBody } from './errors.ts';
import { headerValue } from './http.ts';
import { repositoryScope } from './scope.ts';
import { statusState, unauthorizedState, unknownFromError, type TagState } from './tag-state.ts';
import type { Transport } from './transport.ts';

/** Registries refuse manifests over 4 MiB (distribution's default limit); so do we. */
export const MANIFEST_SIZE_LIMIT = 4 * 1024 * 1024;

export interface ManifestTarget {
  registry: string;
  repository: string;
  /** A tag or a digest. */
  reference: string;
}

export interface FetchedManifest {
  bytes: Buffer;
  mediaType: string;
  digest: string;
  size: number;
}

// Harbor says NOT_FOUND where distribution says MANIFEST_UNKNOWN.
const ABSENT_CODES = new Set(['MANIFEST_UNKNOWN', 'NAME_UNKNOWN', 'NOT_FOUND']);
// distribution's answer when the stored manifest's type is not in Accept.
const ACCEPT_REFUSED = /accept header/i;

/** Whether `target` exists, and at which digest. Never throws. */
export async function manifestState(transport: Transport, target: ManifestTarget): Promise<TagState> {
  const what = `HEAD ${describe(target)}`;
  try {
    const res = await transport.request(manifestRequest(target, 'HEAD'));
    await discard(res.body);
    if (res.status === 200) {
      const digest = headerValue(res.headers, 'docker-content-digest');
      const mediaType = contentType(headerValue(res.headers, 'content-type'));
      const size = Number(headerValue(res.headers, 'content-length'));
      if (digest !== undefined && isDigest(digest) && mediaType !== undefined && Number.isSafeInteger(size) && size > 0) {
        return { kind: 'present', digest, mediaType, size };
      }
      // No digest we can trust from headers alone: hash the manifest ourselves.
    } else if (res.status === 401 || res.status === 403) {
      return unauthorizedState(res.status, what, target.repository, await transport.credential(target.registry, target.repository));
    } else if (res.status !== 404 && res.status !== 405) {
      return statusState(res.status, what, '');
    }
    // A HEAD 404 has no body to say why; GET reads the error code before we call it absent.
    return await stateByGet(transport, target);
  } catch (err) {
    return unknownFromError(err);
  }
}

/** The manifest's bytes, checked against its digest (the reference's, else the registry's). */
export async function getManifest(transport: Transport, target: ManifestTarget): Promise<FetchedManifest> {
  const what = `GET ${describe(target)}`;
  const res = await transport.fetch(manifestRequest(target, 'GET'), MANIFEST_SIZE_LIMIT);
  if (res.status === 200) return verifyManifest(res.body, res.headers, target, what);
  const entries = parseErrorBody(res.body);
  if (res.status === 404 && isAbsent(entries)) {
    throw new ImmutagError('IMAGE_NOT_FOUND', `${what}: ${describeEntries(entries)}`, { hint: 'Check the repository and the tag or digest.' });
  }
  const state = res.status === 401 || res.status === 403
    ? unauthorizedState(res.status, what, target.repository, await transport.credential(target.registry, target.repository))
    : statusState(res.status, what, describeEntries(entries));
  throw new ImmutagError(state.code, state.reason, { hint: state.hint });
}

async function stateByGet(transport: Transport, target: ManifestTarget): Promise<TagState> {
  const what = `GET ${describe(target)}`;
  const res = await transport.fetch(manifestRequest(target, 'GET'), MANIFEST_SIZE_LIMIT);
  if (res.status === 200) {
    const manifest = verifyManifest(res.body, res.headers, target, what);
    return { kind: 'present', digest: manifest.digest, mediaType: manifest.mediaType, size: manifest.size };
  }
  if (res.status === 401 || res.status === 403) {
    return unauthorizedState(res.status, what, target.repository, await transport.credential(target.registry, target.repository));
  }
  const entries = parseErrorBody(res.body);
  if (res.status === 404 && entries.some((e) => ACCEPT_REFUSED.test(e.message))) {
    return { kind: 'unknown', code: 'REGISTRY_ERROR', status: 404, reason: `${what}: ${describeEntries(entries)}`,
      hint: 'The registry holds a manifest of a type immutag did not ask for; the tag exists in some form. Report this registry and media type to immutag.' };
  }
  // Absent only on the registry's own word: a 404 from wherever a redirect led was said
  // without our credentials, and a private tag looks missing to a stranger.
  const fromRegistry = res.url.origin === transport.origin(target.registry);
  if (res.status === 404 && isAbsent(entries) && fromRegistry) return { kind: 'absent' };
  if (res.status === 404 && !fromRegistry) {
    return { kind: 'unknown', code: 'REGISTRY_ERROR', status: 404,
      reason: `${what} was redirected to ${res.url.origin}, which answered 404 without the registry's credentials`,
      hint: 'Only the registry itself can say a tag is absent; check the redirect in front of the registry.' };
  }
  if (res.status === 404) {
    return { kind: 'unknown', code: 'REGISTRY_ERROR', status: 404,
      reason: `${what} answered 404 without MANIFEST_UNKNOWN or NAME_UNKNOWN${entries.length ? ` (${describeEntries(entries)})` : ''}`,
      hint: 'A 404 that does not name a missing manifest may come from a proxy or a wrong URL; check the registry host and path.' };
  }
  return statusState(res.status, what, describeEntries(entries));
}

function verifyManifest(bytes: Buffer, headers: Record<string, string | string[] | undefined>, target: ManifestTarget, what: string): FetchedManifest {
  const headerDigest = headerValue(headers, 'docker-content-digest');
  const declaredLength = headerValue(headers, 'content-length');
  if (declaredLength !== undefined && Number(declaredLength) !== bytes.length) {
    throw sizeMismatch(what, Number(declaredLength), bytes.length);
  }
  // The digest we check against: the one we asked for, else the registry's claim, else none.
  const expected = isDigest(target.reference) ? target.reference : headerDigest !== undefined && isDigest(headerDigest) ? headerDigest : undefined;
  const digest = digestOf(bytes, expected === undefined ? 'sha256' : algorithmOf(expected));
  if (expected !== undefined && digest !== expected) throw digestMismatch(what, expected, digest);
  if (headerDigest !== undefined && isDigest(headerDigest) && headerDigest !== expected && digestOf(bytes, algorithmOf(headerDigest)) !== headerDigest) {
    throw digestMismatch(`${what} (Docker-Content-Digest)`, headerDigest, digestOf(bytes, algorithmOf(headerDigest)));
  }
  const mediaType = manifestMediaType(bytes, contentType(headerValue(headers, 'content-type')), what);
  return { bytes, mediaType, digest, size: bytes.length };
}

/** Parses enough to know the bytes are a manifest, and settles its media type. */
function manifestMediaType(bytes: Buffer, declared: string | undefined, what: string): string {
  let json: unknown;
  try {
    json = JSON.parse(bytes.toString('utf8'));
  } catch {
    throw invalidManifest(what, 'the body is not JSON (truncated or not a manifest)');
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) throw invalidManifest(what, 'the body is not a JSON object');
  const body = json as { schemaVersion?: unknown; mediaType?: unknown; manifests?: unknown; config?: unknown };
  if (body.schemaVersion !== 2 && body.schemaVersion !== 1) throw invalidManifest(what, `schemaVersion is ${String(body.schemaVersion)}`);
  const own = typeof body.mediaType === 'string' ? body.mediaType : undefined;
  if (own !== undefined && declared !== undefined && declared !== 'application/json' && own !== declared) {
    throw invalidManifest(what, `Content-Type says ${declared} but the manifest says ${own}`);
  }
  if (declared !== undefined && declared !== 'application/json') return declared;
  if (own !== undefined) return own;
  return Array.isArray(body.manifests) ? MediaType.ociIndex : MediaType.ociManifest;
}

function invalidManifest(what: string, why: string): ImmutagError {
  return new ImmutagError('MANIFEST_INVALID', `${what}: ${why}`, {
    hint: 'The registry (or something between it and immutag) returned a broken manifest; run again, and check any proxy in between.',
  });
}

function manifestRequest(target: ManifestTarget, method: 'HEAD' | 'GET') {
  return {
    registry: target.registry,
    repository: target.repository,
    method,
    path: `/v2/${target.repository}/manifests/${target.reference}`,
    scopes: [repositoryScope(target.repository, ['pull'])],
    headers: { accept: MANIFEST_ACCEPT },
  };
}

function isAbsent(entries: readonly { code: string }[]): boolean {
  return entries.length > 0 && entries.every((e) => ABSENT_CODES.has(e.code));
}

function contentType(value: string | undefined): string | undefined {
  const type = value?.split(';')[0]?.trim().toLowerCase();
  return type === '' ? undefined : type;
}

function describe(target: ManifestTarget): string {
  const sep = isDigest(target.reference) ? '@' : ':';
  return `${target.registry}/${target.repository}${sep}${target.reference}`;
}
