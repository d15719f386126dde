// Two shapes that reach a key through YAML or Compose inheritance:
// - Helm values whose image: map takes repository: from an anchored base through a
//   merge key (`image: {<<: *base, tag: "7.4"}`): Helm (go-yaml) honours merge keys,
//   so the chart renders redis:7.4, pulled by tag; pin --check must not pass over it.
//   Helm reads values with go-yaml v2, which merges a `<<:` where it stands: a key
//   written BEFORE it is overwritten by the base's (go-yaml v3 and Compose let the map's
//   own key win wherever it is written).
// - A Compose service that inherits build: with `extends: {service: base}` builds its
//   image:, as one with build: beside image: or merged in with <<: does
//   (https://docs.docker.com/compose/how-tos/multiple-compose-files/extends/): pin must
//   skip it, not write a digest into it, and --check must not fail on it.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { useRegistry } from './support/registry.ts';
import { buildImage, inspectDigest, pushImage, removeLayout, type BuiltImage } from './support/images.ts';
import { pinnedDeployment, pinTree } from './support/pin-tree.ts';

const reg = await useRegistry();
let image: BuiltImage;
let other: BuiltImage;
let appDigest: string;

before(async () => {
  image = await buildImage();
  other = await buildImage({ files: { '/v': '7.4\n' } });
  appDigest = await pushImage(reg, image.ociRef, 'team/app:1.0');
  for (const tag of ['library/redis:7.2', 'acme/api:dev', 'acme/worker:dev']) await pushImage(reg, image.ociRef, tag);
  await pushImage(reg, other.ociRef, 'library/redis:7.4');
});
after(async () => { await removeLayout(image); await removeLayout(other); });

const pinIn = (t: { after(fn: () => Promise<void>): void }, files: Record<string, string>, check: boolean) => pinTree(reg, t, files, { check });

test('--check: a Helm image: map whose repository comes through a merge key is checked', async (t) => {
  const redis72 = await inspectDigest(reg, 'library/redis:7.2');
  const { report, rows } = await pinIn(t, {
    'deploy/app.yaml': pinnedDeployment(reg, 'team/app:1.0', appDigest),
    'deploy/values.yaml': [
      'primary:',
      '  image: &redis',
      `    repository: ${reg.host}/library/redis`,
      '    tag: "7.2"',
      `    digest: ${redis72}`,
      'replica:',
      '  image:',
      '    <<: *redis',
      '    tag: "7.4"',
      '    digest: ""',
      '',
    ].join('\n'),
  }, true);
  const replica = report.rows.find((x) => x.file === 'deploy/values.yaml' && x.line >= 7);
  assert.equal(replica?.state, 'unpinned', rows);
  assert.equal(report.result, 'violation', rows);
});

const compose = (host: string) => [
  'services:',
  '  api:',
  '    build: .',
  `    image: ${host}/acme/api:dev`,
  '  worker:',
  '    extends:',
  '      service: api',
  `    image: ${host}/acme/worker:dev`,
  '    command: ["worker"]',
  '',
].join('\n');

test('compose: a service that inherits build: through extends: builds its image:; pin leaves it alone', async (t) => {
  const { report, out, rows } = await pinIn(t, { 'deploy/compose.yaml': compose(reg.host) }, false);
  assert.equal(out['deploy/compose.yaml'], compose(reg.host), rows);
  const worker = report.rows.find((x) => x.reference.includes('acme/worker'));
  assert.equal(worker?.state, 'skipped', rows);
});

test('compose: --check does not fail on the image an extends: service builds', async (t) => {
  const { report, rows } = await pinIn(t, {
    'deploy/app.yaml': pinnedDeployment(reg, 'team/app:1.0', appDigest),
    'deploy/compose.yaml': compose(reg.host),
  }, true);
  assert.notEqual(report.result, 'violation', rows);
});

test('compose: extends: written as the service name alone (the short form) inherits build: too', async (t) => {
  const text = compose(reg.host).replace('    extends:\n      service: api\n', '    extends: api\n');
  assert.notEqual(text, compose(reg.host));
  const { report, out, rows } = await pinIn(t, { 'deploy/compose.yaml': text }, false);
  assert.equal(out['deploy/compose.yaml'], text, rows);
  assert.equal(report.rows.find((x) => x.reference.includes('acme/worker'))?.state, 'skipped', rows);
});

test('compose: a service extending one that pulls is pinned (extends alone does not make it a build)', async (t) => {
  const text = compose(reg.host).replace('    build: .\n', '');
  const { report, out, rows } = await pinIn(t, { 'deploy/compose.yaml': text }, false);
  const worker = report.rows.find((x) => x.reference.includes('acme/worker'));
  assert.notEqual(worker?.state, 'skipped', rows);
  assert.match(out['deploy/compose.yaml']!, /acme\/worker:dev@sha256:/);
});

test('--check: a key written before `<<:` is overwritten by the merge, as Helm (go-yaml v2) reads values', async (t) => {
  const redis72 = await inspectDigest(reg, 'library/redis:7.2');
  const { report, rows } = await pinIn(t, {
    'deploy/values.yaml': [
      'primary:',
      '  image: &redis',
      `    repository: ${reg.host}/library/redis`,
      '    tag: "7.2"',
      `    digest: ${redis72}`,
      'replica:',
      '  image:',
      '    tag: "7.4"',
      '    <<: *redis',
      '',
    ].join('\n'),
  }, true);
  const replica = report.rows.find((row) => row.line >= 7);
  assert.equal(replica?.reference, `${reg.host}/library/redis:7.2@${redis72}`, `Helm renders the merged tag: ${rows}`);
  assert.notEqual(report.result, 'violation', rows);
});
