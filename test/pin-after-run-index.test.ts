// push or verify, then pin: a deploy file pinned to one platform's manifest of the
// index this run pushed or verified (crane digest --platform) is up to date, as
// `pin --check` says. It used to be "tag moved", an error annotation telling the user
// to find who pushed over the tag, and pin-result: violation. Found by a review helper.
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { buildIndex, pushImage, removeLayout } from './support/images.ts';
import { runAction, runCli } from './support/action-runner.ts';
import { useRegistry } from './support/registry.ts';

const reg = await useRegistry();
const index = await buildIndex();
const scratch = await mkdtemp(join(tmpdir(), 'immutag-pin-index-'));
after(async () => {
  await removeLayout(index);
  await rm(scratch, { recursive: true, force: true });
});
const amd64 = index.platforms.find((p) => p.arch === 'amd64')!.digest;

async function workspaceWith(name: string, reference: string): Promise<string> {
  const workspace = join(scratch, name);
  await mkdir(join(workspace, 'deploy'), { recursive: true });
  await writeFile(join(workspace, 'deploy/app.yaml'), `spec:\n  containers:\n    - image: ${reference}\n`);
  return workspace;
}

test('verify then pin: a reference pinned to a platform manifest of the verified index is up to date', async () => {
  const digest = await pushImage(reg, index.ociRef, 'verified/app:1.0', { all: true });
  const workspace = await workspaceWith('verify', `${reg.host}/verified/app:1.0@${amd64}`);
  const check = await runCli(['pin', '--check', '--json', join(workspace, 'deploy')]);
  assert.equal(check.code, 0, check.stdout + check.stderr);
  assert.equal(JSON.parse(check.stdout).rows[0].state, 'up-to-date');

  const run = await runAction({ tags: `${reg.host}/verified/app:1.0`, digest, scan: 'none', comment: 'never', pin: 'deploy' }, { GITHUB_WORKSPACE: workspace });
  assert.equal(run.outputs['result'], 'pass', run.stdout);
  assert.equal(run.outputs['pin-result'], 'pass', run.stdout);
  assert.doesNotMatch(run.stdout, /Tag moved|::error/);
  assert.match(run.stdout, /up-to-date \(pinned to the linux\/amd64 manifest of the index/);
});

test('push then pin: the same, for the index this run pushed', async () => {
  // The layout names the index by the tag pushed (buildx --tag), beside its platform images.
  const workspace = await workspaceWith('push', `${reg.host}/pushed/app:${index.tag}@${amd64}`);
  const run = await runAction({ tags: `${reg.host}/pushed/app:${index.tag}`, image: index.layout, scan: 'none', comment: 'never', pin: 'deploy', 'tag-settle-seconds': '0.5', 'insecure-registries': reg.host },
    { GITHUB_WORKSPACE: workspace });
  assert.equal(run.outputs['result'], 'pass', run.stdout);
  assert.equal(run.outputs['pin-result'], 'pass', run.stdout);
  assert.doesNotMatch(run.stdout, /Tag moved|::error/);
});
