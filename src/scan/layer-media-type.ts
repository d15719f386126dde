// Which layer media types a runtime unpacks as a filesystem, decided as containerd's
// DiffCompression decides (core/images/mediatypes.go): the type is cut at the first
// `+` into a base and suffixes, the suffixes sorted, and
//  - Docker `rootfs.diff.tar` / `rootfs.foreign.diff.tar`: compression unknown (the
//    bytes decide); `…diff.tar.gzip` (plain and foreign): gzip; `rootfs.diff.tar.zstd`:
//    zstd; any of them wrapped in a suffix: uncompressed;
//  - OCI `layer.v1.tar` and `layer.nondistributable.v1.tar`: the last sorted suffix
//    if it is gzip or zstd, else uncompressed (`+foo+gzip` is gzip).
// Anything else containerd refuses to unpack. containerd decompresses a gzip or zstd
// (or Docker `unknown`) layer by its sniffed bytes, as the scanner does (decompress.ts),
// so there a wrong label only feeds a note; a layer it takes as uncompressed it hands to
// archive/tar as it is, while Docker still decompresses it by its bytes. Such a layer
// whose bytes are compressed is two filesystems, and is refused (layers.ts).
import type { ImageManifest } from '../oci.ts';
import type { Compression } from './decompress.ts';

export interface LayerMediaType {
  /** What the type declares; `unknown` for Docker types that may or may not be compressed. */
  declared: Compression | 'unknown';
  /** ocicrypt: a runtime with the key decrypts it; the scanner cannot. */
  encrypted: boolean;
}

const DOCKER_UNKNOWN = new Set(['application/vnd.docker.image.rootfs.diff.tar', 'application/vnd.docker.image.rootfs.foreign.diff.tar']);
const DOCKER_GZIP = new Set(['application/vnd.docker.image.rootfs.diff.tar.gzip', 'application/vnd.docker.image.rootfs.foreign.diff.tar.gzip']);
const DOCKER_ZSTD = 'application/vnd.docker.image.rootfs.diff.tar.zstd';
const OCI_TAR = new Set(['application/vnd.oci.image.layer.v1.tar', 'application/vnd.oci.image.layer.nondistributable.v1.tar']);

/** The config types of an image: containerd runs these, and Docker too (lowercased). */
const IMAGE_CONFIG_TYPES: ReadonlySet<string> = new Set([
  'application/vnd.oci.image.config.v1+json',
  'application/vnd.docker.container.image.v1+json',
]);
/** Types Docker's puller also takes for a config or a layer (a registry's defaults, from before media types). */
const GENERIC_TYPES: ReadonlySet<string> = new Set(['application/octet-stream', 'application/json', 'text/html', '']);
const LOOSE_PREFIXES = ['application/vnd.oci.image.', 'application/vnd.docker.'];
/** Docker's own model artifacts: its puller refuses them outright. */
const DOCKER_AI_PREFIX = 'application/vnd.docker.ai.';
const DOCKER_MANIFEST = 'application/vnd.docker.distribution.manifest.v2+json';

/**
 * Whether some runtime runs this manifest as an image, whose layers must then all be
 * read (or the scan stopped). An image config type, lowercased, always. Besides, Docker's
 * own puller (moby's checkSupportedMediaType) takes a config that is generic, or, for an
 * OCI manifest or any manifest reached through an index (pullTag checks the exact type
 * only for the schema 2 manifest a tag names), one starting with
 * `application/vnd.oci.image.` or `application/vnd.docker.` (not `…docker.ai.`), and
 * untars every layer, decompressed by its bytes. Such a manifest is an image when one of
 * its layers is a filesystem type or a generic one; a Docker model's GGUF or a Compose
 * file makes that pull fail, so those stay artifacts.
 */
export function isRunnableManifest(manifest: Pick<ImageManifest, 'config' | 'layers'>, manifestType: string | undefined, inIndex: boolean): boolean {
  if (IMAGE_CONFIG_TYPES.has((manifest.config?.mediaType ?? '').toLowerCase())) return true;
  return dockerPullerTakes(manifest.config?.mediaType, manifestType, inIndex) && manifest.layers.some((layer) => isFilesystemLike(layer.mediaType));
}

/** Whether Docker's puller takes a manifest with this config type (see isRunnableManifest). */
export function dockerPullerTakes(configType: string | undefined, manifestType: string | undefined, inIndex: boolean): boolean {
  const config = (configType ?? '').toLowerCase();
  if (IMAGE_CONFIG_TYPES.has(config) || GENERIC_TYPES.has(config)) return true;
  if (config.startsWith(DOCKER_AI_PREFIX) || (manifestType === DOCKER_MANIFEST && !inIndex)) return false;
  return LOOSE_PREFIXES.some((prefix) => config.startsWith(prefix));
}

/** Whether Docker's puller takes a layer of this type, to untar it decompressed by its bytes. */
export function dockerPullerTakesLayer(mediaType: string): boolean {
  const lower = mediaType.toLowerCase();
  if (GENERIC_TYPES.has(lower)) return true;
  return !lower.startsWith(DOCKER_AI_PREFIX) && LOOSE_PREFIXES.some((prefix) => lower.startsWith(prefix));
}

function isFilesystemLike(mediaType: string): boolean {
  const lower = mediaType.toLowerCase();
  return GENERIC_TYPES.has(lower) || layerMediaType(lower) !== undefined;
}

/** How a runtime reads a layer of this media type; undefined when it is not a filesystem layer. */
export function layerMediaType(mediaType: string): LayerMediaType | undefined {
  const plus = mediaType.indexOf('+');
  const base = plus < 0 ? mediaType : mediaType.slice(0, plus);
  const suffixes = plus < 0 ? [] : mediaType.slice(plus + 1).split('+').sort();
  const encrypted = suffixes.includes('encrypted');
  // A Docker type wrapped in a suffix is, to containerd, a tar it hands to that suffix's processor.
  const wrapped = suffixes.length > 0;
  if (DOCKER_UNKNOWN.has(base)) return { declared: wrapped ? 'none' : 'unknown', encrypted };
  if (DOCKER_GZIP.has(base)) return { declared: wrapped ? 'none' : 'gzip', encrypted };
  if (base === DOCKER_ZSTD) return { declared: wrapped ? 'none' : 'zstd', encrypted };
  if (!OCI_TAR.has(base)) return undefined;
  const last = suffixes.at(-1);
  return { declared: last === 'gzip' || last === 'zstd' ? last : 'none', encrypted };
}
