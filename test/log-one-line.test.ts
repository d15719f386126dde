// Every line the CLI prints is one line: text from registries, images and files is
// shown with its control characters escaped, so it cannot start a workflow command
// (a runner reads `::` lines from a `run:` step's output too) or rewrite the terminal.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MemoryLogger, oneLine } from '../src/log.ts';

test('newlines, carriage returns, escapes and Unicode line separators are shown, not obeyed; tabs and text are kept', () => {
  assert.equal(oneLine('a\n::stop-commands::x\r\n\u001b[2J\u2028b\tc é'), 'a\\n::stop-commands::x\\r\\n\\u001b[2J\\u2028b\tc é');
  const logger = new MemoryLogger();
  logger.info('tag: unknown: denied\n::error::forged');
  logger.warning('w\r::warning::x');
  logger.debug('d\u0085e');
  assert.deepEqual(logger.lines, ['tag: unknown: denied\\n::error::forged', 'warning: w\\r::warning::x', 'debug: d\\u0085e']);
});
