// Found by a review, fixed since: a dangling relative link under a symlinked directory
// (`link/r.json -> ../x.json`, link -> real/sub) was followed as text, so `..` left the
// link's name instead of its target, and a different file was refused as "the report
// file is written there".
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readFile, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { JSON_REPORT_SCHEMA } from '../src/report/files/json.ts';
import { writeReports } from '../src/report/files/write.ts';
import { sampleContext } from './support/scan-context.ts';

test('writeReports: a relative link with .. under a symlinked directory is not taken for a different file', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'immutag-review-own6-dotdot-'));
  try {
    await mkdir(join(dir, 'real', 'sub'), { recursive: true });
    await symlink(join(dir, 'real', 'sub'), join(dir, 'link'));
    await symlink('../x.json', join(dir, 'link', 'r.json'));
    const report = join(dir, 'link', 'r.json');
    const sarif = join(dir, 'x.json');
    const { written, failures } = await writeReports({ report, sarif }, await sampleContext());
    assert.deepEqual(failures.map((f) => f.error.message), [], 'two distinct files: none should be refused');
    assert.equal(written.sarif, sarif);
    assert.equal(JSON.parse(await readFile(join(dir, 'real', 'x.json'), 'utf8')).schema, JSON_REPORT_SCHEMA);
    assert.equal(JSON.parse(await readFile(sarif, 'utf8')).version, '2.1.0');
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
