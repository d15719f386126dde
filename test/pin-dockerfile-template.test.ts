// A directory walk takes every `Dockerfile*` as a Dockerfile. A Go/Jinja template
// of one (`Dockerfile.tmpl`, `Dockerfile.j2`) fails the whole run, where a Helm template
// among the YAML files is noted and skipped.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { useRegistry } from './support/registry.ts';
import { buildImage, pushImage, removeLayout, type BuiltImage } from './support/images.ts';
import { clientFor } from './support/registry-client.ts';
import { runPin } from '../src/pin/pin.ts';
import { MemoryLogger } from '../src/log.ts';

const reg = await useRegistry();
let image: BuiltImage;

before(async () => {
  image = await buildImage();
  await pushImage(reg, image.ociRef, 'team/app:1.0');
});
after(async () => removeLayout(image));

test('--check of a tree holding a templated Dockerfile.tmpl checks the rest and notes the template, as it does for a Helm template', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'immutag-review-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  await mkdir(join(dir, 'docker'));
  await writeFile(join(dir, 'app.yaml'), `apiVersion: v1\nkind: Pod\nmetadata: {name: a}\nspec:\n  containers:\n  - name: a\n    image: ${reg.host}/team/app:1.0\n`);
  await writeFile(join(dir, 'docker/Dockerfile.tmpl'), 'FROM {{ .BaseImage }}\n{{ if .Debug }}\nRUN apk add --no-cache gdb\n{{ end }}\n');
  const { client } = clientFor(reg);
  try {
    const r = await runPin({ paths: ['.'], cwd: dir, check: true, mutableTags: [], logger: new MemoryLogger(), client });
    assert.notEqual(r.result, 'error', `${JSON.stringify(r.problems)}`);
    assert.equal(r.result, 'violation', 'app.yaml names team/app:1.0 by tag');
    assert.deepEqual(r.notes.filter((n) => n.path === 'docker/Dockerfile.tmpl').map((n) => n.reason), ['a template of a Dockerfile, not a Dockerfile: pin the one it renders instead']);
  } finally {
    await client.close();
  }
});
