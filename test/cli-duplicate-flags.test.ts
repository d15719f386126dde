// Found by a review (fixed since): a single-valued flag given twice. parseArgs keeps the last one and drops the
// first without a word; nothing in --help or the README says so. A CI template that
// appends `--scan none` (or a later `--fail-on none`) to a command that already says
// `--scan trivy` gets exit 0 "PASS ... not scanned" while its command line asked for a
// scan: the same "a flag that would be ignored" the CLI refuses elsewhere (check --scan trivy).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { buildImage, removeLayout, type BuiltImage } from './support/images.ts';
import { runCli } from './support/action-runner.ts';

let image: BuiltImage;
before(async () => { image = await buildImage(); });
after(async () => { await removeLayout(image); });

const cases: string[][] = [
  ['--scan', 'trivy', '--scan', 'none'],
  ['--fail-on', 'critical', '--fail-on', 'none'],
  ['--timeout', 'not-a-duration', '--timeout', '30m'],
];

for (const dup of cases) {
  test(`a single-valued flag given twice is refused (exit 2), not "last one wins": ${dup.join(' ')}`, async () => {
    const r = await runCli(['push', '--image', image.layout, '--no-push', ...dup, '--json']);
    const doc = JSON.parse(r.stdout) as { result: string; error?: { code: string; message: string } };
    assert.equal(r.code, 2, `exit ${r.code}, result ${doc.result}: the first ${dup[0]} was dropped silently\n${r.stderr.trim().split('\n').at(-1)}`);
    assert.equal(doc.error?.code, 'INVALID_INPUT');
    assert.match(doc.error?.message ?? '', new RegExp(dup[0]!));
  });
}
