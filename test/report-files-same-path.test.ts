// Found by a review, fixed since: one path given to two report inputs (report and sarif
// both `scan.json`) was written twice: the SARIF overwrote the JSON report, both outputs
// named the path, no failure was recorded and the run passed, so a step reading
// `outputs.report` got a SARIF document. The second file is now refused, naming the first.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { JSON_REPORT_SCHEMA } from '../src/report/files/json.ts';
import { writeReports } from '../src/report/files/write.ts';
import { sampleContext } from './support/scan-context.ts';

test('writeReports: report and sarif given the same path: the report output never names a SARIF file', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'immutag-review-own3-same-'));
  try {
    const same = join(dir, 'scan.json');
    const { written, failures } = await writeReports({ report: same, sarif: `${dir}/./scan.json` }, await sampleContext());
    if (written.report !== undefined) {
      const doc = JSON.parse(await readFile(written.report, 'utf8'));
      assert.equal(doc.schema, JSON_REPORT_SCHEMA, `outputs.report names ${written.report}, which holds a ${doc.version ? `SARIF ${doc.version}` : 'different'} document; written: ${JSON.stringify(written)}, failures: ${failures.length}`);
    }
    assert.ok(failures.length > 0 || written.report === undefined || written.sarif === undefined, 'one path for two files is not reported');
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
