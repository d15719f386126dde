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

/**
 * Config types of a manifest some runtime runs as an image. Docker's own puller takes,
 * lowercased, one of these for the Docker schema 2 manifest a tag or digest names
 * (pullTag's validateMediaType, distribution.ImageTypes), and for an OCI manifest, or any
 * manifest reached through an index, also any type starting with
 * `application/vnd.oci.image.` or `application/vnd.docker.` (checkSupportedMediaType),
 * then decompresses its layers by their bytes; containerd takes the two config types.
 * Anything else is an artifact (a Docker plugin, `application/vnd.docker.plugin.v1+json`
 * in a schema 2 manifest of its own, too).
 */
const RUNNABLE_CONFIG_TYPES: ReadonlySet<string> = new Set([
  'application/vnd.oci.image.config.v1+json',
  'application/vnd.docker.container.image.v1+json',
  'application/octet-stream',
  'application/json',
  'text/html',
  '',
]);
const RUNNABLE_CONFIG_PREFIXES = ['application/vnd.oci.image.', 'application/vnd.docker.'];

export function isImageConfigType(configType: string | undefined, manifestType: string | undefined, inIndex: boolean): boolean {
  const lower = (configType ?? '').toLowerCase();
  if (RUNNABLE_CONFIG_TYPES.has(lower)) return true;
  if (manifestType === DOCKER_MANIFEST && !inIndex) return false;
  return RUNNABLE_CONFIG_PREFIXES.some((prefix) => lower.startsWith(prefix));
}

const DOCKER_MANIFEST = 'application/vnd.docker.distribution.manifest.v2+json';

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
