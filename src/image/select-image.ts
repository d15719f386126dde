// Picks the image to use when a file holds several, by the names the caller is
// about to push (full references such as ghcr.io/acme/api:1.4.0 and bare tags such as
// 1.4.0) against the names the file gives its images: the OCI
// `org.opencontainers.image.ref.name` annotation (a tag or a full reference, as the
// writer chose), containerd's `io.containerd.image.name`, or docker save's RepoTags.
import { ImmutagError } from '../errors.ts';

export interface ImageCandidate {
  /** What identifies the image itself (a manifest digest); entries with one id are one image. */
  id: string;
  names: string[];
}

interface ParsedName {
  /** Normalized repository (docker.io/library/x for a familiar name); absent for a bare tag. */
  repository?: string;
  tag: string;
}

/**
 * One image: take it. Several: each tag being pushed is matched on its own, a
 * full-reference match winning over a tag-only one, and every tag that matches must
 * lead to the same image. A tie for one tag, tags that lead to different images, or no
 * match at all is an error that lists what the file holds: pushing one image under a
 * tag another image in the file carries would publish bytes nobody named.
 */
export function selectImage<T extends ImageCandidate>(candidates: readonly T[], wanted: readonly string[], location: string): T {
  const first = candidates[0];
  if (first === undefined) {
    throw new ImmutagError('IMAGE_INVALID', `${location} holds no image`, {
      hint: 'Its index.json (or manifest.json) lists no manifest. Check that the build step exported the image.',
    });
  }
  if (distinctIds(candidates).length === 1) return first;
  const wantedNames = wanted.map(parseName);
  const asked = wanted.length > 0 ? wanted.join(', ') : '(no names given)';
  const short = shortNames(wantedNames);
  const picks = new Map<string, T[]>();
  for (const tag of new Set(wantedNames.map((w) => w.tag))) {
    const chosen = bestFor(candidates, wantedNames.filter((w) => w.tag === tag), short);
    if (chosen.length > 0) picks.set(tag, chosen);
  }
  for (const chosen of picks.values()) {
    if (distinctIds(chosen).length > 1) {
      throw new ImmutagError('IMAGE_INVALID', `${location} holds several images that match ${asked}: ${describeCandidates(chosen)}`, {
        hint: 'Give each image in the file a distinct name, or write one image per file.',
      });
    }
  }
  const led = [...picks.values()].map((chosen) => chosen[0]!);
  if (distinctIds(led).length > 1) {
    const which = [...picks].map(([tag, chosen]) => `${tag}: ${chosen[0]!.id}`).join('; ');
    throw new ImmutagError('IMAGE_INVALID', `${location} holds different images for the tags being pushed (${which}): ${describeCandidates(led)}`, {
      hint: 'Every tag of one push names one image: name the image to push with each of its tags, or export only that image.',
    });
  }
  if (led[0] !== undefined) return led[0];
  throw new ImmutagError('IMAGE_INVALID', `${location} holds ${distinctIds(candidates).length} images and none is named ${asked}. It holds: ${describeCandidates(candidates)}`, {
    hint: 'Name the image in the build (buildx --tag / --output name=…, docker save <repo:tag>) with one of the tags being pushed, or export only that image.',
  });
}

/** The candidates that match `wanted` (one tag's names) best; none when none matches. */
function bestFor<T extends ImageCandidate>(candidates: readonly T[], wanted: ParsedName[], short: ReadonlySet<string>): T[] {
  let best = 0;
  let chosen: T[] = [];
  for (const candidate of candidates) {
    const level = matchLevel(candidate.names.map(parseName), wanted, short);
    if (level > best) {
      best = level;
      chosen = [candidate];
    } else if (level === best && level > 0) {
      chosen.push(candidate);
    }
  }
  return chosen;
}

/**
 * 2: the same repository and tag. 1: the same tag, where the file's name is a bare tag,
 * or names a repository whose last component is that of a repository being pushed (a
 * local `api:1.4.0` pushed as ghcr.io/acme/api:1.4.0). An image the file names as
 * another repository (ghcr.io/acme/web:1.4.0) is not that tag of this one.
 */
function matchLevel(names: ParsedName[], wanted: ParsedName[], short: ReadonlySet<string>): number {
  let level = 0;
  for (const name of names) {
    for (const want of wanted) {
      if (name.tag !== want.tag) continue;
      if (name.repository !== undefined && want.repository !== undefined) {
        if (name.repository === want.repository) level = Math.max(level, 2);
      } else if (name.repository === undefined || short.size === 0 || short.has(lastComponent(name.repository))) {
        level = Math.max(level, 1);
      }
    }
  }
  return level;
}

/** The last components of the repositories being pushed (`api` of ghcr.io/acme/api). */
function shortNames(wanted: readonly ParsedName[]): Set<string> {
  return new Set(wanted.flatMap((w) => (w.repository === undefined ? [] : [lastComponent(w.repository)])));
}

function lastComponent(repository: string): string {
  return repository.slice(repository.lastIndexOf('/') + 1);
}

/**
 * `1.4.0` is a bare tag; `api:1.4.0`, `acme/api`, `ghcr.io/acme/api:1.4.0` are
 * references, normalized the way Docker does (docker.io/library/ for familiar names).
 */
export function parseName(raw: string): ParsedName {
  const name = raw.split('@')[0] ?? '';
  const slash = name.lastIndexOf('/');
  const colon = name.lastIndexOf(':');
  if (slash === -1 && colon === -1) return { tag: name };
  const hasTag = colon > slash;
  const repository = hasTag ? name.slice(0, colon) : name;
  return { repository: normalizeRepository(repository), tag: hasTag ? name.slice(colon + 1) : 'latest' };
}

function normalizeRepository(repository: string): string {
  const firstSlash = repository.indexOf('/');
  if (firstSlash === -1) return `docker.io/library/${repository}`;
  const host = repository.slice(0, firstSlash);
  const isHost = host.includes('.') || host.includes(':') || host === 'localhost';
  if (!isHost) return `docker.io/${repository}`;
  return host === 'index.docker.io' ? `docker.io${repository.slice(firstSlash)}` : repository;
}

function distinctIds(candidates: readonly ImageCandidate[]): string[] {
  return [...new Set(candidates.map((c) => c.id))];
}

function describeCandidates(candidates: readonly ImageCandidate[]): string {
  const byId = new Map<string, Set<string>>();
  for (const c of candidates) {
    const names = byId.get(c.id) ?? new Set<string>();
    for (const n of c.names) names.add(n);
    byId.set(c.id, names);
  }
  return [...byId].map(([id, names]) => `${id} (${names.size > 0 ? [...names].join(', ') : 'unnamed'})`).join('; ');
}
