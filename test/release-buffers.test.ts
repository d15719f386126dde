// The young-generation collector is taken from V8 with --expose-gc, a process-wide flag.
// It must be fenced: set only while the collector is fetched, so no other code in the
// process (a vm context, a library) finds a `gc` it did not ask for.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runInNewContext } from 'node:vm';
import { BufferReleaser } from '../src/release-buffers.ts';

test('the collector runs, and --expose-gc is off again for every context made after it', () => {
  const releaser = new BufferReleaser(1);
  let before = process.memoryUsage().arrayBuffers;
  for (let i = 0; i < 50; i++) {
    Buffer.allocUnsafeSlow(1024 * 1024).fill(i); // garbage outside the V8 heap, as sent upload chunks are
    releaser.sent(1024 * 1024);
  }
  assert.equal(releaser.collections, 50, 'a collection ran for every MiB sent');
  assert.ok(process.memoryUsage().arrayBuffers < before + 40 * 1024 * 1024, 'the sent buffers were freed as they went');
  assert.equal(runInNewContext('typeof gc'), 'undefined', 'a context made afterwards has no gc');
  assert.equal(typeof (globalThis as { gc?: unknown }).gc, 'undefined', 'the main context has no gc');
});
