// Found by a review, fixed since: c55af73 made --help/--version beside references an error in check/push/verify
// ("a required check that reads as a pass"), but `immutag pin` parses its own flags: a gate
// `immutag pin --check . $EXTRA --json` whose $EXTRA picked up -h still exits 0 with nothing checked
// and a {"usage": …} document (no result).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from './support/action-runner.ts';

test('immutag pin --check PATH with -h among its arguments does not exit 0 having checked nothing', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'rv3-pin-'));
  // An unpinned reference: pin --check alone exits 1 on it.
  writeFileSync(join(dir, 'Dockerfile'), 'FROM alpine:3.20\n');
  const r = await runCli(['pin', '--check', dir, '-h', '--json']);
  const doc = JSON.parse(r.stdout) as Record<string, unknown>;
  assert.notEqual(r.code, 0, `exit 0 and the JSON document has keys ${JSON.stringify(Object.keys(doc))}: nothing checked`);
  assert.ok('result' in doc, 'the --json document carries a result');
});
