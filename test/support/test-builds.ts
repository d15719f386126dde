// Images a test file builds and removes after its tests: two different images ("ours"
// and another writer's), or builds of one source revision as docker/metadata-action
// labels them (what promote-same-revision compares).
import { after, before } from 'node:test';
import { buildImage, removeLayout, type BuiltImage } from './images.ts';

export const SOURCE = 'https://github.com/acme/api';
export const R1 = 'ec26c3e57ca3a959ca5aad62de7213c562f8c821';

/** This run's image and another writer's, built before the file's tests; `id` keeps them apart from other files'. */
export function oursAndTheirs(id: string): { readonly ours: BuiltImage; readonly theirs: BuiltImage } {
  const built: BuiltImage[] = [];
  before(async () => {
    built.push(await buildImage({ files: { '/id': `ours${id}` } }));
    built.push(await buildImage({ files: { '/id': `theirs${id}` } }));
  });
  after(async () => { for (const image of built) await removeLayout(image); });
  return {
    get ours() { return built[0]!; },
    get theirs() { return built[1]!; },
  };
}

/** Builds of revision R1 of SOURCE at a version label, removed after the file's tests. */
export function revisionBuilds(): (version: string) => Promise<BuiltImage> {
  const built: BuiltImage[] = [];
  after(async () => { for (const image of built) await removeLayout(image); });
  return async (version) => {
    const image = await buildImage({ files: { '/app': 'x\n' }, labels: {
      'org.opencontainers.image.revision': R1, 'org.opencontainers.image.source': SOURCE, 'org.opencontainers.image.version': version,
    } });
    built.push(image);
    return image;
  };
}
