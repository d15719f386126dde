// An `image` path that is neither a regular file nor a directory is refused before it is
// opened: a FIFO blocks the first read until something writes to it (forever, in CI),
// and a device streams without end.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { openImage } from '../src/image/open-image.ts';
import { ImmutagError } from '../src/errors.ts';
import { run } from './support/exec.ts';
import { tempDir } from './support/image-factory.ts';

const refused = (kind: RegExp) => (e: unknown) =>
  e instanceof ImmutagError && e.code === 'IMAGE_INVALID' && kind.test(e.message) && e.hint.length > 0;

test('a FIFO as the image path is refused with IMAGE_INVALID, not read', { timeout: 20_000 }, async (t) => {
  const work = await tempDir('image-fifo');
  t.after(() => work.cleanup());
  const fifo = join(work.dir, 'image.tar');
  await run('mkfifo', [fifo]);
  await assert.rejects(openImage(fifo), refused(/FIFO/));
});

test('a device as the image path is refused with IMAGE_INVALID', { timeout: 20_000 }, async () => {
  await assert.rejects(openImage('/dev/zero'), refused(/device/));
});
