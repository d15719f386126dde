// Found by a review: a reference to a mutable tag (--mutable-tags latest) pinned to a digest the
// registry does not have (a typo, a hand edit, a digest garbage-collected after the tag
// moved) is "update-available" and `pin --check` PASSES: decide() compares the pinned
// digest with the tag's current one and never asks whether the pinned digest exists.
// The runtime pulls by digest, so the Pod cannot start (ImagePullBackOff); the check
// should say `missing`, as it does for a digest-only reference.
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
  await pushImage(reg, image.ociRef, 'team/app:latest');
});
after(async () => removeLayout(image));

test('--check: a mutable tag pinned to a digest the registry does not have is not a pass', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'rev-pin-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  await mkdir(join(dir, 'deploy'));
  const nowhere = `sha256:${'0'.repeat(63)}1`;
  await writeFile(join(dir, 'deploy/pod.yaml'), `apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n  - name: c\n    image: ${reg.host}/team/app:latest@${nowhere}\n`);
  const { client } = clientFor(reg);
  try {
    const r = await runPin({ paths: ['deploy'], cwd: dir, check: true, mutableTags: ['latest'], logger: new MemoryLogger(), client });
    const rows = JSON.stringify(r.rows.map((x) => `${x.reference} ${x.state}`));
    // The kubelet pulls team/app@sha256:000…1, which does not exist.
    assert.notEqual(r.result, 'pass', rows);
  } finally {
    await client.close();
  }
});

test('--check: a mutable tag that moved on from a digest the registry still has is an update, and the row says which digest is missing when one is', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'pin-moved-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  await mkdir(join(dir, 'deploy'));
  const older = await buildImage({ files: { '/older': 'x\n' } });
  t.after(() => removeLayout(older));
  const olderDigest = await pushImage(reg, older.ociRef, 'team/app:old');
  const nowhere = `sha256:${'0'.repeat(63)}2`;
  const pod = (digest: string) => `apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n  - name: c\n    image: ${reg.host}/team/app:latest@${digest}\n`;
  const { client } = clientFor(reg);
  try {
    await writeFile(join(dir, 'deploy/pod.yaml'), pod(olderDigest));
    const moved = await runPin({ paths: ['deploy'], cwd: dir, check: true, mutableTags: ['latest'], logger: new MemoryLogger(), client });
    assert.equal(moved.result, 'pass');
    assert.deepEqual(moved.rows.map((r) => r.state), ['update-available']);
    await writeFile(join(dir, 'deploy/pod.yaml'), pod(nowhere));
    const gone = await runPin({ paths: ['deploy'], cwd: dir, check: true, mutableTags: ['latest'], logger: new MemoryLogger(), client });
    console.log(gone.rows[0]?.reason);
    assert.equal(gone.result, 'violation');
    assert.deepEqual(gone.rows.map((r) => r.state), ['missing']);
    assert.match(gone.rows[0]?.reason ?? '', new RegExp(`the registry has no manifest ${nowhere}, the digest the file pins; the tag now points at sha256:`));
  } finally {
    await client.close();
  }
});
