// List inputs written the way docker/metadata-action users write theirs: a YAML block
// scalar with `#` comment lines, which metadata-action skips whole (and so did immutag's
// `tags`, but only after splitting on commas). A commented-out line must be out whole,
// in every list input: a half-read one pushes a tag the user took out (it can never
// move again) or keeps a frozen tag family mutable. Run as the runner runs the Action,
// against the real registry.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { useRegistry } from './support/registry.ts';
import { buildImage, inspectDigest, pushImage, removeLayout, type BuiltImage } from './support/images.ts';
import { runAction } from './support/action-runner.ts';
import { readSettings } from '../src/settings.ts';
import { compileTagPatterns } from '../src/tag-pattern.ts';
import { ImmutagError } from '../src/errors.ts';

const reg = await useRegistry();
let old: BuiltImage;
let fresh: BuiltImage;
let workspace: string;

before(async () => {
  old = await buildImage({ files: { '/app/id': `old ${Date.now()}` } });
  fresh = await buildImage({ files: { '/app/id': `fresh ${Date.now()}` } });
  workspace = await mkdtemp(join(tmpdir(), 'immutag-comments-'));
});

after(async () => {
  await removeLayout(old);
  await removeLayout(fresh);
  await rm(workspace, { recursive: true, force: true });
});

test('a commented-out mutable-tags line makes none of its tags mutable', async () => {
  // staging-* used to move; the team commented the line out to freeze those tags.
  const existing = await pushImage(reg, old.ociRef, 'comments/app:staging-42');
  const r = await runAction({
    tags: `${reg.host}/comments/app:staging-42`, 'mutable-tags': 'latest\n# dev-*, staging-*',
    'insecure-registries': reg.host, comment: 'never', scan: 'none',
  });
  assert.equal(r.outputs['result'], 'violation', r.stdout);
  assert.equal(r.code, 1);
  assert.equal(await inspectDigest(reg, 'comments/app:staging-42'), existing);
});

test('a comment line in mutable-tags may hold a colon or a slash: it is read as a comment', async () => {
  await pushImage(reg, old.ociRef, 'comments/app:latest');
  const r = await runAction({
    tags: `${reg.host}/comments/app:latest`,
    'mutable-tags': '# floating tags: metadata-action moves these (ghcr.io/acme/app)\nlatest\npr-*',
    'insecure-registries': reg.host, comment: 'never', scan: 'none',
  });
  assert.equal(r.outputs['result'], 'pass', r.stdout);
});

test('a commented-out tags line holding two tags pushes neither', async () => {
  const tags = [
    `${reg.host}/commas/app:1.0.0`,
    '# the release tags, as metadata-action writes them',
    `# ${reg.host}/commas/app:1.0, ${reg.host}/commas/app:1`,
  ].join('\n');
  const r = await runAction({ tags, image: fresh.layout, scan: 'none', 'insecure-registries': reg.host, comment: 'never', 'tag-settle-seconds': '0.5' });
  assert.equal(r.code, 0, r.stdout);
  assert.deepEqual(Object.keys(JSON.parse(r.outputs['pushed']!)), [`${reg.host}/commas/app:1.0.0`]);
  await assert.rejects(inspectDigest(reg, 'commas/app:1'));
  await assert.rejects(inspectDigest(reg, 'commas/app:1.0'));
});

test('pin-check: a comment line in pin is a comment, not a path that matches no file', async () => {
  const digest = await pushImage(reg, old.ociRef, 'pincomment/app:1.0');
  await mkdir(join(workspace, 'deploy'), { recursive: true });
  await writeFile(join(workspace, 'deploy', 'app.yaml'), `spec:\n  containers:\n    - image: ${reg.host}/pincomment/app:1.0@${digest}\n`);
  const r = await runAction({
    pin: '# Kubernetes manifests, one glob per line\ndeploy/*.yaml\n', 'pin-check': 'true', 'insecure-registries': reg.host, comment: 'never',
  }, { GITHUB_WORKSPACE: workspace });
  assert.equal(r.outputs['pin-result'], 'pass', r.stdout);
  assert.equal(r.code, 0);
});

test('every list input drops whole-line comments before it splits on commas', () => {
  const s = readSettings((name) => ({
    tags: 'r.io/a:1\n  # r.io/a:2, r.io/a:3\n',
    'mutable-tags': '# {alpha,beta}-*\nlatest, pr-*',
    'insecure-registries': '# a.io:5000, b.io:5000\nc.io:5000',
    pin: '# deploy/{a,b}.yaml\nk8s/{x,y}.yaml',
  })[name]);
  assert.deepEqual(s.tags, ['r.io/a:1']);
  assert.deepEqual(s.mutableTags, ['latest', 'pr-*']);
  assert.deepEqual(s.insecureRegistries, ['c.io:5000']);
  assert.deepEqual(s.pin, ['k8s/{x,y}.yaml']);
});

test('a mutable-tags pattern with a space or a # in it can never match a tag name: it is refused, named', async () => {
  for (const pattern of ['latest   # moves on every push to main', 'latest pr-*']) {
    await assert.rejects(compileTagPatterns([pattern]), (e: unknown) => {
      assert.ok(e instanceof ImmutagError);
      assert.equal(e.code, 'INVALID_INPUT');
      assert.ok(e.message.includes(`"${pattern}"`), e.message);
      assert.match(e.hint, /one pattern per line/);
      return true;
    });
  }
});
