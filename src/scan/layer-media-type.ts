// Which layer media types a runtime unpacks as a filesystem, decided as containerd's
// DiffCompression decides (core/images/mediatypes.go): the type is cut at the first
// `+` into a base and suffixes, the suffixes sorted, and
//  - Docker `rootfs.diff.tar` / `rootfs.foreign.diff.tar`: compression unknown (the
//    bytes decide); `…diff.tar.gzip` (plain and foreign): gzip; `rootfs.diff.tar.zstd`:
//    zstd; any of them wrapped in a suffix: uncompressed;
//  - OCI `layer.v1.tar` and `layer.nondistributable.v1.tar`: the last sorted suffix
//    if it is gzip or zstd, else uncompressed (`+foo+gzip` is gzip).
// Anything else containerd refuses to unpack. The scanner reads every layer by its
// sniffed bytes anyway (decompress.ts), so the declared compression only feeds a note.
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

/** Image config types: a manifest with one of these is an image a runtime runs. */
export const IMAGE_CONFIG_TYPES: ReadonlySet<string> = new Set([
  'application/vnd.oci.image.config.v1+json',
  'application/vnd.docker.container.image.v1+json',
]);

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
