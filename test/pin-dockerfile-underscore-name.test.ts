// Found by a review, fixed since: the README says a directory is walked for
// `Dockerfile*`, but files.ts dockerfileName accepted only `Dockerfile`, `Dockerfile.x`
// and `Dockerfile-x`: `Dockerfile_prod` (a common spelling) was passed over by the walk,
// so `pin --check deploy/` passed while it builds FROM a tag. Named explicitly, or by the
// glob `Dockerfile*`, it was read as YAML, where a Dockerfile is usually one multi-line
// plain string: no reference, no note, and the check passed the same way.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { useRegistry } from './support/registry.ts';
import { imageAtTags, pinnedDeployment, pinTree } from './support/pin-tree.ts';
import { expandPaths } from '../src/pin/find/files.ts';

const reg = await useRegistry();
const app = imageAtTags(reg, ['team/app:1.0', 'library/nginx:1.25.3']);

test('--check deploy/: a Dockerfile_prod in the folder is read (README: walked for Dockerfile*)', async (t) => {
  const tree = await pinTree(reg, t, {
    'deploy/app.yaml': pinnedDeployment(reg, 'team/app:1.0', app.digest),
    'deploy/Dockerfile_prod': `FROM ${reg.host}/library/nginx:1.25.3\nRUN apt-get update && apt-get install -y curl\n`,
  }, { check: true });
  assert.equal(tree.report.result, 'violation', tree.rows);
});

test('a Dockerfile_prod named explicitly or by the glob Dockerfile* is read as a Dockerfile, not as YAML', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'review-pin-df-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  await writeFile(join(dir, 'Dockerfile_prod'), 'FROM nginx:1.25\n');
  for (const input of ['Dockerfile_prod', 'Dockerfile*']) {
    const { files } = await expandPaths([input], dir);
    assert.deepEqual(files.map((f) => `${f.path} ${f.kind}`), ['Dockerfile_prod dockerfile'], input);
  }
});

// The first fix also dropped YAML named like a Dockerfile's companion (`dockerfile-images.yaml`):
// a deploy file the check then never read. A `.yaml`/`.yml` name is YAML whatever it starts with.
test('--check deploy/: a YAML file whose name starts with dockerfile is still read as YAML', async (t) => {
  const tree = await pinTree(reg, t, {
    'deploy/app.yaml': pinnedDeployment(reg, 'team/app:1.0', app.digest),
    'deploy/dockerfile-images.yaml': `image: ${reg.host}/library/nginx:1.25.3\n`,
  }, { check: true });
  assert.equal(tree.report.result, 'violation', tree.rows);
});
