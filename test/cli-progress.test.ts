// Push progress as people see it: on a terminal one line rewritten in place, in a log
// a line every few seconds, always in IEC units.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CliLogger } from '../src/cli-logger.ts';
import { MemoryLogger } from '../src/log.ts';
import { DEFAULT_PROGRESS_INTERVAL_MS, LIVE_PROGRESS_INTERVAL_MS, progressLine, PushProgress } from '../src/registry/push-progress.ts';

const MiB = 1024 * 1024;

function clock(): { now: () => number; advance: (ms: number) => void } {
  let t = 1_000_000;
  return { now: () => t, advance: (ms) => { t += ms; } };
}

test('in a log (no terminal): one line every few seconds, not one per chunk', () => {
  const logger = new MemoryLogger(false);
  const c = clock();
  const progress = new PushProgress(logger, undefined, c.now);
  progress.expect(200 * MiB);
  for (let i = 0; i < 40; i++) {
    c.advance(500);
    progress.add(5 * MiB);
  }
  assert.equal(logger.lines.length, (40 * 500) / DEFAULT_PROGRESS_INTERVAL_MS);
  assert.equal(logger.lines.at(-1), 'Uploading: 200.0 MiB of 200.0 MiB (100%) at 10.0 MiB/s');
});

test('on a terminal: a live line rewritten in place, cleared before the next log line', () => {
  let out = '';
  const logger = new CliLogger({ verbose: false, stream: { isTTY: true, columns: 100, write: (s: string) => { out += s; } } });
  const c = clock();
  const progress = new PushProgress(logger, undefined, c.now);
  progress.expect(100 * MiB);
  for (let i = 0; i < 8; i++) {
    c.advance(LIVE_PROGRESS_INTERVAL_MS);
    progress.add(10 * MiB);
  }
  logger.info('Uploaded 1 blob(s), 80.0 MiB');
  const frames = out.split('\r\x1b[K');
  assert.equal(frames.length, 10, 'eight rewrites and one clear before the final line');
  assert.equal(frames[8], 'Uploading: 80.0 MiB of 100.0 MiB (80%) at 40.0 MiB/s');
  assert.equal(frames[9], 'Uploaded 1 blob(s), 80.0 MiB\n');
  assert.ok(!out.slice(0, out.lastIndexOf('\r')).includes('\n'), 'no line scrolled while uploading');
});

test('the live line never wraps on a narrow terminal', () => {
  let out = '';
  const logger = new CliLogger({ verbose: false, stream: { isTTY: true, columns: 30, write: (s: string) => { out += s; } } });
  logger.liveLine!(progressLine(5 * MiB, 100 * MiB, 1000));
  assert.ok(out.replace('\r\x1b[K', '').length < 30);
});

test('not a terminal: the CLI logger has no live line, so progress comes as log lines', () => {
  const logger = new CliLogger({ verbose: false, stream: { write: () => undefined } });
  assert.equal(logger.liveLine, undefined);
});
