// The CLI refuses a check or a verify with no REF ("an empty $REF is not a pass",
// cli.ts settingsFromArgs). A REF argument that holds only list punctuation — what
// `"$A,$B"` becomes when both variables are empty, or a line that is only a comment —
// reaches the tags reader, which yields no tag at all: the run then "passes" having
// checked (or verified) nothing, exit 0.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runCli } from './support/action-runner.ts';

const D = `sha256:${'a'.repeat(64)}`;

test('a REF that is only separators or a comment is "no REF" (exit 2), not a PASS that checked nothing', async () => {
  const cases: string[][] = [
    ['check', ','],                       // immutag check "$A,$B" with both empty
    ['check', ' , '],
    ['check', '--tags', ','],
    ['verify', '--digest', D, ','],       // immutag verify --digest "$D" "$A,$B"
    ['verify', '--digest', D, '# 1.0'],   // a tags file whose every line is commented out
  ];
  const passed: string[] = [];
  for (const args of cases) {
    const r = await runCli([...args, '--json']);
    const doc = JSON.parse(r.stdout) as { result: string; error?: { code: string } };
    if (r.code !== 2 || doc.error?.code !== 'INVALID_INPUT') passed.push(`immutag ${JSON.stringify(args)} → exit ${r.code}, result ${doc.result}`);
  }
  assert.deepEqual(passed, [], passed.join('\n'));
});
