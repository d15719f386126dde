// Found by a review, fixed since: a kustomization entry with `newTag:` and an empty
// `digest:` (no value, `~` or `""`, as a template or `kustomize edit` leaves it) is one
// kustomize applies with the tag alone: the cluster pulls by tag. kustomize.ts entry()
// appended the empty value as `@`, reading `nginx:1.25@` (or `redis:7@~`), an invalid
// reference: `pin` refused the whole tree over a valid kustomization, and `--check`
// reported an error instead of naming the reference that is not pinned.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useRegistry } from './support/registry.ts';
import { imageAtTags, pinTree } from './support/pin-tree.ts';

const reg = await useRegistry();
const app = imageAtTags(reg, ['library/nginx:1.25.3']);

test('--check: newTag with an empty digest: is a reference by tag, not an invalid one', async (t) => {
  const tree = await pinTree(reg, t, {
    'deploy/kustomization.yaml': `resources: [app.yaml]\nimages:\n- name: nginx\n  newName: ${reg.host}/library/nginx\n  newTag: "1.25.3"\n  digest: ~\n`,
  }, { check: true });
  assert.deepEqual(tree.report.rows.map((r) => r.state), ['unpinned'], tree.rows);
});

test('pin: newTag with an empty digest: gets the digest written into that field', async (t) => {
  const tree = await pinTree(reg, t, {
    'deploy/kustomization.yaml': `images:\n- name: nginx\n  newName: ${reg.host}/library/nginx\n  newTag: "1.25.3"\n  digest: ""\n`,
  }, { check: false });
  assert.equal(tree.report.result, 'pass', tree.rows);
  assert.equal(tree.out['deploy/kustomization.yaml'], `images:\n- name: nginx\n  newName: ${reg.host}/library/nginx\n  newTag: "1.25.3"\n  digest: "${app.digest}"\n`);
});
