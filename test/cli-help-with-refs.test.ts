// Found by a review (fixed since): --help / --version / -h anywhere on a command line that also names a command,
// REFs and gate flags wins over everything and exits 0 having checked nothing. With
// --json the document is {"usage": …} or {"version": …}: no `result`, no `tags`, though the
// README says --json prints "the Action's outputs, tags … on every path". A gate script
// `immutag check "$REF" $EXTRA_FLAGS --json` whose $EXTRA_FLAGS picked up a -h gets exit 0.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runCli } from './support/action-runner.ts';

const D = `sha256:${'a'.repeat(64)}`;
const cases: string[][] = [
  ['check', '127.0.0.1:9/app:1.0', '--insecure-registries', '127.0.0.1:9', '-h', '--json'],
  ['verify', '--digest', D, '127.0.0.1:9/app:1.0', '--version', '--json'],
];

for (const args of cases) {
  test(`a gate run with --help/--version among its arguments does not exit 0 having checked nothing: ${args.join(' ')}`, async () => {
    const r = await runCli(args);
    const doc = JSON.parse(r.stdout) as Record<string, unknown>;
    assert.notEqual(r.code, 0, `exit 0 and the JSON document has keys ${JSON.stringify(Object.keys(doc))}: no result, nothing checked`);
    assert.ok('result' in doc, 'the --json document carries a result');
  });
}
