// Which index entries are build attestations, with nothing to run or scan. BuildKit
// stores provenance and SBOM attestations as image manifests whose index entry says
// platform unknown/unknown and whose layers are in-toto statements, and it annotates
// the entry `vnd.docker.reference.type: attestation-manifest`. Annotations are only
// labels: an entry so labelled that holds a filesystem for a real platform is an
// image a runtime can pull, and it is scanned. Only what is verifiably an
// attestation — the unknown/unknown platform AND nothing but in-toto layers — is not.
// https://docs.docker.com/build/metadata/attestations/attestation-storage/
import type { Descriptor, ImageManifest } from '../oci.ts';

export const IN_TOTO = 'application/vnd.in-toto+json';

export function isAttestation(entry: Descriptor, manifest: ImageManifest): boolean {
  const unknownPlatform = entry.platform?.os === 'unknown' && entry.platform.architecture === 'unknown';
  const layers = Array.isArray(manifest.layers) ? manifest.layers : [];
  return unknownPlatform && layers.length > 0 && layers.every((layer) => layer.mediaType === IN_TOTO);
}
