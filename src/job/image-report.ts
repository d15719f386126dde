import type { Descriptor } from '../oci.ts';
import type { GateTagResult } from '../gate.ts';
import type { ImageReport } from '../report/run-report.ts';

export function imageReport(top: Descriptor, platforms: readonly { platform: string; descriptor: Descriptor }[], inRegistry: boolean): ImageReport {
  const isIndex = platforms.length > 1 || top.mediaType.includes('index') || top.mediaType.includes('list');
  return {
    digest: top.digest,
    mediaType: top.mediaType,
    platforms: isIndex ? platforms.map((p) => ({ platform: p.platform, digest: p.descriptor.digest })) : [],
    inRegistry,
  };
}

/**
 * verify: the image is the digest the workflow pushed; when a tag names it and it is an
 * index, the registry's answer lists its platform manifests (attestations, whose
 * platform is unknown/unknown, are not platforms). A scan replaces them with what it read.
 */
export function registryImageReport(digest: string, gate: readonly GateTagResult[]): ImageReport {
  const named = gate.find((r) => r.state.kind === 'present' && r.state.digest === digest);
  const children = named?.state.kind === 'present' ? named.state.children ?? [] : [];
  const platforms = children.flatMap((c) => (c.platform !== undefined && !c.platform.startsWith('unknown/') ? [{ platform: c.platform, digest: c.digest }] : []));
  return { digest, platforms, inRegistry: true };
}
