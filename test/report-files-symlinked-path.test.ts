// Found by a review, fixed since: two report inputs naming one file through a symlinked
// directory (`out/scan.json` and `link/scan.json`, link -> out) were not seen as one path:
// the SARIF overwrote the JSON report, both outputs named it, and the run passed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readFile, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { JSON_REPORT_SCHEMA } from '../src/report/files/json.ts';
import { writeReports } from '../src/report/files/write.ts';
import { sampleContext } from './support/scan-context.ts';

test('writeReports: report and sarif on one file through a symlinked directory: the report output never names a SARIF file', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'immutag-review-own4-link-'));
  try {
    await mkdir(join(dir, 'out'));
    await symlink(join(dir, 'out'), join(dir, 'link'), 'dir');
    const { written, failures } = await writeReports({ report: join(dir, 'out', 'scan.json'), sarif: join(dir, 'link', 'scan.json') }, await sampleContext());
    if (written.report !== undefined) {
      const doc = JSON.parse(await readFile(written.report, 'utf8'));
      assert.equal(doc.schema, JSON_REPORT_SCHEMA, `outputs.report names ${written.report}, which holds a ${doc.version ? `SARIF ${doc.version}` : 'different'} document; written: ${JSON.stringify(written)}, failures: ${failures.length}`);
    }
    assert.ok(failures.length > 0, 'one file for two inputs is not reported');
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
