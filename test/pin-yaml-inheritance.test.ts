// Two shapes that reach a key through YAML or Compose inheritance:
// - Helm values whose image: map takes repository: from an anchored base through a
//   merge key (`image: {<<: *base, tag: "7.4"}`): Helm (go-yaml) honours merge keys,
//   so the chart renders redis:7.4, pulled by tag; pin --check must not pass over it.
// - A Compose service that inherits build: with `extends: {service: base}` builds its
//   image:, as one with build: beside image: or merged in with <<: does
//   (https://docs.docker.com/compose/how-tos/multiple-compose-files/extends/): pin must
//   skip it, not write a digest into it, and --check must not fail on it.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { useRegistry } from './support/registry.ts';
import { buildImage, inspectDigest, pushImage, removeLayout, type BuiltImage } from './support/images.ts';
import { clientFor } from './support/registry-client.ts';
import { runPin } from '../src/pin/pin.ts';
import type { PinReport } from '../src/pin/model.ts';
import { MemoryLogger } from '../src/log.ts';

const reg = await useRegistry();
let image: BuiltImage;
let appDigest: string;

before(async () => {
  image = await buildImage();
  appDigest = await pushImage(reg, image.ociRef, 'team/app:1.0');
  for (const tag of ['library/redis:7.2', 'library/redis:7.4', 'acme/api:dev', 'acme/worker:dev']) await pushImage(reg, image.ociRef, tag);
});
after(async () => removeLayout(image));

async function pinIn(t: { after(fn: () => Promise<void>): void }, files: Record<string, string>, check: boolean) {
  const dir = await mkdtemp(join(tmpdir(), 'immutag-pin-inherit-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  for (const [name, text] of Object.entries(files)) {
    await mkdir(dirname(join(dir, name)), { recursive: true });
    await writeFile(join(dir, name), text);
  }
  const { client } = clientFor(reg);
  try {
    const report = await runPin({ paths: ['deploy'], cwd: dir, check, mutableTags: [], logger: new MemoryLogger(), client });
    const out: Record<string, string> = {};
    for (const name of Object.keys(files)) out[name] = await readFile(join(dir, name), 'utf8');
    return { report, out };
  } finally {
    await client.close();
  }
}

const summary = (r: PinReport) => JSON.stringify(r.rows.map((row) => `${row.file}:${row.line} ${row.reference} ${row.state}`));

test('--check: a Helm image: map whose repository comes through a merge key is checked', async (t) => {
  const redis72 = await inspectDigest(reg, 'library/redis:7.2');
  const { report } = await pinIn(t, {
    'deploy/app.yaml': `apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: app}\nspec:\n  template:\n    spec:\n      containers:\n      - name: app\n        image: ${reg.host}/team/app:1.0@${appDigest}\n`,
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
  assert.equal(replica?.state, 'unpinned', summary(report));
  assert.equal(report.result, 'violation', summary(report));
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
  const { report, out } = await pinIn(t, { 'deploy/compose.yaml': compose(reg.host) }, false);
  assert.equal(out['deploy/compose.yaml'], compose(reg.host), summary(report));
  const worker = report.rows.find((x) => x.reference.includes('acme/worker'));
  assert.equal(worker?.state, 'skipped', summary(report));
});

test('compose: --check does not fail on the image an extends: service builds', async (t) => {
  const { report } = await pinIn(t, {
    'deploy/app.yaml': `apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: app}\nspec:\n  template:\n    spec:\n      containers:\n      - name: app\n        image: ${reg.host}/team/app:1.0@${appDigest}\n`,
    'deploy/compose.yaml': compose(reg.host),
  }, true);
  assert.notEqual(report.result, 'violation', summary(report));
});

test('compose: extends: written as the service name alone (the short form) inherits build: too', async (t) => {
  const text = compose(reg.host).replace('    extends:\n      service: api\n', '    extends: api\n');
  assert.notEqual(text, compose(reg.host));
  const { report, out } = await pinIn(t, { 'deploy/compose.yaml': text }, false);
  assert.equal(out['deploy/compose.yaml'], text, summary(report));
  assert.equal(report.rows.find((x) => x.reference.includes('acme/worker'))?.state, 'skipped', summary(report));
});

test('compose: a service extending one that pulls is pinned (extends alone does not make it a build)', async (t) => {
  const text = compose(reg.host).replace('    build: .\n', '');
  const { report, out } = await pinIn(t, { 'deploy/compose.yaml': text }, false);
  const worker = report.rows.find((x) => x.reference.includes('acme/worker'));
  assert.notEqual(worker?.state, 'skipped', summary(report));
  assert.match(out['deploy/compose.yaml']!, /acme\/worker:dev@sha256:/);
});
