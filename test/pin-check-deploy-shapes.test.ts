// `pin --check` over a real deploy tree passed while some files named images by tag
// only: Helm values' image: {repository, tag} maps, a Dockerfile's # syntax= frontend,
// a Flux Kustomization's spec.images. Each test has one pinned, up-to-date manifest
// beside the file in question, as a deploy folder has, so the check does not stop at
// "nothing to check". Found by review helpers. Also an Argo CD Application's
// kustomize image overrides, and a Flux HelmRelease's post-renderer images, alone in
// its file or beside a Flux Kustomization.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { useRegistry } from './support/registry.ts';
import { buildImage, inspectDigest, pushImage, removeLayout, type BuiltImage } from './support/images.ts';
import { pinnedDeployment, pinTree } from './support/pin-tree.ts';
import type { PinReport } from '../src/pin/model.ts';

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
  const tree = await pinTree(reg, t, { 'deploy/app.yaml': pinnedDeployment(reg, 'team/app:1.0', appDigest), ...files }, { check: true });
  return tree.report;
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

const helmRelease = (host: string) => [
  'apiVersion: helm.toolkit.fluxcd.io/v2',
  'kind: HelmRelease',
  'metadata: {name: podinfo, namespace: podinfo}',
  'spec:',
  '  interval: 10m',
  '  chart:',
  '    spec: {chart: podinfo, sourceRef: {kind: HelmRepository, name: podinfo}}',
  '  postRenderers:',
  '    - kustomize:',
  '        images:',
  '          - name: ghcr.io/stefanprodan/podinfo',
  `            newName: ${host}/stefanprodan/podinfo`,
  '            newTag: 6.5.0',
  '',
].join('\n');

test('--check: a Flux HelmRelease\'s spec.postRenderers[].kustomize.images entry that names a tag is a violation', async (t) => {
  const r = await check(t, { 'deploy/podinfo.yaml': helmRelease(reg.host) });
  assert.equal(r.result, 'violation', summary(r));
  assert.ok(r.rows.some((row) => row.file === 'deploy/podinfo.yaml' && row.line === 12), `the entry's newName (line 12) is a row: ${summary(r)}`);
});

test('--check: the same HelmRelease in a file that also holds a Flux Kustomization (a common apps.yaml) is read too', async (t) => {
  const kustomization = [
    'apiVersion: kustomize.toolkit.fluxcd.io/v1',
    'kind: Kustomization',
    'metadata: {name: podinfo-config, namespace: flux-system}',
    'spec: {interval: 10m, path: ./podinfo, prune: true, sourceRef: {kind: GitRepository, name: flux-system}}',
    '---',
    '',
  ].join('\n');
  const r = await check(t, { 'deploy/podinfo.yaml': kustomization + helmRelease(reg.host) });
  assert.ok(r.rows.some((row) => row.file === 'deploy/podinfo.yaml' && row.line === 17), `the post-renderer entry (newName, line 17) is a row: ${summary(r)}`);
  assert.equal(r.result, 'violation', summary(r));
});
