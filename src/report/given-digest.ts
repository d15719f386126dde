// The words for a digest given to verify that is a part of the image a tag names (a
// platform manifest of its index, or a blob such as the config), shared by the
// annotation, the job summary, the final line and the CLI's error, so that each says
// the same cause and the same fix. Plain text: callers escape for Markdown.
import type { GivenDigest, TagReport } from './run-report.ts';

/** Where the right digest comes from, said wherever the wrong one is named. */
export const RIGHT_DIGEST = "build-push-action's digest output, steps.<id>.outputs.digest";

/** `the linux/amd64 manifest`, `an attestation manifest`; `a manifest` when the index names no platform. */
export function listedManifest(platform: string | undefined): string {
  if (platform === undefined) return 'a manifest';
  return platform === 'unknown/unknown' ? 'an attestation manifest' : `the ${platform} manifest`;
}

/** The kind alone, for headlines: `a platform manifest`, `an attestation manifest`, `a blob (most likely the image config)`. */
export function givenKind(is: GivenDigest): string {
  if (is.kind === 'blob') return 'a blob (most likely the image config)';
  if (is.platform === undefined) return 'a manifest of the index';
  return is.platform === 'unknown/unknown' ? 'an attestation manifest' : 'a platform manifest';
}

/** The annotation's title. */
export function givenDigestTitle(is: GivenDigest, ref: string): string {
  return is.kind === 'blob' ? `Digest given is not a manifest: ${ref}` : `Digest given is ${givenKind(is)}, not the index: ${ref}`;
}

/** What the digest given is and what to pass instead, in full sentences (the annotation, the CLI's error). */
export function givenDigestMessage(is: GivenDigest, tag: Pick<TagReport, 'reference' | 'repository'>, given: string, index: string): string {
  return is.kind === 'blob' ? blobMessage(tag, given, index) : listedMessage(is.platform, tag.reference, given, index);
}

// A tag cannot name a config, so the digest is wrong whatever the tag names; whether the
// tag names this build is only known once the right digest is given.
function blobMessage(tag: Pick<TagReport, 'reference' | 'repository'>, given: string, index: string): string {
  return `The digest given, ${given}, is a blob of ${tag.repository}, not a manifest: most likely the image config, build-push-action's imageid output, which no tag names. ` +
    `Verify mode wants the digest of the manifest or index the tag names: pass ${RIGHT_DIGEST}, as digest instead of imageid, and run again. ` +
    `${tag.reference} points at ${index}; nothing was verified or scanned, so do not deploy it until that run passes.`;
}

// The index the tag names lists the digest given: the tag names an image holding it, so
// nothing points to another build.
function listedMessage(platform: string | undefined, ref: string, given: string, index: string): string {
  return `The digest given, ${given}, is ${listedManifest(platform)} of the index ${ref} names, ${index}: nothing points to another build. ` +
    `Verify mode wants the index digest: pass ${RIGHT_DIGEST}, not ${notWhich(platform)} (docker buildx imagetools inspect and registry pages list both), and run again. ` +
    'Nothing was verified or scanned: do not deploy it until that run passes.';
}

function notWhich(platform: string | undefined): string {
  return platform === undefined || platform === 'unknown/unknown' ? 'one of the manifests it lists' : "a platform's";
}

/** One clause after "points at X, not at the expected Y" (the summary row, the final line). */
export function givenDigestClause(is: GivenDigest): string {
  return is.kind === 'blob'
    ? `the digest given is a blob of the repository, not a manifest: most likely the image config (imageid); pass ${RIGHT_DIGEST}`
    : `the digest given is ${listedManifest(is.platform)} of that index: pass the index digest, ${RIGHT_DIGEST}, not ${notWhich(is.platform)}`;
}
