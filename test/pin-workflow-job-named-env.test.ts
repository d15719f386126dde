// Found by a review, fixed since: in a workflow, every pair keyed `env` or `with` was
// skipped with its whole subtree (image-key.ts workflowText, used by imageKeys and
// workflowReferences), meant for a step's inputs and a job's variables. But `env` and
// `with` are also valid job ids (and service ids): a job named `env` hid its
// `container:`, its `services:` and its steps' `uses: docker://…`, so `pin --check`
// passed a workflow that pulls by tag.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useRegistry } from './support/registry.ts';
import { imageAtTags, pinnedDeployment, pinTree } from './support/pin-tree.ts';

const reg = await useRegistry();
const app = imageAtTags(reg, ['team/app:1.0', 'library/nginx:1.25.3', 'library/postgres:16']);

test('--check: a job whose id is `env` still runs its container:, services: and docker:// steps by tag', async (t) => {
  const workflow = [
    'on: push',
    'jobs:',
    '  env:',
    '    runs-on: ubuntu-latest',
    `    container: ${reg.host}/library/nginx:1.25.3`,
    '    services:',
    '      db:',
    `        image: ${reg.host}/library/postgres:16`,
    '    steps:',
    `      - uses: docker://${reg.host}/library/nginx:1.25.3`,
    '',
  ].join('\n');
  const tree = await pinTree(reg, t, {
    'deploy/app.yaml': pinnedDeployment(reg, 'team/app:1.0', app.digest),
    'deploy/ci.yml': workflow,
  }, { check: true });
  const rows = tree.report.rows.filter((r) => r.file === 'deploy/ci.yml').map((r) => `${r.line} ${r.state}`);
  assert.deepEqual(rows, ['5 unpinned', '8 unpinned', '10 unpinned'], tree.rows);
  assert.equal(tree.report.result, 'violation', tree.rows);
});

test('--check: a service whose id is `env` is still pulled by tag', async (t) => {
  const workflow = [
    'on: push',
    'jobs:',
    '  test:',
    '    runs-on: ubuntu-latest',
    '    services:',
    '      env:',
    `        image: ${reg.host}/library/postgres:16`,
    '    steps:',
    '      - run: true',
    '',
  ].join('\n');
  const tree = await pinTree(reg, t, {
    'deploy/app.yaml': pinnedDeployment(reg, 'team/app:1.0', app.digest),
    'deploy/ci.yml': workflow,
  }, { check: true });
  assert.equal(tree.report.result, 'violation', tree.rows);
});
