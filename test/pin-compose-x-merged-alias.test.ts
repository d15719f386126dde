// Found by a review, fixed since: A Compose extension field is ignored by Compose only as a top-level key: merged into a
// service with `<<: *common`, every value in it is read. An image anchor aliased inside
// such a block (an env var naming the image) is a use that is not an image reference;
// pinning at the anchor rewrites the env var too. 08bbfc2 stopped counting any use
// inside a top-level x- value, merged or not.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useRegistry } from './support/registry.ts';
import { imageAtTags, pinnedDeployment, pinTree } from './support/pin-tree.ts';

const reg = await useRegistry();
const app = imageAtTags(reg, ['team/app:1.0', 'library/nginx:1.25']);
const pinned = () => pinnedDeployment(reg, 'team/app:1.0', app.digest);
const pin = (t: { after(fn: () => Promise<void>): void }, file: string, text: string) => pinTree(reg, t, { 'deploy/app.yaml': pinned(), [file]: text }, { check: false });

test('pin: x- anchor, aliased in an env var of a merged x- block, is not rewritten', async (t) => {
  const compose = [
    `x-image: &img ${reg.host}/library/nginx:1.25`,
    'x-common: &common',
    '  environment:',
    '    UPSTREAM_IMAGE: *img',
    'services:',
    '  web:',
    '    <<: *common',
    '    image: *img',
    '',
  ].join('\n');
  const tree = await pin(t, 'deploy/compose.yaml', compose);
  assert.equal(tree.out['deploy/compose.yaml'], compose, tree.rows);
});
