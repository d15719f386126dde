// Found by a review, fixed since: a reference pinned to one platform's manifest of an
// index (`app:1.0@<the amd64 manifest>`, as `crane digest --platform` gives) was "up to
// date" under `pin --check` as soon as the index the tag names listed that digest; nobody
// asked whether the registry still had the manifest itself. Registries delete platform
// manifests on their own (GHCR's and ECR's "delete untagged" clean-ups see an index's
// children as untagged), and then the runtime, which pulls the pinned digest, cannot
// start. The check now asks for it, as it does for a moved mutable tag's pinned digest.
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

test('--check: an immutable tag pinned to a platform manifest the registry deleted is not a pass', async (t) => {
  await pushImage(reg, index.ociRef, 'team/app:1.0', { all: true });
  const pod = `apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n  - name: c\n    image: ${reg.host}/team/app:1.0@${amd64}\n`;
  const before = await pinTree(reg, t, { 'deploy/pod.yaml': pod }, { check: true });
  assert.equal(before.report.result, 'pass', before.rows);
  // The clean-up: the amd64 manifest goes, the index (and the tag) stay.
  await run('skopeo', ['delete', ...reg.skopeoArgs(), `docker://${reg.host}/team/app@${amd64}`]);
  await assert.rejects(run('skopeo', ['inspect', '--raw', ...reg.skopeoArgs(), `docker://${reg.host}/team/app@${amd64}`]), 'the pinned manifest is gone');
  const after = await pinTree(reg, t, { 'deploy/pod.yaml': pod }, { check: true });
  const row = after.report.rows[0]!;
  assert.notEqual(after.report.result, 'pass', `the kubelet pulls team/app@${amd64}, which the registry no longer has: ${after.rows} ${row.reason}`);
  assert.equal(row.state, 'missing', after.rows);
  assert.match(row.reason ?? '', new RegExp(`the registry has no manifest ${amd64}, the digest the file pins`));
});

test('--check: a mutable tag pinned to a platform manifest the registry deleted is not a pass either', async (t) => {
  await pushImage(reg, index.ociRef, 'team/app2:latest', { all: true });
  await run('skopeo', ['delete', ...reg.skopeoArgs(), `docker://${reg.host}/team/app2@${amd64}`]);
  const pod = `apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n  - name: c\n    image: ${reg.host}/team/app2:latest@${amd64}\n`;
  const checked = await pinTree(reg, t, { 'deploy/pod.yaml': pod }, { check: true });
  assert.notEqual(checked.report.result, 'pass', `${checked.rows} ${checked.report.rows[0]?.reason}`);
});
