// Found by a review, fixed since: two report inputs naming one file were both written
// with no error when one was a dangling symlink to the other (the path did not resolve,
// so it was compared as written) or when the two were hard links to one file: the SARIF
// overwrote the report. Paths are now compared by where a write would land, and existing
// files by device and inode.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { link, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { JSON_REPORT_SCHEMA } from '../src/report/files/json.ts';
import { writeReports } from '../src/report/files/write.ts';
import { sampleContext } from './support/scan-context.ts';

async function check(name: string, setup: (dir: string) => Promise<{ report: string; sarif: string }>): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), `immutag-review-own5-${name}-`));
  try {
    const paths = await setup(dir);
    const { written, failures } = await writeReports(paths, await sampleContext());
    if (written.report !== undefined) {
      const doc = JSON.parse(await readFile(written.report, 'utf8'));
      assert.equal(doc.schema, JSON_REPORT_SCHEMA, `${name}: outputs.report names ${written.report}, which holds a ${doc.version ? `SARIF ${doc.version}` : 'different'} document; written: ${JSON.stringify(written)}, failures: ${failures.length}`);
    }
    assert.ok(failures.length > 0, `${name}: one file for two inputs is not reported`);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

test('writeReports: report is a dangling symlink to the sarif path', async () => {
  await check('dangling', async (dir) => {
    await symlink(join(dir, 'scan.sarif'), join(dir, 'scan.json'));
    return { report: join(dir, 'scan.json'), sarif: join(dir, 'scan.sarif') };
  });
});

test('writeReports: report and sarif are hard links to one file', async () => {
  await check('hardlink', async (dir) => {
    await writeFile(join(dir, 'scan.json'), '{}');
    await link(join(dir, 'scan.json'), join(dir, 'scan.sarif'));
    return { report: join(dir, 'scan.json'), sarif: join(dir, 'scan.sarif') };
  });
});
