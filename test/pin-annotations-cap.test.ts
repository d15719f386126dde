// Found by a review, fixed since: GitHub shows at most 10 error annotations per step and
// drops the rest silently (annotations.ts, MAX_ANNOTATIONS). The gate's annotations were
// capped so that the verdict line (core.setFailed) is never the one dropped, but the pin
// report's were not: a pin check with more than ten failing lines pushed the verdict line
// out of what GitHub shows. They now share the step's ten.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { useRegistry } from './support/registry.ts';
import { buildImage, pushImage, removeLayout, type BuiltImage } from './support/images.ts';
import { runAction } from './support/action-runner.ts';

const reg = await useRegistry({ auth: 'htpasswd' });
let image: BuiltImage;
let workspace: string;
let dockerConfig: string;

before(async () => {
  image = await buildImage();
  workspace = await mkdtemp(join(tmpdir(), 'review-pr-pin-cap-'));
  dockerConfig = join(workspace, '.docker');
  await mkdir(dockerConfig);
  const auth = Buffer.from(`${reg.username}:${reg.password}`).toString('base64');
  await writeFile(join(dockerConfig, 'config.json'), JSON.stringify({ auths: { [reg.host]: { auth } } }));
});

after(async () => {
  await removeLayout(image);
  await rm(workspace, { recursive: true, force: true });
});

test('pin-check with 12 unpinned lines: the verdict line is among the 10 error annotations GitHub shows', async () => {
  await pushImage(reg, image.ociRef, 'cap/app:1.0');
  const dir = join(workspace, 'repo');
  await mkdir(join(dir, 'k8s'), { recursive: true });
  for (let i = 0; i < 12; i++) {
    await writeFile(join(dir, 'k8s', `svc${i}.yaml`), `spec:\n  containers:\n    - name: c${i}\n      image: ${reg.host}/cap/app:1.0\n`);
  }
  const r = await runAction({ pin: 'k8s', 'pin-check': 'true', 'insecure-registries': reg.host, comment: 'never' },
    { GITHUB_WORKSPACE: dir, DOCKER_CONFIG: dockerConfig });
  assert.equal(r.code, 1, r.stdout);
  const errors = r.stdout.split('\n').filter((l) => l.startsWith('::error'));
  const verdict = errors.findIndex((l) => l.startsWith('::error::immutag pin'));
  assert.ok(verdict >= 0, `the verdict line is an error annotation:\n${errors.join('\n')}`);
  assert.ok(verdict < 10, `GitHub shows the first 10 error annotations of a step; the verdict line is #${verdict + 1} of ${errors.length}`);
  assert.equal(errors.length, 10, errors.join('\n'));
  assert.match(errors[8]!, /title=4 more pin problems not annotated::GitHub shows at most 10 error annotations per step/);
});
