// 0821f55 pinned an anchor only when every use is an image reference, and counted the
// anchor's own definition as a use. Compose's documented way to share a value is an
// extension field (`x-…`, ignored by Compose): `x-image: &img app:1.0` with `image: *img`
// in each service. The only bytes that change are the extension field's, which nothing
// reads but the aliases; yet pin skipped both services ("not an image reference"), where
// it had pinned them at the anchor before (found by a review of that commit). A use in a
// Compose extension field no longer counts; one in an env var still does.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useRegistry } from './support/registry.ts';
import { imageAtTags, pinnedDeployment, pinTree } from './support/pin-tree.ts';

const reg = await useRegistry();
const app = imageAtTags(reg, ['team/app:1.0', 'library/nginx:1.25']);
const pinned = () => pinnedDeployment(reg, 'team/app:1.0', app.digest);
const pin = (t: { after(fn: () => Promise<void>): void }, file: string, text: string) => pinTree(reg, t, { 'deploy/app.yaml': pinned(), [file]: text }, { check: false });

test('pin: a Compose x- extension field anchoring the image shared by services is pinned at the anchor', async (t) => {
  const compose = [
    `x-image: &img ${reg.host}/library/nginx:1.25`,
    'services:',
    '  web:',
    '    image: *img',
    '  worker:',
    '    image: *img',
    '',
  ].join('\n');
  const tree = await pin(t, 'deploy/compose.yaml', compose);
  assert.equal(tree.out['deploy/compose.yaml'], compose.replace('nginx:1.25', `nginx:1.25@${app.digest}`), tree.rows);
});

test('pin: the same anchor also aliased into an environment variable is not rewritten, x- field or not', async (t) => {
  const compose = [
    `x-image: &img ${reg.host}/library/nginx:1.25`,
    'services:',
    '  web:',
    '    image: *img',
    '    environment:',
    '      UPSTREAM_IMAGE: *img',
    '',
  ].join('\n');
  const tree = await pin(t, 'deploy/compose.yaml', compose);
  assert.equal(tree.out['deploy/compose.yaml'], compose, tree.rows);
});
