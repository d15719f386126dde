// Descriptors read from an image file are untrusted JSON until checked: the digest
// becomes a file path (blobs/<alg>/<hex>), so it must be a well-formed digest before
// anything else happens, and the size must be a real byte count.
// https://github.com/opencontainers/image-spec/blob/main/descriptor.md
// https://github.com/opencontainers/image-spec/blob/main/image-layout.md#blobs
import { algorithmOf, digestOf, isDigest } from '../digest.ts';
import { ImmutagError } from '../errors.ts';
import type { Descriptor } from '../oci.ts';

/** Checks an untrusted descriptor's shape and returns it typed; `where` names it in messages. */
export function checkDescriptor(value: unknown, where: string): Descriptor {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw invalidDescriptor(where, 'is not a JSON object');
  }
  const d = value as Record<string, unknown>;
  if (typeof d.digest !== 'string' || !isDigest(d.digest)) {
    throw invalidDescriptor(where, `has digest ${JSON.stringify(d.digest)}, which is not sha256:<64 hex> or sha512:<128 hex>`);
  }
  if (typeof d.size !== 'number' || !Number.isSafeInteger(d.size) || d.size < 0) {
    throw invalidDescriptor(where, `has size ${JSON.stringify(d.size)}, which is not a byte count`);
  }
  if (typeof d.mediaType !== 'string' || d.mediaType === '') {
    throw invalidDescriptor(where, 'has no mediaType');
  }
  // Embedded data "MUST be identical to the referenced content" (descriptor.md); a consumer may use it
  // instead of the blob, so data that is not the verified bytes is refused, not ignored.
  if (d.data !== undefined && d.data !== null) {
    const decoded = typeof d.data === 'string' ? Buffer.from(d.data, 'base64') : undefined;
    if (decoded === undefined || decoded.toString('base64') !== d.data || decoded.length !== d.size ||
      digestOf(decoded, algorithmOf(d.digest)) !== d.digest) {
      throw invalidDescriptor(where, 'embeds data that is not the content its digest and size name');
    }
  }
  return value as Descriptor;
}

/** The layout path of a blob; only ever called with a checked digest, and checks again. */
export function blobPath(digest: string): string {
  if (!isDigest(digest)) throw invalidDescriptor('a blob', `has digest ${JSON.stringify(digest)}`);
  const [algorithm, hex] = digest.split(':');
  return `blobs/${algorithm}/${hex}`;
}

function invalidDescriptor(where: string, detail: string): ImmutagError {
  return new ImmutagError('IMAGE_INVALID', `The descriptor of ${where} ${detail}`, {
    hint: 'The image file is malformed or was tampered with; nothing was read through it. Rebuild the image.',
  });
}
