// What `immutag pin` tells a person, read through the built CLI against the real
// registry (found by a review helper reading it as a user): a run that wrote nothing
// does not say it pinned, a glob is not blamed for symlinks it never selected, every
// --json error has `error`, and a --check that could check nothing does not pass.
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, test } from 'node:test';
import { runCli } from './support/action-runner.ts';
import { buildImage, pushImage, removeLayout } from './support/images.ts';
import { useRegistry } from './support/registry.ts';

const reg = await useRegistry();
const image = await buildImage();
const digest = await pushImage(reg, image.ociRef, 'words/app:1.0');
const root = await mkdtemp(join(tmpdir(), 'immutag-pin-words-'));
after(async () => {
  await removeLayout(image);
  await rm(root, { recursive: true, force: true });
});

async function tree(name: string, files: Record<string, string>): Promise<string> {
  const dir = join(root, name);
  for (const [path, text] of Object.entries(files)) {
    await mkdir(dirname(join(dir, path)), { recursive: true });
    await writeFile(join(dir, path), text);
  }
  return dir;
}

const lastLine = (stderr: string): string => stderr.trim().split('\n').at(-1)!;

test('a pin that wrote nothing says which references it would have pinned, not "pinned"', async () => {
  const dir = await tree('nothing-written', { 'a.yaml': `image: ${reg.host}/words/app:1.0\n`, 'b.yaml': `image: ${reg.host}/words/App:1.0\n` });
  const run = await runCli(['pin', dir]);
  assert.equal(run.code, 2);
  assert.equal(await readFile(join(dir, 'a.yaml'), 'utf8'), `image: ${reg.host}/words/app:1.0\n`);
  assert.match(lastLine(run.stderr), /^immutag pin: ERROR: 1 to pin, not written; 1 invalid/);
  const summary = await runCli(['pin', '--summary', dir]);
  assert.match(summary.stdout, /📌 to pin, not written: pin changes every file or none, and something else failed/);
  const json = JSON.parse((await runCli(['pin', '--json', dir])).stdout) as { rows: { state: string; written?: boolean }[] };
  assert.deepEqual(json.rows.map((r) => [r.state, r.written]), [['pinned', false], ['invalid', undefined]]);
});

test('a glob notes only the symlinks it selects: a dangling Dockerfile, not web/static or web/gone.txt', async () => {
  const dir = await tree('glob-notes', { Dockerfile: `FROM ${reg.host}/words/app:1.0@${digest}\n`, 'web/assets/x.css': '', 'api/x': '' });
  await symlink('assets', join(dir, 'web/static'));
  await symlink('missing', join(dir, 'web/gone.txt'));
  await symlink('missing', join(dir, 'api/Dockerfile'));
  const run = await runCli(['pin', '--check', '--json', join(dir, '**/Dockerfile')]);
  assert.equal(run.code, 0, run.stderr);
  assert.deepEqual((JSON.parse(run.stdout) as { notes: unknown[] }).notes, [
    { path: join(dir, 'api/Dockerfile'), reason: 'a symlink whose target does not exist' },
  ]);
});

test('pin --json: an error found while running carries `error`, as a flag error does', async () => {
  const flag = await runCli(['pin', '--bogus', '--json', root]);
  const missing = await runCli(['pin', '--json', join(root, 'no-such-dir')]);
  for (const run of [flag, missing]) {
    assert.equal(run.code, 2);
    const doc = JSON.parse(run.stdout) as { result: string; error?: { code: string }; problems: unknown[]; rows: unknown[] };
    assert.equal(doc.result, 'error');
    assert.equal(doc.error?.code, 'INVALID_INPUT');
    assert.equal(doc.problems.length, 1);
    assert.deepEqual(doc.rows, []);
  }
});

test('pin --json: rows that could not be decided give `error` too: an invalid reference, a registry that refuses us', async () => {
  const locked = await useRegistry({ auth: 'htpasswd' });
  const invalid = await tree('invalid-row', { 'a.yaml': `image: ${reg.host}/words/App:1.0\n` });
  const refused = await tree('refused-row', { 'a.yaml': `image: ${locked.host}/words/app:1.0\n` });
  for (const [dir, code] of [[invalid, 'INVALID_REFERENCE'], [refused, 'AUTH_REQUIRED']] as const) {
    for (const mode of [[], ['--check']]) {
      const run = await runCli(['pin', ...mode, '--json', '--insecure-registries', locked.host, dir]);
      assert.equal(run.code, 2, run.stderr);
      const doc = JSON.parse(run.stdout) as { result: string; error?: { code: string; message: string } };
      assert.equal(doc.result, 'error');
      assert.equal(doc.error?.code, code, run.stdout);
      assert.match(doc.error?.message ?? '', /a\.yaml:1: /);
    }
  }
});

test('--check that could check none of its references fails; with one checked, the title says how many were skipped', async () => {
  const deployment = 'apiVersion: apps/v1\nkind: Deployment\nspec:\n  template:\n    spec:\n      containers:\n        - image: ${IMAGE}\n';
  const onlySkipped = await tree('all-skipped', { 'd.yaml': deployment });
  const none = await runCli(['pin', '--check', '--summary', onlySkipped]);
  assert.equal(none.code, 2);
  assert.doesNotMatch(none.stdout, /every reference is pinned/);
  assert.match(lastLine(none.stderr), /INVALID_INPUT: --check could not check the one image reference it found: it was skipped \(the table says why\)/);
  const mixed = await tree('some-skipped', { 'd.yaml': deployment, 'e.yaml': `image: ${reg.host}/words/app:1.0@${digest}\n` });
  const some = await runCli(['pin', '--check', '--summary', mixed]);
  assert.equal(some.code, 0, some.stderr);
  assert.match(some.stdout, /^### ✅ immutag pin check: every reference checked is pinned and current \(1 skipped\)$/m);
});
