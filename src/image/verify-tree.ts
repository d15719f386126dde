// Verifies everything reachable from the top descriptor before anything else may
// use it: index → child manifests → config + layers. Manifests are small and are
// read, checked and only then parsed, one level at a time; configs and layers are
// then hashed once each, a few at a time.
import { sizeMismatch } from '../digest.ts';
import { ImmutagError } from '../errors.ts';
import { isIndexType, MediaType, platformName, strayFieldOfOtherKind, type Descriptor, type ImageIndex, type ImageManifest } from '../oci.ts';
import { isAttestation } from '../scan/attestation.ts';
import { isRunnableManifest } from '../scan/layer-media-type.ts';
import { checkDescriptor } from './descriptor.ts';
import { CONFIG_FIELDS, MANIFEST_FIELDS } from '../oci-json.ts';
import { parseJson } from './json-member.ts';
import { forEachPool } from '../pool.ts';
import type { VerifiedBlobs } from './verified-blobs.ts';

/** The registry's own limit for a manifest (distribution's defaultMaxManifestSize). */
const MANIFEST_LIMIT = 4 * 1024 * 1024;
const CONFIG_LIMIT = 16 * 1024 * 1024;
/** An index of indexes of manifests is already unusual; deeper is refused. */
const MAX_DEPTH = 4;

export interface PlatformImage {
  platform: string;
  descriptor: Descriptor;
  manifest: ImageManifest;
}

export interface VerifiedTree {
  manifests: Map<string, Buffer>;
  /** Every manifest and index, children before the index that lists them, the top one last. */
  manifestOrder: Descriptor[];
  platforms: PlatformImage[];
  blobs: Descriptor[];
}

interface FoundManifest {
  descriptor: Descriptor;
  manifest: ImageManifest;
  label: string;
  inIndex: boolean;
}

/** `deferLayers`: layers are only located and size-checked; their reader hashes them (verified-blobs.ts). */
export async function verifyTree(top: Descriptor, store: VerifiedBlobs, concurrency: number, deferLayers = false): Promise<VerifiedTree> {
  const walk = new ManifestWalk(store);
  await walk.visit(top, `manifest ${top.digest}`, 0);
  await forEachPool([...walk.blobs.values()], concurrency, ({ descriptor, what, layerOnly }) =>
    deferLayers && layerOnly ? store.defer(descriptor, what) : store.verify(descriptor, what));
  const platforms: PlatformImage[] = [];
  for (const found of walk.images) {
    if (!isRunnableImage(found)) continue;
    platforms.push({ platform: await platformOf(found, store), descriptor: found.descriptor, manifest: found.manifest });
  }
  return { manifests: walk.manifests, manifestOrder: walk.order, platforms, blobs: [...walk.blobs.values()].map((b) => b.descriptor) };
}

class ManifestWalk {
  readonly manifests = new Map<string, Buffer>();
  /** The media type each manifest was checked as: one document is read as one type only. */
  private readonly types = new Map<string, string>();
  readonly order: Descriptor[] = [];
  readonly images: FoundManifest[] = [];
  /** `layerOnly`: listed only as a layer, never as a config (a config is read, so always hashed first). */
  readonly blobs = new Map<string, { descriptor: Descriptor; what: string; layerOnly: boolean }>();
  private readonly store: VerifiedBlobs;

  constructor(store: VerifiedBlobs) {
    this.store = store;
  }

  async visit(desc: Descriptor, label: string, depth: number): Promise<void> {
    const seen = this.manifests.get(desc.digest);
    if (seen !== undefined) {
      if (seen.length !== desc.size) throw sizeMismatch(label, desc.size, seen.length);
      const type = this.types.get(desc.digest);
      if (type !== desc.mediaType) throw invalid(`${label} is listed as ${desc.mediaType} here and as ${type} elsewhere in the image`);
      return;
    }
    if (depth > MAX_DEPTH) throw invalid(`${label} is nested more than ${MAX_DEPTH} indexes deep`);
    const bytes = await this.store.readSmall(desc, label, MANIFEST_LIMIT);
    const doc = parseJson(bytes, label, MANIFEST_FIELDS) as Record<string, unknown> | null;
    checkDocument(doc, desc, label);
    this.manifests.set(desc.digest, bytes);
    this.types.set(desc.digest, desc.mediaType);
    if (isIndexType(desc.mediaType)) {
      await this.visitIndex(doc as unknown as ImageIndex, label, depth);
    } else {
      this.addManifest(desc, doc as unknown as ImageManifest, label, depth > 0);
    }
    this.order.push(desc);
  }

  private async visitIndex(index: ImageIndex, label: string, depth: number): Promise<void> {
    for (const [i, value] of index.manifests.entries()) {
      const child = checkDescriptor(value, `manifest ${i + 1} of ${label}`);
      const platform = child.platform ? ` (${platformName(child.platform)})` : '';
      await this.visit(child, `manifest ${child.digest}${platform}`, depth + 1);
    }
  }

  private addManifest(descriptor: Descriptor, manifest: ImageManifest, label: string, inIndex: boolean): void {
    const config = checkDescriptor(manifest.config, `the config of ${label}`);
    this.addBlob(config, `config of ${label}`, false);
    for (const [i, value] of manifest.layers.entries()) {
      this.addBlob(checkDescriptor(value, `layer ${i + 1} of ${label}`), `layer ${i + 1} of ${label}`, true);
    }
    this.images.push({ descriptor, manifest, label, inIndex });
  }

  private addBlob(descriptor: Descriptor, what: string, layer: boolean): void {
    const known = this.blobs.get(descriptor.digest);
    if (known !== undefined && known.descriptor.size !== descriptor.size) {
      throw sizeMismatch(`${what} (${descriptor.digest}, also ${known.what})`, descriptor.size, known.descriptor.size);
    }
    if (known === undefined) this.blobs.set(descriptor.digest, { descriptor, what, layerOnly: layer });
    else if (!layer) known.layerOnly = false;
  }
}

const MANIFEST_TYPES = new Set<string>([MediaType.ociManifest, MediaType.dockerManifest]);

/** The document must be what its descriptor says it is, so it is parsed as the type that was checked. */
function checkDocument(doc: Record<string, unknown> | null, desc: Descriptor, label: string): void {
  if (!isIndexType(desc.mediaType) && !MANIFEST_TYPES.has(desc.mediaType)) {
    throw invalid(`${label} has media type ${desc.mediaType}, which is not an image manifest or index`);
  }
  if (typeof doc !== 'object' || doc === null || doc.schemaVersion !== 2) {
    throw invalid(`${label} is not a schemaVersion 2 manifest`);
  }
  if (typeof doc.mediaType === 'string' && doc.mediaType !== desc.mediaType) {
    throw invalid(`${label}: its descriptor says ${desc.mediaType} but the document says ${doc.mediaType}`);
  }
  const shapeOk = isIndexType(desc.mediaType)
    ? Array.isArray(doc.manifests)
    : typeof doc.config === 'object' && doc.config !== null && Array.isArray(doc.layers);
  if (!shapeOk) throw invalid(`${label} does not have the fields of a ${desc.mediaType}`);
  const stray = strayFieldOfOtherKind(doc, desc.mediaType);
  if (stray !== undefined) throw invalid(`${label} is a ${desc.mediaType} but also has "${stray}", a field of the other kind of document`);
}

/**
 * Build attestations (buildx provenance/SBOM) are image manifests too, but there is
 * nothing to run or scan in them; they are pushed with the index, not listed as a
 * platform. Only a verified one (scan/attestation.ts), never a mere annotation.
 * https://docs.docker.com/build/metadata/attestations/attestation-storage/
 */
function isRunnableImage(found: FoundManifest): boolean {
  const { descriptor, manifest } = found;
  if (isAttestation(descriptor, manifest)) return false;
  return isRunnableManifest(manifest, descriptor.mediaType, found.inIndex);
}

/** From the index entry when there is one, else from the (verified) image config. */
async function platformOf(found: FoundManifest, store: VerifiedBlobs): Promise<string> {
  if (found.descriptor.platform) return platformName(found.descriptor.platform);
  const bytes = await store.readSmall(found.manifest.config, `config of ${found.label}`, CONFIG_LIMIT);
  const config = parseJson(bytes, `config of ${found.label}`, CONFIG_FIELDS) as { os?: unknown; architecture?: unknown; variant?: unknown } | null;
  const os = typeof config?.os === 'string' ? config.os : undefined;
  const architecture = typeof config?.architecture === 'string' ? config.architecture : undefined;
  if (os === undefined || architecture === undefined) return 'unknown';
  const variant = typeof config?.variant === 'string' ? config.variant : undefined;
  return platformName({ os, architecture, ...(variant ? { variant } : {}) });
}

function invalid(message: string): ImmutagError {
  return new ImmutagError('IMAGE_INVALID', message, {
    hint: 'The image file is malformed; nothing from it was used. Rebuild or re-export the image.',
  });
}
