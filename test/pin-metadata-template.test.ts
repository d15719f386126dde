// Found by a review of 6b13490 (metadata rule narrowed to a Kubernetes object's own metadata or a
// template's "beside its spec"). Kubernetes-shaped CRDs have pod/task metadata blocks with
// no `spec` sibling: an Argo Workflow's `templates[].metadata` (beside container:) and a
// Tekton Pipeline's embedded `taskSpec.metadata` (beside steps:). Their annotations were
// skipped at 8392847; now an annotation `image: repo:tag` is read as a reference: --check
// fails on it and pin rewrites the annotation's text.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useRegistry } from './support/registry.ts';
import { imageAtTags, pinnedDeployment, pinTree } from './support/pin-tree.ts';

const reg = await useRegistry();
const app = imageAtTags(reg, ['team/app:1.0', 'library/nginx:1.25.3']);

test('--check: an annotation under an Argo Workflow template\'s metadata is not an image to pull', async (t) => {
  const wf = `apiVersion: argoproj.io/v1alpha1\nkind: Workflow\nmetadata: {generateName: x-}\nspec:\n  entrypoint: main\n  templates:\n  - name: main\n    metadata:\n      annotations:\n        image: ${reg.host}/library/nginx:1.25.3\n    container:\n      image: ${reg.host}/team/app:1.0@${app.digest}\n`;
  const tree = await pinTree(reg, t, { 'deploy/app.yaml': pinnedDeployment(reg, 'team/app:1.0', app.digest), 'deploy/wf.yaml': wf }, { check: true });
  assert.equal(tree.report.result, 'pass', tree.rows);
});

test('pin: an annotation under a Tekton taskSpec\'s metadata is left as written', async (t) => {
  const p = `apiVersion: tekton.dev/v1\nkind: Pipeline\nmetadata: {name: p}\nspec:\n  tasks:\n  - name: t\n    taskSpec:\n      metadata:\n        annotations:\n          image: ${reg.host}/library/nginx:1.25.3\n      steps:\n      - name: s\n        image: ${reg.host}/team/app:1.0@${app.digest}\n`;
  const tree = await pinTree(reg, t, { 'deploy/p.yaml': p }, { check: false });
  assert.equal(tree.out['deploy/p.yaml'], p, tree.rows);
});
