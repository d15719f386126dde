// trivy and grype take an OCI layout directory and scan whatever its index.json
// names; a layout may hold several images (every tag a build wrote). They get a
// private layout whose index.json names only the digest immutag verified, with each
// blob entry a symlink to the file immutag already checked. Nothing of the image is
// copied or extracted; links are made only for digests the verified image names.
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { removeOnExit } from '../../cleanup.ts';
import { algorithmOf } from '../../digest.ts';
import type { Descriptor } from '../../oci.ts';

export interface SingleImageLayout {
  dir: string;
  close(): Promise<void>;
}

export async function singleImageLayout(layout: string, top: Descriptor, digests: Iterable<string>): Promise<SingleImageLayout> {
  const dir = await mkdtemp(join(tmpdir(), 'immutag-engine-layout-'));
  const guard = removeOnExit(dir);
  try {
    await writeFile(join(dir, 'oci-layout'), JSON.stringify({ imageLayoutVersion: '1.0.0' }));
    const { annotations: _ignored, ...descriptor } = top;
    await writeFile(join(dir, 'index.json'), JSON.stringify({ schemaVersion: 2, manifests: [descriptor] }));
    for (const digest of new Set(digests)) {
      const algorithm = algorithmOf(digest);
      const hex = digest.slice(algorithm.length + 1);
      await mkdir(join(dir, 'blobs', algorithm), { recursive: true });
      await symlink(resolve(layout, 'blobs', algorithm, hex), join(dir, 'blobs', algorithm, hex));
    }
  } catch (err) {
    await rm(dir, { recursive: true, force: true });
    guard.release();
    throw err;
  }
  return {
    dir,
    close: async () => {
      await rm(dir, { recursive: true, force: true });
      guard.release();
    },
  };
}
