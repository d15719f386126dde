// `pin --check` over a real deploy tree passed while some files named images by tag
// only: Helm values' image: {repository, tag} maps, a Dockerfile's # syntax= frontend,
// a Flux Kustomization's spec.images. Each test has one pinned, up-to-date manifest
// beside the file in question, as a deploy folder has, so the check does not stop at
// "nothing to check". Found by a review helper. Also an Argo CD Application's
// kustomize image overrides.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
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
  for (const tag of ['library/nginx:1.25.3', 'docker/dockerfile:1.7', 'stefanprodan/podinfo:6.5.0', 'acme/web:2.0']) await pushImage(reg, image.ociRef, tag);
});
after(async () => removeLayout(image));

async function check(t: { after(fn: () => Promise<void>): void }, files: Record<string, string>): Promise<PinReport> {
  const dir = await mkdtemp(join(tmpdir(), 'immutag-review-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const all: Record<string, string> = {
    'deploy/app.yaml': `apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: app}\nspec:\n  template:\n    spec:\n      containers:\n      - name: app\n        image: ${reg.host}/team/app:1.0@${appDigest}\n`,
    ...files,
  };
  for (const [name, text] of Object.entries(all)) {
    await mkdir(dirname(join(dir, name)), { recursive: true });
    await writeFile(join(dir, name), text);
  }
  const { client } = clientFor(reg);
  try {
    return await runPin({ paths: ['deploy'], cwd: dir, check: true, mutableTags: [], logger: new MemoryLogger(), client });
  } finally {
    await client.close();
  }
}

const summary = (r: PinReport) => JSON.stringify(r.rows.map((row) => `${row.file}:${row.line} ${row.reference} ${row.state}`));

test('--check: Helm values in the common image: {repository, tag} shape are checked as the reference the chart renders', async (t) => {
  const r = await check(t, {
    'deploy/values.yaml': `replicaCount: 2\nimage:\n  repository: ${reg.host}/library/nginx\n  tag: 1.25.3\n  pullPolicy: IfNotPresent\n`,
  });
  assert.equal(r.result, 'violation', summary(r));
  const row = r.rows.find((x) => x.file === 'deploy/values.yaml');
  assert.equal(`${row?.line} ${row?.reference} ${row?.state}`, `3 ${reg.host}/library/nginx:1.25.3 unpinned`, summary(r));
  // Bitnami's shape, with the chart's digest: field set to what the tag names: up to date.
  const nginx = await inspectDigest(reg, 'library/nginx:1.25.3');
  const [host, port] = reg.host.split(':');
  const pinned = await check(t, {
    'deploy/values.yaml': `image:\n  registry: ${host}:${port}\n  repository: library/nginx\n  tag: "1.25.3"\n  digest: ${nginx}\n`,
  });
  assert.equal(pinned.result, 'pass', summary(pinned));
  assert.deepEqual(pinned.rows.filter((x) => x.file === 'deploy/values.yaml').map((x) => x.state), ['up-to-date']);
});

test('--check: a Dockerfile\'s # syntax= frontend image, pulled by tag by every build, is checked', async (t) => {
  const r = await check(t, {
    'deploy/Dockerfile': `# syntax=${reg.host}/docker/dockerfile:1.7\nFROM ${reg.host}/team/app:1.0@${appDigest}\nRUN --mount=type=cache,target=/c true\n`,
  });
  assert.equal(r.result, 'violation', `the frontend image is named by tag only: ${summary(r)}`);
});

test('--check: a Flux Kustomization\'s spec.images (newName/newTag, the same shape as kustomize\'s) is checked', async (t) => {
  const r = await check(t, {
    'deploy/flux-app.yaml': [
      'apiVersion: kustomize.toolkit.fluxcd.io/v1',
      'kind: Kustomization',
      'metadata: {name: podinfo, namespace: flux-system}',
      'spec:',
      '  interval: 10m',
      '  path: ./kustomize',
      '  sourceRef: {kind: GitRepository, name: podinfo}',
      '  images:',
      '  - name: ghcr.io/stefanprodan/podinfo',
      `    newName: ${reg.host}/stefanprodan/podinfo`,
      '    newTag: 6.5.0',
      '',
    ].join('\n'),
  });
  assert.equal(r.result, 'violation', `flux-app.yaml sets podinfo to a tag: ${summary(r)}`);
});

test('--check: an Argo CD Application\'s spec.source.kustomize.images (name=newName:newTag strings) is checked', async (t) => {
  const r = await check(t, {
    'deploy/argocd-web.yaml': [
      'apiVersion: argoproj.io/v1alpha1',
      'kind: Application',
      'metadata: {name: web, namespace: argocd}',
      'spec:',
      '  project: default',
      '  source:',
      '    repoURL: https://github.com/acme/deploy',
      '    path: web',
      '    kustomize:',
      '      images:',
      `      - acme/web=${reg.host}/acme/web:2.0`,
      '  destination: {server: https://kubernetes.default.svc, namespace: web}',
      '',
    ].join('\n'),
  });
  assert.equal(r.result, 'violation', `argocd-web.yaml sets acme/web to a tag: ${summary(r)}`);
});
