// One tag listed twice, spelled two ways that name the same registry (host case; the
// transport itself keys registries case-insensitively): the tags input kept both, the
// run wrote the tag twice and reported the one tag as both 'created' and 'unchanged' (a review
// found it). The tags input now drops duplicates by the registry as the transport keys it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseTagsInput } from '../src/inputs/tags.ts';
import { pushImage } from '../src/registry/push.ts';
import { inspectDigest } from './support/images.ts';
import { raceImages } from './support/race-images.ts';
import { useRegistry } from './support/registry.ts';
import { virtualClock } from './support/virtual-clock.ts';

const reg = await useRegistry();
const images = raceImages(reg);

test('the same tag spelled with another host case is one tag: listed once, written once', async () => {
  const port = new URL(reg.url).port;
  const tags = parseTagsInput(`localhost:${port}/review/twice:1.0\nLOCALHOST:${port}/review/twice:1.0`);
  const { client, logger } = images.client(`localhost:${port}`);
  const result = await pushImage({ client, image: images.a.local, refs: tags, logger, settle: { clock: virtualClock() } });
  assert.equal(await inspectDigest(reg, 'review/twice:1.0'), images.a.local.top.digest);
  assert.deepEqual(result.pushed, { [`localhost:${port}/review/twice:1.0`]: 'created' }, `one tag, reported twice: ${JSON.stringify(result.pushed)}`);
});
