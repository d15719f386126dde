import type { Descriptor } from '../oci.ts';
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
