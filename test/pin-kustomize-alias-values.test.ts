// Found by a review: a kustomization's images: entry whose newTag (or newName) is an alias
// (`newTag: *v`, one version shared by several images) is read by kustomize as the
// anchored text, but kustomize.ts takes scalarSpan() of the Alias node, gets nothing,
// and treats the entry as "no newTag" (skipped) or drops it (newName alias). After
// `pin` has pinned the anchored entry, `pin --check` passes while kustomize renders
// team/other:1.0 by tag.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useRegistry } from './support/registry.ts';
import { imageAtTags, pinTree } from './support/pin-tree.ts';

const reg = await useRegistry();
const app = imageAtTags(reg, ['team/app:1.0', 'team/other:1.0', 'team/third:2.0']);

test('--check: a kustomization images: entry with newTag: *alias is checked', async (t) => {
  const kustomization = [
    'resources: [deployment.yaml]',
    'images:',
    '- name: app',
    `  newName: ${reg.host}/team/app`,
    "  newTag: &v '1.0'",
    `  digest: ${app.digest}`,
    '- name: other',
    `  newName: ${reg.host}/team/other`,
    '  newTag: *v',
    '',
  ].join('\n');
  const tree = await pinTree(reg, t, { 'deploy/kustomization.yaml': kustomization }, { check: true });
  // kustomize build sets the image `other` to team/other:1.0 by tag.
  assert.equal(tree.report.result, 'violation', tree.rows);
});

test('--check: a kustomization images: entry with newName: *alias is checked', async (t) => {
  const kustomization = [
    'images:',
    '- name: app',
    `  newName: &n ${reg.host}/team/app`,
    "  newTag: '1.0'",
    `  digest: ${app.digest}`,
    '- name: app-canary',
    '  newName: *n',
    "  newTag: 'latest-canary'",
    '',
  ].join('\n');
  const tree = await pinTree(reg, t, { 'deploy/kustomization.yaml': kustomization }, { check: true });
  // kustomize renders team/app:latest-canary by tag (the tag does not exist: a violation either way).
  assert.equal(tree.report.result, 'violation', tree.rows);
});

test('pin: an entry whose digest: is an alias gets a second digest: key inserted (a duplicate key kustomize refuses)', async (t) => {
  const kustomization = [
    'images:',
    '- name: app',
    `  newName: ${reg.host}/team/app`,
    "  newTag: '1.0'",
    `  digest: &d ${app.digest}`,
    '- name: app-worker',
    `  newName: ${reg.host}/team/app`,
    "  newTag: '1.0'",
    '  digest: *d',
    '',
  ].join('\n');
  const tree = await pinTree(reg, t, { 'deploy/kustomization.yaml': kustomization }, { check: false });
  const out = tree.out['deploy/kustomization.yaml']!;
  const worker = out.slice(out.indexOf('- name: app-worker'));
  // Both entries already name the current digest: nothing to write, and certainly not a second digest: key.
  assert.equal((worker.match(/^\s+digest:/gm) ?? []).length, 1, `${tree.rows}\n${out}`);
});
