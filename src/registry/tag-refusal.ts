// What a refused tag PUT means. Only an answer that says the tag exists or is
// protected is a violation ("bump the version"); a new tag refused for any other
// reason (a missing blob, a quota, a read-only repository, a gateway's error page)
// is an error carrying the registry's own words, because telling the user to bump
// a version that was never taken sends them the wrong way.
//
// Rules are tried in order; the first whose status and words match decides. The
// words are the registry's `code: message` entries, flattened (registryWords).
import type { RegistryErrorEntry } from './errors.ts';
import { scrub } from '../secrets.ts';

/**
 * `protected`: the registry says the tag exists / is immutable — a violation on its word.
 * `locked`: the tag or its repository is locked; a violation only when a re-read shows the
 *   tag at another digest (a locked repository refuses new tags too, which is an error).
 * `auth`: a missing permission, reported as the push's auth failure.
 * `other`: an error in the registry's words; a re-read showing another digest still makes
 *   it a violation (someone else holds the tag).
 */
export type RefusalKind = 'protected' | 'locked' | 'auth' | 'other';

interface RefusalRule {
  kind: RefusalKind;
  /** Statuses the rule applies to; any 4xx when absent. */
  status?: readonly number[];
  words: RegExp;
  source: string;
}

export const REFUSAL_RULES: readonly RefusalRule[] = [
  {
    // ECR, repository with IMMUTABLE tags: 400 TAG_INVALID "The image tag '1.0' already exists in the
    // 'x' repository and cannot be overwritten because the tag/repository is immutable."
    // moby/buildkit#3776, GoogleContainerTools/kaniko#3481; the ECR API's ImageTagAlreadyExistsException.
    kind: 'protected', words: /cannot be overwritten|ImageTagAlreadyExists/i,
    source: 'ECR',
  },
  {
    // Harbor tag immutability rule: 412 PRECONDITION "Failed to process request due to 'repo:tag'
    // configured as immutable." (goharbor/harbor src/pkg/immutable, ErrImmutable); 409 CONFLICT
    // "tag latest already exists under the repository" from its tag API (goharbor/harbor#20382).
    kind: 'protected', words: /configured as immutable|already exists under the repository/i,
    source: 'Harbor',
  },
  {
    // Docker Hub immutable tags: 403 DENIED "… This tag is already assigned to an image in this
    // repository and cannot be updated due to immutability settings."
    kind: 'protected', words: /immutability settings|already assigned to an image/i,
    source: 'Docker Hub',
  },
  {
    // Artifact Registry with immutable tags: "The repository has enabled tag immutability"
    // (cloud.google.com/artifact-registry/docs/docker/troubleshoot).
    kind: 'protected', words: /enabled tag immutability/i,
    source: 'Artifact Registry',
  },
  {
    // Any registry that names the tag as taken or immutable in plain words (Quay's immutable
    // tags, zot, distribution forks): "tag … already exists", "tag is immutable", "protected".
    kind: 'protected', words: /\btag\b[^;]*\b(already exists|exists|is immutable|is protected)\b|\bimmutable tag\b/i,
    source: 'generic',
  },
  {
    // ACR image/repository lock (writeEnabled=false): 405 REGISTRY_DISALLOWED_OPERATION "The
    // operation is disallowed on this registry, repository or image" (Azure/azure-sdk-for-net#22827,
    // aka.ms/acr/faq "disallowed operation"); "TAG_IS_LOCKED" / "write operation not allowed".
    // A locked repository also refuses new tags, so the re-read decides.
    kind: 'locked', words: /DISALLOWED_OPERATION|operation is disallowed|TAG_IS_LOCKED|write operation (is )?not allowed|\blocked\b/i,
    source: 'ACR',
  },
  {
    // 403 that names no tag: a missing push permission (GHCR "permission_denied", distribution DENIED).
    kind: 'auth', status: [403], words: /.*/,
    source: 'distribution spec: DENIED',
  },
];

export function classifyTagRefusal(status: number, words: string): RefusalKind {
  if (status === 401) return 'auth';
  const rule = REFUSAL_RULES.find((r) => (r.status === undefined || r.status.includes(status)) && r.words.test(words));
  return rule?.kind ?? 'other';
}

const WORDS_LIMIT = 300;

/**
 * The registry's own messages, flattened to one bounded line without control characters.
 * Scrubbed before the cut: a credential the registry echoed and the cut split in two
 * would no longer be recognised, and its first half would be printed.
 */
export function registryWords(errors: readonly RegistryErrorEntry[]): string {
  const text = scrub(errors.map((e) => (e.message ? `${e.code}: ${e.message}` : e.code)).join('; '));
  const clean = text.replace(/[\u0000-\u001f\u007f-\u009f]+/g, ' ').replace(/\s+/g, ' ').trim();
  return clean.length > WORDS_LIMIT ? `${clean.slice(0, WORDS_LIMIT)}…` : clean;
}
