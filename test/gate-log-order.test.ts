// The check's log lists the tags in the order they were given, whichever answer comes
// first: two runs of one job then print the same log, and a person finds a tag where
// they wrote it. Here the first tag's answer is held back until every other tag has
// been read from the real registry, the order the log once followed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkTags } from '../src/gate.ts';
import type { TagReference } from '../src/reference.ts';
import type { TagState } from '../src/registry/tag-state.ts';
import { registryFor } from './support/registry.ts';
import { buildImage, pushImage, removeLayout } from './support/images.ts';
import { clientFor, refs } from './support/registry-client.ts';

test('tags are logged in input order when the first answer comes last', async (t) => {
  const reg = await registryFor(t);
  const image = await buildImage();
  const { client, logger } = clientFor(reg);
  t.after(async () => {
    await client.close();
    await removeLayout(image);
  });
  await pushImage(reg, image.ociRef, 'order/app:1.0');
  const tags = refs(reg.host, 'order/app:1.0', 'order/app:2.0', 'order/app:3.0', 'order/app:4.0');

  let othersRead = 0;
  let releaseFirst = (): void => undefined;
  const firstHeld = new Promise<void>((resolve) => {
    releaseFirst = resolve;
  });
  const heldBack = {
    async manifestState(ref: TagReference): Promise<TagState> {
      const state = await client.manifestState(ref);
      if (ref.tag === '1.0') {
        await firstHeld;
      } else if (++othersRead === tags.length - 1) {
        // Let the pool hand this answer on before the first one comes back.
        setImmediate(releaseFirst);
      }
      return state;
    },
  };

  const gate = await checkTags({ refs: tags, client: heldBack, logger, mutablePatterns: ['*'] });
  assert.deepEqual(gate.results.map((r) => r.verdict), ['mutable', 'new', 'new', 'new']);
  const logged = logger.lines.filter((line) => line.includes('/order/app:') && line.includes(' → '));
  assert.deepEqual(logged.map((line) => /app:(\d\.\d):/.exec(line)?.[1]), ['1.0', '2.0', '3.0', '4.0'], logged.join('\n'));
});
