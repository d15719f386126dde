// Found by a review of 1a16889 (empty kustomize digest: filled in place), fixed since. For `digest:` with nothing
// but a comment after it, emptyReplaced inserts ` <digest>` at the empty scalar's offset,
// which is right before the `#`: the result is `digest:  sha256:…# fill me`, where `#` is
// no longer a comment (no space before it), so kustomize reads the digest as
// `sha256:…# fill me` — pin wrote a kustomization whose digest is not the digest.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parse } from 'yaml';
import { useRegistry } from './support/registry.ts';
import { imageAtTags, pinTree } from './support/pin-tree.ts';

const reg = await useRegistry();
const app = imageAtTags(reg, ['library/nginx:1.25.3']);

test('pin: an empty digest: followed by a comment gets exactly the digest as its value', async (t) => {
  const tree = await pinTree(reg, t, {
    'deploy/kustomization.yaml': `images:\n- name: nginx\n  newName: ${reg.host}/library/nginx\n  newTag: "1.25.3"\n  digest: # filled by immutag pin\n`,
  }, { check: false });
  const written = tree.out['deploy/kustomization.yaml']!;
  assert.equal(parse(written).images[0].digest, app.digest, written);
});

// Same insertion in a flow map: `digest: }` became `digest:  sha256:…}` (a second space
// written outside the value). Cosmetic, but a byte outside the reference.
test('pin: an empty flow-style digest: gets the digest after its one space', async (t) => {
  const tree = await pinTree(reg, t, {
    'deploy/kustomization.yaml': `images:\n- {name: nginx, newName: ${reg.host}/library/nginx, newTag: "1.25.3", digest: }\n`,
  }, { check: false });
  assert.equal(tree.out['deploy/kustomization.yaml'], `images:\n- {name: nginx, newName: ${reg.host}/library/nginx, newTag: "1.25.3", digest: ${app.digest}}\n`);
});
