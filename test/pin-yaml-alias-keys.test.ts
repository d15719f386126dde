// Found by a review: `pin --check` passes while a container pulls an image by tag only.
//  1. An alias used as a KEY (`*k : redis:7`, the key anchored earlier as `&k image`)
//     is `image:` to every YAML reader (go-yaml, the yaml package), but the finders
//     test `isScalar(pair.key)` and never resolve an alias key, so the value is not found.
//  2. An anchored scalar first met under `metadata:` (skipped as "a label or
//     annotation") and aliased into a container's `image:` is deduplicated into the
//     skipped row: the container's reference disappears, and the check passes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useRegistry } from './support/registry.ts';
import { imageAtTags, pinnedDeployment, pinTree } from './support/pin-tree.ts';

const reg = await useRegistry();
const app = imageAtTags(reg, ['team/app:1.0', 'library/redis:7', 'library/nginx:1.25']);

test('--check: an alias used as the image key (*k : redis:7) is a reference a Pod pulls', async (t) => {
  const pod = [
    'apiVersion: v1',
    'kind: Pod',
    'metadata: {name: p}',
    'spec:',
    '  containers:',
    `  - &k image: ${reg.host}/team/app@${app.digest}`,
    '    name: a',
    `  - *k : ${reg.host}/library/redis:7`,
    '    name: b',
    '',
  ].join('\n');
  const tree = await pinTree(reg, t, { 'deploy/app.yaml': pinnedDeployment(reg, 'team/app:1.0', app.digest), 'deploy/pod.yaml': pod }, { check: true });
  // Container b pulls redis:7 by tag: the YAML reads {image: ".../redis:7", name: b}.
  assert.ok(tree.report.rows.some((r) => r.reference.endsWith('redis:7')), `redis:7 not found: ${tree.rows}`);
  assert.equal(tree.report.result, 'violation', tree.rows);
});

test('--check: an image anchored in an annotation and aliased into a container is still checked', async (t) => {
  const pod = [
    'apiVersion: v1',
    'kind: Pod',
    'metadata:',
    '  name: p',
    '  annotations:',
    `    image: &img ${reg.host}/library/nginx:1.25`,
    'spec:',
    '  containers:',
    '  - name: web',
    '    image: *img',
    '',
  ].join('\n');
  const tree = await pinTree(reg, t, { 'deploy/app.yaml': pinnedDeployment(reg, 'team/app:1.0', app.digest), 'deploy/pod.yaml': pod }, { check: true });
  // The container pulls nginx:1.25 by tag.
  assert.equal(tree.report.result, 'violation', tree.rows);
});
