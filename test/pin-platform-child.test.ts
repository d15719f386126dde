// Found by a review: a reference pinned to ANY manifest an index lists counts as up to date
// (decide.ts: state.children.find(c => c.digest === ref.digest)), whatever platform
// the file asks for. `FROM --platform=linux/arm64 app:1.0@<the amd64 manifest>` (or a
// Compose service with platform: linux/arm64) passes `pin --check` as "pinned to the
// linux/amd64 manifest of the index", yet the build gets an amd64 base image for an
// arm64 stage: the pin names a different image than the reference asks for.
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

test('--check: FROM --platform=linux/arm64 pinned to the index\'s amd64 manifest is not up to date', async (t) => {
  await pushImage(reg, index.ociRef, 'team/base:1.0', { all: true });
  const ok = await pinTree(reg, t, { 'deploy/Dockerfile': `FROM --platform=linux/arm64 ${reg.host}/team/base:1.0@${arm64}\n` }, { check: true });
  assert.equal(ok.report.result, 'pass', ok.rows);
  const wrong = await pinTree(reg, t, { 'deploy/Dockerfile': `FROM --platform=linux/arm64 ${reg.host}/team/base:1.0@${amd64}\n` }, { check: true });
  assert.notEqual(wrong.report.result, 'pass', `the arm64 stage is pinned to the amd64 image: ${wrong.rows} ${wrong.report.rows[0]?.reason}`);
});

test('--check: the row names the manifest the file asks for; Compose platform: counts too; a build-time $BUILDPLATFORM holds nothing', async (t) => {
  await pushImage(reg, index.ociRef, 'team/base:1.1', { all: true });
  const wrong = await pinTree(reg, t, { 'deploy/Dockerfile': `FROM --platform=linux/arm64 ${reg.host}/team/base:1.1@${amd64}\n` }, { check: true });
  console.log(wrong.report.rows[0]?.reason);
  assert.match(wrong.report.rows[0]?.reason ?? '', new RegExp(`pinned to the linux/amd64 manifest of the index, but the file asks for linux/arm64; the linux/arm64 manifest of 1.1 is ${arm64}`));
  const compose = `services:\n  app:\n    platform: linux/arm64\n    image: ${reg.host}/team/base:1.1@${amd64}\n`;
  const composed = await pinTree(reg, t, { 'deploy/compose.yaml': compose }, { check: true });
  assert.equal(composed.report.result, 'violation', composed.rows);
  const buildTime = await pinTree(reg, t, { 'deploy/Dockerfile': `FROM --platform=$BUILDPLATFORM ${reg.host}/team/base:1.1@${amd64}\n` }, { check: true });
  assert.equal(buildTime.report.result, 'pass', buildTime.rows);
});
