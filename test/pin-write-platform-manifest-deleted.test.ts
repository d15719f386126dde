// Found by a review, fixed since: `pin` (write mode) on a reference pinned to one
// platform's manifest of an index whose manifest the registry had deleted (GHCR/ECR
// "delete untagged" clean-ups) never asked for the pinned digest, as --check came to: it
// called the reference "up to date", passed, and left the file naming a manifest the
// kubelet cannot pull.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { useRegistry } from './support/registry.ts';
import { buildIndex, pushImage, removeLayout } from './support/images.ts';
import { pinTree } from './support/pin-tree.ts';
import { run } from './support/exec.ts';

const reg = await useRegistry();
const index = await buildIndex();
after(async () => removeLayout(index));
const amd64 = index.platforms.find((p) => p.arch === 'amd64')!.digest;

test('pin (write mode): a pin to a platform manifest the registry deleted is not reported up to date', async (t) => {
  await pushImage(reg, index.ociRef, 'wteam/app:1.0', { all: true });
  await run('skopeo', ['delete', ...reg.skopeoArgs(), `docker://${reg.host}/wteam/app@${amd64}`]);
  await assert.rejects(run('skopeo', ['inspect', '--raw', ...reg.skopeoArgs(), `docker://${reg.host}/wteam/app@${amd64}`]), 'the pinned manifest is gone');
  const pod = `apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n  - name: c\n    image: ${reg.host}/wteam/app:1.0@${amd64}\n`;
  const checked = await pinTree(reg, t, { 'deploy/pod.yaml': pod }, { check: true });
  assert.equal(checked.report.rows[0]!.state, 'missing', `--check says: ${checked.rows}`);
  const pinned = await pinTree(reg, t, { 'deploy/pod.yaml': pod }, { check: false });
  const row = pinned.report.rows[0]!;
  assert.notEqual(row.state, 'up-to-date', `pin calls a deleted pinned manifest up to date: ${pinned.rows} (${row.reason})`);
  assert.notEqual(pinned.report.result, 'pass', `pin passes while the file pins ${amd64}, which the registry no longer has: ${pinned.rows}`);
});
