// Which manifests of an image are scanned: every manifest of an index a runtime could
// pull, never a verified build attestation (attestation.ts: platform unknown/unknown
// and only in-toto layers; an annotation alone does not make one).
import { ImmutagError } from '../errors.ts';
import { isAttestation } from './attestation.ts';
import { GoJsonRefusal, MANIFEST_FIELDS, parseOciJson } from '../oci-json.ts';
import { isIndexType, platformName, type BlobSource, type Descriptor, type ImageIndex, type ImageManifest } from '../oci.ts';

export interface ScanTarget {
  /** `linux/amd64`; `unknown` for a single manifest that names no platform. */
  platform: string;
  descriptor: Descriptor;
  manifest: ImageManifest;
  /** Reached through an index, not named by the reference itself. */
  inIndex?: boolean;
}

const MAX_DEPTH = 2;

function parse(bytes: Buffer, d: Descriptor): Record<string, unknown> {
  try {
    const value = parseOciJson(bytes.toString('utf8'), MANIFEST_FIELDS);
    if (value && typeof value === 'object' && !Array.isArray(value)) return value as Record<string, unknown>;
  } catch (err) {
    if (err instanceof GoJsonRefusal) {
      throw new ImmutagError('MANIFEST_INVALID', `${d.digest}: ${err.message}`, { hint: err.hint });
    }
  }
  throw new ImmutagError('MANIFEST_INVALID', `${d.digest} is not a JSON manifest`, {
    hint: 'The image is malformed; rebuild it.',
  });
}

function asManifest(doc: Record<string, unknown>, d: Descriptor): ImageManifest {
  const config = doc.config as Descriptor | undefined;
  if (!config || typeof config.digest !== 'string' || !Array.isArray(doc.layers)) {
    throw new ImmutagError('MANIFEST_INVALID', `${d.digest} has no config or layers, so it is not an image manifest`, {
      hint: 'Only OCI and Docker schema 2 image manifests and indexes can be scanned.',
    });
  }
  return doc as unknown as ImageManifest;
}

/**
 * A manifest's bytes, checked against the digest and size its parent names, the bytes
 * the caller already holds too: the size is the parent's word, and a child listed at
 * another size is one a runtime refuses.
 */
async function bytesOf(d: Descriptor, source: BlobSource, manifests: Map<string, Buffer>, parent: string | undefined): Promise<Buffer> {
  const held = manifests.get(d.digest);
  if (held === undefined) return source.read(d);
  if (held.length !== d.size) {
    const lister = parent === undefined ? 'its descriptor' : `the index ${parent}`;
    throw new ImmutagError('MANIFEST_INVALID', `${lister} lists manifest ${d.digest} as ${d.size} bytes, but it is ${held.length}: the index is malformed, and containerd refuses to pull it`, {
      hint: 'Rebuild and push the image (the tool that wrote the index is at fault, not the registry); do not deploy this digest.',
    });
  }
  // The map holds verified bytes (scan.ts): whoever put them there hashed them against their digest.
  return held;
}

async function collect(d: Descriptor, platform: string, source: BlobSource, manifests: Map<string, Buffer>, depth: number, parent?: string): Promise<ScanTarget[]> {
  const doc = parse(await bytesOf(d, source, manifests, parent), d);
  const mediaType = typeof doc.mediaType === 'string' ? doc.mediaType : d.mediaType;
  const isIndex = isIndexType(mediaType) || (Array.isArray(doc.manifests) && doc.config === undefined);
  if (!isIndex) {
    const manifest = asManifest(doc, d);
    return isAttestation(d, manifest) ? [] : [{ platform, descriptor: d, manifest, inIndex: depth > 0 }];
  }
  if (depth >= MAX_DEPTH) {
    throw new ImmutagError('MANIFEST_INVALID', `${d.digest}: indexes nested deeper than ${MAX_DEPTH} levels`, {
      hint: 'The image is malformed; rebuild it.',
    });
  }
  const children = (doc as unknown as ImageIndex).manifests ?? [];
  const found: ScanTarget[] = [];
  for (const child of children) {
    found.push(...(await collect(child, platformName(child.platform), source, manifests, depth + 1, d.digest)));
  }
  return found;
}

/** The platform manifests to scan, read through verified bytes (the given map, else the source). */
export async function scanTargets(top: Descriptor, source: BlobSource, manifests: Map<string, Buffer>): Promise<ScanTarget[]> {
  const targets = await collect(top, platformName(top.platform), source, manifests, 0);
  if (targets.length === 0) {
    throw new ImmutagError('IMAGE_INVALID', `${top.digest} lists no platform image to scan (only attestations)`, {
      hint: 'Push or scan an image that contains at least one runnable platform.',
    });
  }
  return targets;
}
