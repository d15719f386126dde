// Found by a review: a Compose service with build: AND image: is skipped as "the image this service
// builds, not one to pull". With `pull_policy: always` (or `missing`, `daily`, …) Compose
// pulls image: from the registry and runs it (the Compose reference, "Using build and
// image": it "follows the rules defined by the pull_policy attribute"; docker/compose#9730:
// pull_policy: always uses the pulled image, not the built one). `pin --check` passes
// while `docker compose up` runs redis:7 pulled by tag.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useRegistry } from './support/registry.ts';
import { imageAtTags, pinTree } from './support/pin-tree.ts';

const reg = await useRegistry();
const app = imageAtTags(reg, ['team/app:1.0', 'library/redis:7']);

test('--check: a Compose service with build: and pull_policy: always pulls its image:, so it is checked', async (t) => {
  const compose = [
    'services:',
    '  app:',
    `    image: ${reg.host}/team/app@${app.digest}`,
    '  cache:',
    `    image: ${reg.host}/library/redis:7`,
    '    pull_policy: always',
    '    build: ./cache',
    '',
  ].join('\n');
  const tree = await pinTree(reg, t, { 'deploy/compose.yaml': compose }, { check: true });
  assert.equal(tree.report.result, 'violation', `compose up pulls redis:7 by tag: ${tree.rows}`);
});

test('--check: with pull_policy: build (or none) the built image is the one that runs, and is skipped as before', async (t) => {
  for (const policy of ['    pull_policy: build\n', '']) {
    const compose = `services:\n  app:\n    image: ${reg.host}/team/app@${app.digest}\n  cache:\n    image: ${reg.host}/library/redis:7\n${policy}    build: ./cache\n`;
    const tree = await pinTree(reg, t, { 'deploy/compose.yaml': compose }, { check: true });
    assert.equal(tree.report.result, 'pass', `${JSON.stringify(policy)}: ${tree.rows}`);
  }
});
