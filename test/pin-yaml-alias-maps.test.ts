// Found by a review: YAML aliases and merge keys that hide an image pulled by tag.
//  1. A Helm `image:` map whose keys are aliases (`{*r : nginx, *t : "1.25"}`) is
//     `{repository: nginx, tag: "1.25"}` to Helm's go-yaml, but the map was read only
//     through literal keys: no row, and --check passed.
//  2. A container that takes its `image:` through a merge key (`- <<: *d`) from a map
//     anchored where images are skipped (an annotation) had no row of its own: the
//     only row was the skipped one at the anchor, and --check passed.
//  3. An Argo CD Application's `spec.sources:` entry written as an alias (`- *src`)
//     was not followed, so its kustomize.images override was never checked.
//  4. An anchor written as an env var's value and aliased into `image:` was rewritten
//     by pin at the anchor, changing the env var too. A reference is rewritten at its
//     anchor only when every use of the anchor is an image reference.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useRegistry } from './support/registry.ts';
import { imageAtTags, pinnedDeployment, pinTree } from './support/pin-tree.ts';

const reg = await useRegistry();
const app = imageAtTags(reg, ['team/app:1.0', 'library/nginx:1.25']);
const pinned = () => pinnedDeployment(reg, 'team/app:1.0', app.digest);
const check = (t: { after(fn: () => Promise<void>): void }, file: string, text: string) => pinTree(reg, t, { 'deploy/app.yaml': pinned(), [file]: text }, { check: true });
const pin = (t: { after(fn: () => Promise<void>): void }, file: string, text: string) => pinTree(reg, t, { 'deploy/app.yaml': pinned(), [file]: text }, { check: false });

test('--check: a Helm image: map whose keys are aliases is read as Helm reads it', async (t) => {
  const values = [
    'keys: [&r repository, &t tag]',
    'web:',
    `  image: {*r : ${reg.host}/library/nginx, *t : "1.25"}`,
    '',
  ].join('\n');
  const tree = await check(t, 'deploy/values.yaml', values);
  const row = tree.report.rows.find((r) => r.file === 'deploy/values.yaml');
  assert.equal(row?.state, 'unpinned', tree.rows);
  assert.equal(row?.line, 3, tree.rows);
  assert.equal(tree.report.result, 'violation', tree.rows);
});

test('--check: Helm image: maps written with aliased values, or as an alias of a map, are checked where they are used', async (t) => {
  const values = [
    'common:',
    `  repo: &repo ${reg.host}/library/nginx`,
    '  tag: &tag "1.25"',
    `  img: &img {repository: ${reg.host}/library/nginx, tag: "1.25"}`,
    'web:',
    '  image: {repository: *repo, tag: *tag}',
    'worker:',
    '  image: *img',
    '',
  ].join('\n');
  const tree = await check(t, 'deploy/values.yaml', values);
  const rows = tree.report.rows.filter((r) => r.file === 'deploy/values.yaml');
  assert.ok(rows.length > 0 && rows.every((r) => r.state === 'unpinned'), tree.rows);
  assert.ok(rows.some((r) => r.line === 6), `web's image: map is reported where it is written: ${tree.rows}`);
  assert.equal(tree.report.result, 'violation', tree.rows);
});

const mergedFromAnnotation = (host: string) => [
  'apiVersion: v1',
  'kind: Pod',
  'metadata:',
  '  name: p',
  `  annotations: &d {image: ${host}/library/nginx:1.25}`,
  'spec:',
  '  containers:',
  '  - <<: *d',
  '    name: web',
  '',
].join('\n');

test('--check: a container whose image: comes through a merge key (<<: *d) is checked, wherever the anchor is', async (t) => {
  const tree = await check(t, 'deploy/pod.yaml', mergedFromAnnotation(reg.host));
  // The container pulls nginx:1.25 by tag: the YAML reads {image: ".../nginx:1.25", name: web}.
  assert.ok(tree.report.rows.some((r) => r.file === 'deploy/pod.yaml' && r.state === 'unpinned'), tree.rows);
  assert.equal(tree.report.result, 'violation', tree.rows);
});

test('pin: an image merged in from an annotation is not rewritten there (the annotation would change too)', async (t) => {
  const text = mergedFromAnnotation(reg.host);
  const tree = await pin(t, 'deploy/pod.yaml', text);
  assert.equal(tree.out['deploy/pod.yaml'], text);
  const row = tree.report.rows.find((r) => r.file === 'deploy/pod.yaml' && r.state !== 'skipped');
  assert.equal(row, undefined, tree.rows);
});

const argoAliasedSource = (host: string) => [
  'apiVersion: argoproj.io/v1alpha1',
  'kind: Application',
  'metadata: {name: web}',
  'x-source: &src',
  '  repoURL: https://example.com/deploy.git',
  '  kustomize:',
  `    images: [nginx=${host}/library/nginx:1.25]`,
  'spec:',
  '  sources:',
  '  - *src',
  '',
].join('\n');

test('--check: an Argo CD multi-source Application reads each spec.sources entry, an alias included', async (t) => {
  const tree = await check(t, 'deploy/app-argo.yaml', argoAliasedSource(reg.host));
  assert.ok(tree.report.rows.some((r) => r.file === 'deploy/app-argo.yaml' && r.state === 'unpinned'), tree.rows);
  assert.equal(tree.report.result, 'violation', tree.rows);
});

test('pin: an aliased spec.sources entry is pinned where it is anchored', async (t) => {
  const tree = await pin(t, 'deploy/app-argo.yaml', argoAliasedSource(reg.host));
  assert.ok(tree.out['deploy/app-argo.yaml']?.includes(`nginx=${reg.host}/library/nginx:1.25@${app.digest}]`), tree.out['deploy/app-argo.yaml']);
});

const envAnchor = (host: string) => [
  'apiVersion: v1',
  'kind: Pod',
  'metadata: {name: p}',
  'spec:',
  '  containers:',
  '  - name: web',
  '    env:',
  `    - {name: UPSTREAM_IMAGE, value: &img ${host}/library/nginx:1.25}`,
  '    image: *img',
  '',
].join('\n');

test('pin: an anchor that is also an env var value is not rewritten, and the row says why', async (t) => {
  const text = envAnchor(reg.host);
  const tree = await pin(t, 'deploy/pod.yaml', text);
  assert.equal(tree.out['deploy/pod.yaml'], text, 'the env var must keep its value');
  const row = tree.report.rows.find((r) => r.file === 'deploy/pod.yaml');
  assert.equal(row?.state, 'skipped', tree.rows);
  assert.match(row?.reason ?? '', /&img.*line 8.*not an image reference/, tree.rows);
});

test('--check: an anchor that is also an env var value still fails the check', async (t) => {
  const tree = await check(t, 'deploy/pod.yaml', envAnchor(reg.host));
  assert.equal(tree.report.rows.find((r) => r.file === 'deploy/pod.yaml')?.state, 'unpinned', tree.rows);
  assert.equal(tree.report.result, 'violation', tree.rows);
});

test('pin: an anchor used only as image references is pinned once, at the anchor, for every use', async (t) => {
  const pod = [
    'apiVersion: v1',
    'kind: Pod',
    'metadata: {name: p}',
    'spec:',
    '  initContainers:',
    `  - {name: init, image: &img ${reg.host}/library/nginx:1.25}`,
    '  containers:',
    '  - {name: web, image: *img}',
    '',
  ].join('\n');
  const tree = await pin(t, 'deploy/pod.yaml', pod);
  assert.equal(tree.out['deploy/pod.yaml'], pod.replace('nginx:1.25}', `nginx:1.25@${app.digest}}`), tree.rows);
});
