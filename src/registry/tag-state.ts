// Whether a tag exists is a question with three answers, and this file decides which
// one an answer of the registry gives. The gate fails on "unknown", so the rule is:
// every answer that is not proof of "present" or proof of "absent" is unknown.
//
// The question is asked with ONE request (manifest.ts): GET with the full Accept list
// and `Cache-Control: no-cache`, the body capped at 4 MiB.
//
// Present rests on bytes. A 200 is "present" at the digest of the bytes we hashed,
// never at a Docker-Content-Digest header: "unchanged", "same", the read-back after a
// tag write and `verify` all compare that digest with ours, and a header is only a
// claim (a cache, a proxy or a broken registry can send one that does not match the
// bytes). A header that disagrees with the bytes makes the answer unknown.
// HEAD would give only the header, and for an absent tag a HEAD 404 has no body to
// say why, so the old HEAD-then-GET cost two requests for every new tag (and undici,
// the transport then, closed an HTTP/1.1 connection after every HEAD). One GET answers both cases.
// Docker Hub counts manifest GETs toward its pull limit where a HEAD is free: a check
// costs one "pull" per tag that exists, as `docker pull` of that tag's manifest would
// (whether Hub also counts a GET answered 404 is not documented). A HEAD first would
// save that only where any existing tag is a violation anyway (no digest to compare,
// tag not mutable; a violation may name a header's digest), and could not make a 404
// "absent" (no body). immutag keeps one path for every registry: the pulls it costs
// are bounded by the tags that already exist, which a release job rarely checks.
//
// Absent rests on evidence that the registry itself said so:
//   - HTTP 404 from the registry's own origin (not from where a redirect led: that
//     host never saw our credentials, and a private tag looks missing to a stranger);
//   - the spec's errors-array body, every code MANIFEST_UNKNOWN or NAME_UNKNOWN. A
//     bare `{"code":"NOT_FOUND"}` or an HTML page is what gateways and CDNs answer
//     for paths they do not know;
//   - when the registry's /v2/ carried `Docker-Distribution-Api-Version` (distribution,
//     Docker Hub, GHCR, ECR, Quay, Artifactory, … label every answer), the 404 carries
//     it too. A gateway or CDN that makes up a MANIFEST_UNKNOWN body does not know to
//     add it. A registry acting as a pull-through cache does, and that is a limit no
//     answer reveals: distribution with `proxy:` that cannot reach its origin answers
//     its own labelled MANIFEST_UNKNOWN for a tag it never cached (and serves its old
//     copy of one it did), so tags must name the origin registry (README);
//   - Harbor is the one known registry whose manifest 404s lack the label: its core
//     answers from its database with `{"errors":[{"code":"NOT_FOUND","message":
//     "artifact <repository>:<tag> not found"}]}` (goharbor/harbor src/lib/http/
//     error.go). That form counts only in the errors array and only when its
//     message names the tag asked about, or says the repository does not exist.
//   - a bearer token whose `access` claim grants no pull on the repository makes any
//     404 unknown: registries that hide what the caller may not read (rather than
//     answer 401/403) say 404 NAME_UNKNOWN to it whether or not the tag exists
//     (auth/token-grants.ts). A token that does not say what it grants proves nothing
//     either way, and its 404 is judged as before;
//   - `Cache-Control: no-cache` on the request, so a cache in between revalidates
//     rather than replaying a 404 from before the tag was written.
// The tag write (push-tag.ts) re-checks and reads back through the same function.
import { asImmutagError, type ErrorCode } from '../errors.ts';
import { describeCredential, type Credential } from './auth/credentials.ts';
import type { PullNotGranted } from './auth/token-grants.ts';
import { describeEntries, type RegistryErrorEntry } from './errors.ts';
import { headerValue } from './http.ts';
import type { IncomingHttpHeaders } from 'node:http';

/** A manifest an index lists. */
export interface ManifestChild {
  digest: string;
  /** `os/architecture[/variant]`, when the index says. */
  platform?: string;
}

export type TagState =
  | { kind: 'present'; digest: string; mediaType: string; size: number; children?: ManifestChild[] }
  | { kind: 'absent' }
  | { kind: 'unknown'; code: ErrorCode; reason: string; hint: string; status?: number };

export type UnknownState = Extract<TagState, { kind: 'unknown' }>;

/** One answer to the existence GET, with what is needed to judge it. */
export interface ExistenceAnswer {
  /** "GET registry/repository:tag", for messages. */
  what: string;
  repository: string;
  /** The tag (or digest) asked about. */
  reference: string;
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
  /** The origin that answered, after redirects, and the registry's own (both canonical). */
  answeredBy: string;
  /** The path asked for, and the path that answered after redirects. */
  askedPath: string;
  answeredPath: string;
  registryOrigin: string;
  /** The registry's /v2/ label (`registry/2.0`), if it had one. */
  pingApiVersion: string | undefined;
  /** The manifest in the body, hashed and checked (throws when it is not one). */
  manifest(): { digest: string; mediaType: string; size: number; children?: ManifestChild[] };
  credential(): Promise<Credential | undefined>;
  /** Set when the bearer token sent says it grants no pull on the repository. */
  noPull?: PullNotGranted;
}

const ABSENT_CODES = new Set(['MANIFEST_UNKNOWN', 'NAME_UNKNOWN']);
const MANIFEST_PATH = /^\/v2\/.+\/manifests\/[^/]+$/;
// A 404 that says the tag's manifest is of a type the client did not accept means the
// tag exists. Registries word it differently (distribution: "accept header does not
// support"; gcr.io: "has media type …, but client accepts …"), so any missing-manifest
// message that talks of Accept or a media type is read as "exists in some form": a
// plain "manifest unknown" says neither.
const ACCEPT_REFUSED = /\baccept|media[ -]?type/i;

/**
 * Whether a manifest that answered from another path is about another repository or
 * reference than the one asked. A front that moves the same repository under a prefix
 * (registry.k8s.io sends /v2/pause/manifests/3.9 to a storage registry's
 * /v2/k8s-artifacts-prod/images/pause/manifests/3.9) still serves the tag asked: the
 * answered path ends with the asked one's `/<repository>/manifests/<reference>`. A 404
 * from any other path proves nothing about the tag asked, prefix or not (judgeExistence).
 */
function aboutAnotherManifest(answer: ExistenceAnswer): boolean {
  const asked = answer.askedPath.replace(/^\/v2(?=\/)/, '');
  return MANIFEST_PATH.test(answer.answeredPath) && !answer.answeredPath.endsWith(asked);
}

export async function judgeExistence(answer: ExistenceAnswer): Promise<TagState> {
  const { status, what } = answer;
  const moved = answer.answeredPath !== answer.askedPath;
  if (moved && (status === 404 || aboutAnotherManifest(answer))) {
    // The answer is about another repository or reference: no evidence about this tag.
    return { kind: 'unknown', code: 'REGISTRY_ERROR', status, reason: `${what} was redirected to ${answer.answeredPath}, which answered ${status} there: no answer about the tag asked`,
      hint: 'Only an answer about the tag asked can say whether it exists; check the redirect in front of the registry.' };
  }
  if (status === 200) {
    try {
      const { digest, mediaType, size, children } = answer.manifest();
      return { kind: 'present', digest, mediaType, size, ...(children !== undefined ? { children } : {}) };
    } catch (err) {
      return unknownFromError(err);
    }
  }
  if (status === 401 || status === 403) return unauthorizedState(status, what, answer.repository, await answer.credential());
  if (status === 404) return judgeNotFound(answer);
  const errors = errorArray(answer.body);
  return statusState(status, what, errors === undefined ? '' : describeEntries(errors));
}

function judgeNotFound(answer: ExistenceAnswer): TagState {
  const { what } = answer;
  const errors = errorArray(answer.body);
  const said = errors === undefined ? '' : ` (${describeEntries(errors)})`;
  const unknown = (reason: string, hint: string): UnknownState => ({ kind: 'unknown', code: 'REGISTRY_ERROR', status: 404, reason, hint });
  if (answer.answeredBy !== answer.registryOrigin) {
    return unknown(`${what} was redirected to ${answer.answeredBy}, which answered 404 without the registry's credentials`,
      'Only the registry itself can say a tag is absent; check the redirect in front of the registry.');
  }
  if (answer.noPull !== undefined) return withoutPull(answer, answer.noPull, said);
  if (errors?.some((e) => ACCEPT_REFUSED.test(e.message))) {
    return unknown(`${what}: ${describeEntries(errors)}`,
      'The registry holds a manifest of a type immutag did not ask for; the tag exists in some form. Report this registry and media type to immutag.');
  }
  // Distribution names the revision when the tag's link exists but its manifest cannot be
  // read (`{"Name":…,"Revision":"sha256:…"}`), and the tag when it has none (`{"Tag":…}`).
  const revision = errors?.map((e) => (e.detail as { Revision?: unknown } | undefined)?.Revision).find((r) => typeof r === 'string');
  if (revision !== undefined && !answer.reference.includes(':')) {
    return unknown(`${what}: the tag exists (it names ${String(revision)}) but the registry cannot read that manifest${said}`,
      'The registry holds the tag but not the manifest it names (storage not yet consistent, or damaged); run again later, and check the registry\'s storage.');
  }
  if (errors === undefined || errors.length === 0) {
    return unknown(`${what} answered 404 without the distribution spec's errors body`,
      'A 404 that does not name a missing manifest comes from a proxy, a gateway or a wrong URL, not from the registry; check the registry host and what sits in front of it.');
  }
  const labelled = answer.pingApiVersion === undefined || headerValue(answer.headers, 'docker-distribution-api-version') !== undefined;
  if (labelled && errors.every((e) => ABSENT_CODES.has(e.code))) return { kind: 'absent' };
  if (errors.every((e) => isHarborNotFound(e, answer.repository, answer.reference))) return { kind: 'absent' };
  if (!labelled && errors.every((e) => ABSENT_CODES.has(e.code))) {
    return unknown(`${what} answered 404${said} without the Docker-Distribution-Api-Version header the registry's /v2/ sends`,
      'Something between immutag and the registry (a pull-through cache, an API gateway, a CDN) answered for it; point immutag at the registry itself, or have the proxy pass the registry\'s answer through.');
  }
  return unknown(`${what} answered 404 without MANIFEST_UNKNOWN or NAME_UNKNOWN${said}`,
    'A 404 that does not name a missing manifest may come from a proxy or a wrong URL; check the registry host and path.');
}

function withoutPull(answer: ExistenceAnswer, noPull: PullNotGranted, said: string): UnknownState {
  const granted = noPull.granted.length > 0 ? `it grants only ${noPull.granted.join(' ')}` : 'it grants nothing';
  return {
    kind: 'unknown', code: 'AUTH_FAILED', status: 404,
    reason: `${answer.what} answered 404${said}, but the token the registry issued grants no pull on ${answer.repository} (${granted}), ` +
      'so the 404 cannot tell an absent tag from a repository hidden from this token',
    hint: `Give credentials with read access to ${answer.repository} (pull). If they have it, check the token service: ` +
      'it issued a token without pull on the repository (a robot account or role limited to push, a wrong scope mapping).',
  };
}

/**
 * Harbor's "artifact <repository>:<tag> not found" (or @<digest>), naming the very tag
 * asked about, or "repository <repository> not found": no repository, so no tag in it.
 */
function isHarborNotFound(entry: RegistryErrorEntry, repository: string, reference: string): boolean {
  if (entry.code !== 'NOT_FOUND' || !/\bnot found\b/i.test(entry.message)) return false;
  const words = entry.message.split(/\s+/);
  const separator = reference.includes(':') ? '@' : ':';
  return words.includes(`${repository}${separator}${reference}`) || (words.includes('repository') && words.includes(repository));
}

/** The spec's `{"errors":[{code,message,detail}]}`; undefined for any other body. */
export function errorArray(body: Buffer): RegistryErrorEntry[] | undefined {
  let json: unknown;
  try {
    json = JSON.parse(body.toString('utf8'));
  } catch {
    return undefined;
  }
  const list = typeof json === 'object' && json !== null ? (json as { errors?: unknown }).errors : undefined;
  if (!Array.isArray(list)) return undefined;
  const entries: RegistryErrorEntry[] = [];
  for (const item of list) {
    if (typeof item !== 'object' || item === null || typeof (item as { code?: unknown }).code !== 'string') return undefined;
    const { code, message, detail } = item as { code: string; message?: unknown; detail?: unknown };
    entries.push({ code, message: typeof message === 'string' ? message : '', ...(detail !== undefined ? { detail } : {}) });
  }
  return entries;
}

export function unknownFromError(err: unknown): UnknownState {
  const e = asImmutagError(err);
  const status = (e as { status?: unknown }).status;
  return {
    kind: 'unknown',
    code: e.code,
    reason: e.message,
    hint: e.hint || 'Run again; if it persists, check the registry and the network.',
    ...(typeof status === 'number' ? { status } : {}),
  };
}

/**
 * 401/403 on a manifest: it does not mean the tag is free. Docker Hub, GHCR and the
 * Google registries answer 401/403 for repositories that do not exist when the caller
 * cannot see them, so the same answer covers "private" and "missing".
 */
export function unauthorizedState(status: number, what: string, repository: string, credential: Credential | undefined): UnknownState {
  const said = `${what} answered HTTP ${status}`;
  if (credential === undefined) {
    return {
      kind: 'unknown',
      code: 'AUTH_REQUIRED',
      status,
      reason: `${said} to an anonymous request, so immutag cannot tell whether the tag exists`,
      hint: `Give credentials with pull access to ${repository} (the username/password inputs or docker/login-action before this step; in the CLI, --username with --password-stdin or $IMMUTAG_PASSWORD, or docker login). ` +
        'Docker Hub, GHCR and Google registries answer 401/403 for repositories that do not exist when the caller has no access, so this is not proof the tag is free.',
    };
  }
  return {
    kind: 'unknown',
    code: 'AUTH_FAILED',
    status,
    reason: `${said} with ${describeCredential(credential)}, so immutag cannot tell whether the tag exists`,
    hint: `Check that the credentials are valid and grant pull on ${repository}. ` +
      'Docker Hub, GHCR and Google registries also answer this way for repositories that do not exist.',
  };
}

export function statusState(status: number, what: string, detail: string): UnknownState {
  const said = `${what} answered HTTP ${status}${detail ? `: ${detail}` : ''}`;
  if (status === 429) {
    return { kind: 'unknown', code: 'REGISTRY_ERROR', status, reason: `${said} (rate limited, still after retries)`,
      hint: 'The registry is rate limiting this client: authenticate to raise the limit, or run again later.' };
  }
  if (status >= 500) {
    return { kind: 'unknown', code: 'REGISTRY_ERROR', status, reason: `${said} (after retries)`,
      hint: 'The registry failed on its side; run again later and check its status page.' };
  }
  return { kind: 'unknown', code: 'REGISTRY_ERROR', status, reason: said,
    hint: 'immutag expected 200 or a 404 naming MANIFEST_UNKNOWN; this answer says neither, so the tag state is unknown.' };
}
