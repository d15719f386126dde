// Found by a review, fixed since: when the Action's default comment key came to be made
// from the `tags` input (a run that fails before its tags are checked then keeps the
// previous run's marker), the CLI's --comment-file (posted by another CI system, which
// finds the previous note by its marker) still built its key from the report's tag rows:
// a failed run's comment carried another marker, and the "ready to deploy" note stayed.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { useRegistry } from './support/registry.ts';
import { buildImage, removeLayout, type BuiltImage } from './support/images.ts';
import { runCli } from './support/action-runner.ts';

const reg = await useRegistry();
let image: BuiltImage;
let work: string;

before(async () => {
  work = await mkdtemp(join(tmpdir(), 'review-own2-cli-key-'));
  image = await buildImage({ files: { '/app/id': `cli-key ${Date.now()}` } });
});
after(async () => {
  await removeLayout(image);
  await rm(work, { recursive: true, force: true });
});

test('--comment-file: a push whose image file is missing writes the same marker as the passing push before it', async () => {
  const common = ['--insecure-registries', reg.host, '--scan', 'none'];
  const first = await runCli(['push', '--image', image.layout, `${reg.host}/clikey/app:pr-3-a`, ...common, '--comment-file', join(work, 'first.md')]);
  assert.equal(first.code, 0, first.stderr);
  const second = await runCli(['push', '--image', join(work, 'missing.tar'), `${reg.host}/clikey/app:pr-3-b`, ...common, '--comment-file', join(work, 'second.md')]);
  assert.equal(second.code, 2, second.stderr);
  const firstBody = await readFile(join(work, 'first.md'), 'utf8');
  const secondBody = await readFile(join(work, 'second.md'), 'utf8');
  assert.match(firstBody.split('\n')[0]!, /^<!-- immutag:[0-9a-f]{16} -->$/);
  assert.equal(secondBody.split('\n')[0], firstBody.split('\n')[0], 'the failed run\'s comment must replace the passing run\'s, found by the same marker');
});
