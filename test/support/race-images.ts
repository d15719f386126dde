// Two different images, A and B, opened for pushImage, and registry clients that are
// closed after the file's tests: the set-up of the tests that race two pushers for
// one tag.
import { after, before } from 'node:test';
import { openImage, type LocalImage } from '../../src/image/open-image.ts';
import type { RegistryClient } from '../../src/registry/client.ts';
import { buildImage, removeLayout, type BuiltImage } from './images.ts';
import type { TestRegistry } from './registry.ts';
import { clientFor } from './registry-client.ts';

export interface RaceImage {
  built: BuiltImage;
  local: LocalImage;
}

export interface RaceSetup {
  readonly a: RaceImage;
  readonly b: RaceImage;
  /** A client of the registry, through the proxy at `via` when given. */
  client(via?: string): ReturnType<typeof clientFor>;
}

/** Registers the file's before and after hooks; `a` and `b` are there once `before` ran. */
export function raceImages(reg: TestRegistry): RaceSetup {
  const images: RaceImage[] = [];
  const clients: RegistryClient[] = [];
  before(async () => {
    for (const which of ['A', 'B']) {
      const built = await buildImage({ files: { '/which': `${which}\n` } });
      images.push({ built, local: await openImage(built.layout) });
    }
  });
  after(async () => {
    for (const c of clients) await c.close();
    for (const x of images) {
      await x.local.close();
      await removeLayout(x.built);
    }
  });
  return {
    get a() { return images[0]!; },
    get b() { return images[1]!; },
    client(via) {
      const setup = clientFor(reg, via ? { via } : {});
      clients.push(setup.client);
      return setup;
    },
  };
}
