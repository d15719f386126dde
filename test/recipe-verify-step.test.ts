// Recipe 2's verify step (build-push-action pushed; immutag verifies `digest` and scans
// repo@digest), in the two ways it goes wrong in practice: the `digest` expression comes
// out empty (a misspelt step id, a build step skipped by `if:`), and `digest` names
// another image than the tags do. Run as the runner runs the Action.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { useRegistry } from './support/registry.ts';
import { buildImage, pushImage, removeLayout, type BuiltImage } from './support/images.ts';
import { runAction } from './support/action-runner.ts';

const reg = await useRegistry();
let ours: BuiltImage;
let theirs: BuiltImage;

before(async () => {
  ours = await buildImage({ files: { '/app/id': `ours ${Date.now()}` } });
  theirs = await buildImage({ files: { '/app/id': `theirs ${Date.now()}` } });
});

after(async () => {
  await removeLayout(ours);
  await removeLayout(theirs);
});

test('an empty digest beside scan settings is an error, not a passing tag check that scanned nothing', async () => {
  // The build step pushed; `latest` is mutable, so a bare check of it passes.
  await pushImage(reg, ours.ociRef, 'emptydigest/app:latest');
  const r = await runAction({
    tags: `${reg.host}/emptydigest/app:latest`, 'mutable-tags': 'latest',
    digest: '', // ${{ steps.bulid.outputs.digest }}
    'fail-on': 'high', 'ignore-unfixed': 'true', 'insecure-registries': reg.host, comment: 'never',
  });
  assert.equal(r.outputs['result'], 'error', r.stdout);
  assert.equal(r.code, 1);
  assert.match(r.stdout, /::error::`fail-on`, `ignore-unfixed` were set, but neither `image` nor `digest` was: nothing would be pushed or scanned \(INVALID_INPUT\)/);
  assert.match(r.stdout, /that expression came out empty/);
});

test('a check step with scan: none and no image is the tag gate, as before, whatever policy a shared workflow passes it', async () => {
  const r = await runAction({
    tags: `${reg.host}/emptydigest/app:9.9.9`, scan: 'none', 'fail-on': 'critical', 'insecure-registries': reg.host, comment: 'never',
  });
  assert.equal(r.outputs['result'], 'pass', r.stdout);
});

test('verify: a tag at another digest is not "add it to mutable-tags", which verify refuses too', async () => {
  const digest = await pushImage(reg, ours.ociRef, 'verifyhint/app:1.4.0');
  // Another job's build moved latest after ours was pushed (or `digest` came from the wrong step).
  const other = await pushImage(reg, theirs.ociRef, 'verifyhint/app:latest');
  const r = await runAction({
    tags: `${reg.host}/verifyhint/app:1.4.0\n${reg.host}/verifyhint/app:latest`, 'mutable-tags': '',
    digest, scan: 'none', 'insecure-registries': reg.host, comment: 'never',
  });
  assert.equal(r.outputs['result'], 'violation', r.stdout);
  assert.doesNotMatch(r.stdout, /mutable-tags/, r.stdout);
  assert.match(r.stdout, new RegExp(`::error title=Tag names another digest.*::${reg.host}/verifyhint/app:latest points at ${other}, not at the expected ${digest}\\. Another build`));
  assert.match(r.stdout, /Check that digest is the output of the step that pushed these tags/);
  assert.doesNotMatch(r.summary, /mutable-tags/, r.summary);
});
