// A Flux HelmRelease in a multi-document file that also holds a Flux Kustomization (a
// common "apps.yaml": Kustomization + HelmRepository + HelmRelease): the file is a
// kustomization file, and its HelmRelease's post-renderer images are read all the same,
// so pin --check does not pass over `newTag: 6.5.0`, an image pulled by tag.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { useRegistry } from './support/registry.ts';
import { buildImage, pushImage, removeLayout, type BuiltImage } from './support/images.ts';
import { clientFor } from './support/registry-client.ts';
import { runPin } from '../src/pin/pin.ts';
import { MemoryLogger } from '../src/log.ts';

const reg = await useRegistry();
let image: BuiltImage;
let appDigest: string;

before(async () => {
  image = await buildImage();
  appDigest = await pushImage(reg, image.ociRef, 'team/app:1.0');
  await pushImage(reg, image.ociRef, 'stefanprodan/podinfo:6.5.0');
});
after(async () => removeLayout(image));

test('--check: a HelmRelease post-renderer image in a file that also holds a Flux Kustomization is read', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'immutag-pin-flux-multi-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const files: Record<string, string> = {
    'deploy/app.yaml': `apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: app}\nspec:\n  template:\n    spec:\n      containers:\n      - name: app\n        image: ${reg.host}/team/app:1.0@${appDigest}\n`,
    'deploy/podinfo.yaml': [
      'apiVersion: kustomize.toolkit.fluxcd.io/v1',
      'kind: Kustomization',
      'metadata: {name: podinfo-config, namespace: flux-system}',
      'spec: {interval: 10m, path: ./podinfo, prune: true, sourceRef: {kind: GitRepository, name: flux-system}}',
      '---',
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
      `            newName: ${reg.host}/stefanprodan/podinfo`,
      '            newTag: 6.5.0',
      '',
    ].join('\n'),
  };
  for (const [name, text] of Object.entries(files)) {
    await mkdir(dirname(join(dir, name)), { recursive: true });
    await writeFile(join(dir, name), text);
  }
  const { client } = clientFor(reg);
  try {
    const r = await runPin({ paths: ['deploy'], cwd: dir, check: true, mutableTags: [], logger: new MemoryLogger(), client });
    const rows = JSON.stringify(r.rows.map((row) => `${row.file}:${row.line} ${row.reference} ${row.state}`));
    assert.ok(r.rows.some((row) => row.file === 'deploy/podinfo.yaml' && row.line === 17), `the post-renderer entry (newName, line 17) is a row: ${rows}`);
    assert.equal(r.result, 'violation', rows);
  } finally {
    await client.close();
  }
});
