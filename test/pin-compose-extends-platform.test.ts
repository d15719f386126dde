// Found by a review, fixed since: Compose's `extends:` gives a service every setting of
// the service it names, `platform:` included (as image-key.ts serviceSetting already read
// build: and pull_policy: through extends). The platform a pin to one manifest must match
// was read with mergedGet only (imageValue), so a service that inherited `platform:
// linux/arm64` and pinned the amd64 manifest of the index passed --check as up to date,
// though Compose asks for arm64 and gets an image of the wrong architecture.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { useRegistry } from './support/registry.ts';
import { buildIndex, pushImage, removeLayout } from './support/images.ts';
import { pinTree } from './support/pin-tree.ts';

const reg = await useRegistry();
const index = await buildIndex();
after(async () => removeLayout(index));
const amd64 = index.platforms.find((p) => p.arch === 'amd64')!.digest;
const arm64 = index.platforms.find((p) => p.arch === 'arm64')!.digest;

test('--check: platform: inherited through extends: holds a pin to one manifest to that platform', async (t) => {
  await pushImage(reg, index.ociRef, 'team/db:8.0', { all: true });
  const compose = [
    'services:',
    '  base:',
    '    platform: linux/arm64',
    `    image: ${reg.host}/team/db:8.0@${arm64}`,
    '  db:',
    '    extends: base',
    `    image: ${reg.host}/team/db:8.0@${amd64}`,
    '',
  ].join('\n');
  const run = await pinTree(reg, t, { 'deploy/compose.yaml': compose }, { check: true });
  const db = run.report.rows.find((r) => r.line === 7);
  assert.equal(db?.state, 'moved', `${run.rows} ${db?.reason}`);
  assert.equal(run.report.result, 'violation', run.rows);
});
