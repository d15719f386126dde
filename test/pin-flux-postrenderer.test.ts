// A Flux HelmRelease's spec.postRenderers[].kustomize.images are kustomize image
// overrides applied to the rendered chart (https://fluxcd.io/flux/components/helm/helmreleases/#post-renderers),
// the same entries as a Flux Kustomization's spec.images, which pin --check now reads:
// `newTag: 6.5.0` there makes the release pull podinfo by tag. --check must not pass.
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

test('--check: a HelmRelease post-renderer\'s kustomize images: entry that names a tag is a violation', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'immutag-pin-flux-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const files: Record<string, string> = {
    'deploy/app.yaml': `apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: app}\nspec:\n  template:\n    spec:\n      containers:\n      - name: app\n        image: ${reg.host}/team/app:1.0@${appDigest}\n`,
    'deploy/podinfo.yaml': [
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
    assert.equal(r.result, 'violation', rows);
  } finally {
    await client.close();
  }
});
