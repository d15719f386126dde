// Found by a review, fixed since: image-key.ts notAReference skipped any `image:` with an
// ancestor pair keyed `metadata`, meant for a Kubernetes object's labels and annotations
// (README: "an image: under metadata (a label or annotation)"). But the key was matched
// at any depth and in any kind of file: a Compose service named `metadata` (or a workflow
// job with that id) is pulled by tag, yet was listed as skipped, and `pin --check` passed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useRegistry } from './support/registry.ts';
import { imageAtTags, pinnedDeployment, pinTree } from './support/pin-tree.ts';

const reg = await useRegistry();
const app = imageAtTags(reg, ['team/app:1.0', 'library/nginx:1.25.3', 'library/postgres:16']);

test('--check: a Compose service named metadata still pulls its image: by tag', async (t) => {
  const tree = await pinTree(reg, t, {
    'deploy/compose.yaml': `services:\n  web:\n    image: ${reg.host}/team/app:1.0@${app.digest}\n  metadata:\n    image: ${reg.host}/library/nginx:1.25.3\n`,
  }, { check: true });
  assert.deepEqual(tree.report.rows.map((r) => `${r.line} ${r.state}`), ['3 up-to-date', '5 unpinned'], tree.rows);
  assert.equal(tree.report.result, 'violation', tree.rows);
});

test('--check: a workflow job with the id metadata still pulls its services by tag', async (t) => {
  const tree = await pinTree(reg, t, {
    'deploy/app.yaml': pinnedDeployment(reg, 'team/app:1.0', app.digest),
    'deploy/ci.yml': `on: push\njobs:\n  metadata:\n    runs-on: ubuntu-latest\n    services:\n      db:\n        image: ${reg.host}/library/postgres:16\n    steps:\n      - run: true\n`,
  }, { check: true });
  assert.equal(tree.report.result, 'violation', tree.rows);
});
