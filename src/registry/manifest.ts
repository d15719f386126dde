// Manifests by tag or digest: the existence check (one GET, judged by tag-state.ts)
// and the verified read. Every request carries the full Accept list: without the OCI types
// the reference registry answers 404 for OCI manifests, and without the Docker
// schema 2 type it converts to schema 1 and reports another digest.
// https://github.com/opencontainers/distribution-spec/blob/main/spec.md#checking-if-content-exists-in-the-registry
import { algorithmOf, digestLike, digestMismatch, digestOf, isDigest, sizeMismatch } from '../digest.ts';
import { ImmutagError } from '../errors.ts';
import { isIndexType, MANIFEST_ACCEPT, MediaType, strayFieldOfOtherKind } from '../oci.ts';
import { AMBIGUOUS_JSON_HINT, GoJsonRefusal, MANIFEST_FIELDS, parseOciJson } from '../oci-json.ts';
import { pullNotGranted } from './auth/token-grants.ts';
import { describeEntries, parseErrorBody } from './errors.ts';
import { headerValue } from './http.ts';
import { repositoryScope } from './scope.ts';
import { judgeExistence, statusState, unauthorizedState, unknownFromError, type ManifestChild, type TagState } from './tag-state.ts';
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
  /** An index's manifests, as it lists them. */
  children?: ManifestChild[];
}


/**
 * Whether `target` exists, and at which digest (hashed from the bytes). Never throws.
 * The decision is tag-state.ts's; this sends the one GET it judges.
 */
export async function manifestState(transport: Transport, target: ManifestTarget): Promise<TagState> {
  const what = `GET ${describe(target)}`;
  try {
    const request = manifestGet(target, { 'cache-control': 'no-cache' });
    const res = await transport.fetch(request, MANIFEST_SIZE_LIMIT);
    const noPull = res.grants === undefined ? undefined : pullNotGranted(res.grants, target.repository);
    return await judgeExistence({
      what,
      repository: target.repository,
      reference: target.reference,
      status: res.status,
      headers: res.headers,
      body: res.body,
      answeredBy: res.url.origin,
      askedPath: new URL(request.path, res.url).pathname,
      answeredPath: res.url.pathname,
      registryOrigin: transport.origin(target.registry),
      pingApiVersion: await transport.apiVersion(target.registry),
      manifest: () => verifyManifest(res.body, res.headers, target, what),
      credential: () => transport.credential(target.registry, target.repository),
      ...(noPull !== undefined ? { noPull } : {}),
    });
  } catch (err) {
    return unknownFromError(err);
  }
}

/** The manifest's bytes, checked against its digest (the reference's, else the registry's). */
export async function getManifest(transport: Transport, target: ManifestTarget): Promise<FetchedManifest> {
  const what = `GET ${describe(target)}`;
  const res = await transport.fetch(manifestGet(target), MANIFEST_SIZE_LIMIT);
  if (res.status === 200) return verifyManifest(res.body, res.headers, target, what);
  const entries = parseErrorBody(res.body);
  if (res.status === 404 && entries.length > 0 && entries.every((e) => NOT_FOUND_CODES.has(e.code))) {
    throw new ImmutagError('IMAGE_NOT_FOUND', `${what}: ${describeEntries(entries)}`, { hint: 'Check the repository and the tag or digest.' });
  }
  const state = res.status === 401 || res.status === 403
    ? unauthorizedState(res.status, what, target.repository, await transport.credential(target.registry, target.repository))
    : statusState(res.status, what, describeEntries(entries));
  throw new ImmutagError(state.code, state.reason, { hint: state.hint });
}

// A failed read, not a verdict: any of these makes the read an error all the same.
const NOT_FOUND_CODES = new Set(['MANIFEST_UNKNOWN', 'NAME_UNKNOWN', 'NOT_FOUND']);

function verifyManifest(bytes: Buffer, headers: Record<string, string | string[] | undefined>, target: ManifestTarget, what: string): FetchedManifest {
  const headerDigest = headerValue(headers, 'docker-content-digest');
  const declaredLength = headerValue(headers, 'content-length');
  if (declaredLength !== undefined && Number(declaredLength) !== bytes.length) {
    throw sizeMismatch(what, Number(declaredLength), bytes.length);
  }
  // A digest reference names the bytes in its own algorithm. A tag's bytes are named by
  // their sha256, whatever algorithm the registry's header uses: the verdict compares
  // them with the image's digest, and a sha512 name for the same bytes must not read
  // as another image.
  const asked = isDigest(target.reference) ? target.reference : undefined;
  const digest = digestOf(bytes, asked === undefined ? 'sha256' : algorithmOf(asked));
  if (asked !== undefined && digest !== asked) throw digestMismatch(what, asked, digest);
  if (headerDigest !== undefined && isDigest(headerDigest) && headerDigest !== digest) {
    const claimed = asked === undefined ? `${what} (the digest is the Docker-Content-Digest header's claim)` : `${what} (Docker-Content-Digest)`;
    const hashed = digestLike(headerDigest, digest, bytes);
    if (hashed !== headerDigest) throw digestMismatch(claimed, headerDigest, hashed);
  }
  const { mediaType, children } = readManifestBody(bytes, contentType(headerValue(headers, 'content-type')), what);
  return { bytes, mediaType, digest, size: bytes.length, ...(children !== undefined ? { children } : {}) };
}

/** Parses enough to know the bytes are a manifest, settles its media type, and lists an index's manifests. */
function readManifestBody(bytes: Buffer, declared: string | undefined, what: string): { mediaType: string; children?: ManifestChild[] } {
  let json: unknown;
  try {
    json = parseOciJson(bytes.toString('utf8'), MANIFEST_FIELDS);
  } catch (err) {
    if (err instanceof GoJsonRefusal) throw unreadableByGo(what, err);
    throw invalidManifest(what, 'the body is not JSON (truncated or not a manifest)');
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) throw invalidManifest(what, 'the body is not a JSON object');
  const body = json as { schemaVersion?: unknown; mediaType?: unknown; manifests?: unknown; config?: unknown };
  if (body.schemaVersion !== 2 && body.schemaVersion !== 1) throw invalidManifest(what, `schemaVersion is ${String(body.schemaVersion)}`);
  const own = typeof body.mediaType === 'string' ? body.mediaType : undefined;
  if (own !== undefined && declared !== undefined && declared !== 'application/json' && own !== declared) {
    throw invalidManifest(what, `Content-Type says ${declared} but the manifest says ${own}`);
  }
  const mediaType = declared !== undefined && declared !== 'application/json' ? declared
    : own ?? (Array.isArray(body.manifests) ? MediaType.ociIndex : MediaType.ociManifest);
  // An image overwriting an immutable tag could name the pinned digest in a `manifests`
  // field and read as the index that still lists it.
  const index = isIndexType(mediaType);
  const stray = strayFieldOfOtherKind(body, mediaType);
  if (stray !== undefined) {
    throw new ImmutagError('MANIFEST_INVALID', `${what}: it is a ${mediaType} but also has "${stray}", a field of the other kind of document (CVE-2021-41190)`, {
      hint: AMBIGUOUS_JSON_HINT,
    });
  }
  const children = index && Array.isArray(body.manifests) ? body.manifests.flatMap(childOf) : undefined;
  return { mediaType, ...(children !== undefined ? { children } : {}) };
}

function childOf(entry: unknown): ManifestChild[] {
  const e = entry as { digest?: unknown; platform?: { os?: unknown; architecture?: unknown; variant?: unknown } } | null;
  if (typeof e?.digest !== 'string') return [];
  const p = e.platform;
  if (typeof p?.os !== 'string' || typeof p.architecture !== 'string') return [{ digest: e.digest }];
  return [{ digest: e.digest, platform: [p.os, p.architecture, ...(typeof p.variant === 'string' ? [p.variant] : [])].join('/') }];
}

function unreadableByGo(what: string, err: GoJsonRefusal): ImmutagError {
  return new ImmutagError('MANIFEST_INVALID', `${what}: ${err.message}`, { hint: err.hint });
}

function invalidManifest(what: string, why: string): ImmutagError {
  return new ImmutagError('MANIFEST_INVALID', `${what}: ${why}`, {
    hint: 'The registry (or something between it and immutag) returned a broken manifest; run again, and check any proxy in between.',
  });
}

/**
 * Whether the registry answers 200 for the reference as a manifest. Asked once, without
 * retries: distribution answers 500 for a blob's digest that is not a manifest, and an
 * explanation (never a verdict) rests on this, so a failure is only "no".
 */
export async function answersAsManifest(transport: Transport, target: ManifestTarget): Promise<boolean> {
  try {
    const res = await transport.fetch({ ...manifestGet(target), method: 'HEAD', retry: false }, MANIFEST_SIZE_LIMIT);
    return res.status === 200;
  } catch {
    return false;
  }
}

function manifestGet(target: ManifestTarget, extra: Record<string, string> = {}) {
  return {
    registry: target.registry,
    repository: target.repository,
    method: 'GET',
    path: `/v2/${target.repository}/manifests/${target.reference}`,
    scopes: [repositoryScope(target.repository, ['pull'])],
    headers: { accept: MANIFEST_ACCEPT, ...extra },
  };
}

function contentType(value: string | undefined): string | undefined {
  const type = value?.split(';')[0]?.trim().toLowerCase();
  return type === '' ? undefined : type;
}

function describe(target: ManifestTarget): string {
  const sep = isDigest(target.reference) ? '@' : ':';
  return `${target.registry}/${target.repository}${sep}${target.reference}`;
}
