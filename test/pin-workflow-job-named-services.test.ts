// Found by a review of 5feda6c (env:/with: skipped except directly under jobs:/services:).
// namesAJobOrService only looks at the key of the map two levels up, so a job whose id
// is `services` (or `jobs`) makes its own job-level `env:` and reusable-workflow `with:`
// count as a job/service named env/with. At 8392847 both were skipped as variables and
// inputs; now `image:` text inside them is read: --check fails and pin rewrites an env
// variable / an input of the called workflow.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useRegistry } from './support/registry.ts';
import { imageAtTags, pinnedDeployment, pinTree } from './support/pin-tree.ts';

const reg = await useRegistry();
const app = imageAtTags(reg, ['team/app:1.0', 'library/nginx:1.25.3']);

test('--check: job-level env: of a job with the id services is variables, not references', async (t) => {
  const tree = await pinTree(reg, t, {
    'deploy/app.yaml': pinnedDeployment(reg, 'team/app:1.0', app.digest),
    'deploy/ci.yml': `on: push\njobs:\n  services:\n    runs-on: ubuntu-latest\n    env:\n      image: ${reg.host}/library/nginx:1.25.3\n    steps:\n      - run: echo $image\n`,
  }, { check: true });
  assert.equal(tree.report.result, 'pass', tree.rows);
});

test('pin: with: of a reusable-workflow job with the id services is inputs, left as written', async (t) => {
  const ci = `on: push\njobs:\n  services:\n    uses: ./.github/workflows/deploy.yml\n    with:\n      image: ${reg.host}/library/nginx:1.25.3\n`;
  const tree = await pinTree(reg, t, { 'deploy/ci.yml': ci }, { check: false });
  assert.equal(tree.out['deploy/ci.yml'], ci, tree.rows);
});
