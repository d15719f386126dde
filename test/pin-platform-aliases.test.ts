// Found by a review: a pin to one manifest of an index must be the platform the file asks
// for. Docker and Compose normalise the platform the file writes (containerd's
// platforms.Normalize): linux/x86_64 is linux/amd64 and linux/aarch64 is linux/arm64.
// `platform: linux/x86_64` is the usual Compose idiom on Apple-silicon Macs. Pinned to the
// amd64 manifest, such a service runs exactly the image it pins, yet --check now calls it
// 'moved' (a violation); before fde748a it was up to date.
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

test('--check: Compose platform: linux/x86_64 pinned to the amd64 manifest is up to date', async (t) => {
  await pushImage(reg, index.ociRef, 'team/db:8.0', { all: true });
  const compose = `services:\n  db:\n    platform: linux/x86_64\n    image: ${reg.host}/team/db:8.0@${amd64}\n`;
  const run = await pinTree(reg, t, { 'deploy/compose.yaml': compose }, { check: true });
  assert.equal(run.report.result, 'pass', `${run.rows} ${run.report.rows[0]?.reason}`);
});

test('--check: FROM --platform=linux/aarch64 pinned to the arm64 manifest is up to date', async (t) => {
  await pushImage(reg, index.ociRef, 'team/db:8.1', { all: true });
  const run = await pinTree(reg, t, { 'deploy/Dockerfile': `FROM --platform=linux/aarch64 ${reg.host}/team/db:8.1@${arm64}\n` }, { check: true });
  assert.equal(run.report.result, 'pass', `${run.rows} ${run.report.rows[0]?.reason}`);
});
