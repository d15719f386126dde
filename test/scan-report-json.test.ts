import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { jsonReport, JSON_REPORT_SCHEMA } from '../src/report/files/json.ts';
import { reportWriteError, writeReports } from '../src/report/files/write.ts';
import { sampleContext } from './support/scan-context.ts';

type Json = Record<string, any>;

test('the JSON report: digest, engine, per-platform package counts, findings, counts, policy', async () => {
  const report = jsonReport(await sampleContext()) as Json;
  assert.equal(report.schema, JSON_REPORT_SCHEMA);
  assert.deepEqual(report.image, { name: '127.0.0.1:5000/acme/api', reference: '127.0.0.1:5000/acme/api:1.4.2', digest: 'sha256:' + 'd'.repeat(64) });
  assert.equal(report.engine, 'osv');
  assert.deepEqual(report.policy, { failOn: 'high', ignoreUnfixed: false, ignoreFile: '.immutag-ignore' });
  assert.equal(report.verdict, 'violation');
  assert.deepEqual(report.counts, { critical: 1, high: 0, medium: 1, low: 1, unknown: 1, failing: 1 });
  assert.deepEqual(report.platforms.map((p: Json) => [p.platform, p.packages, p.findings.length, p.notes]), [
    ['linux/amd64', 4, 5, ['rpm: no rpm database']], ['linux/arm64/v8', 4, 5, ['rpm: no rpm database']],
  ]);
  const ghsa = report.platforms[0].findings.find((f: Json) => f.id === 'GHSA-838r-hvwh-24h8');
  assert.deepEqual([ghsa.severity, ghsa.score, ghsa.fixed, ghsa.failsPolicy, ghsa.package.name], ['critical', 9.1, '2.5', true, '@acme/any23-bridge']);
  const dsa = report.platforms[0].findings.find((f: Json) => f.id === 'DSA-3029-1');
  assert.equal(dsa.severitySource, 'alias CVE-2014-3616: CVSS_V2 4.3');
  assert.match(dsa.ignored.reason, /TLS session cache is not shared/);
});

test('writeReports writes the requested files only, creating directories, and returns absolute paths', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'immutag-reports-'));
  try {
    const ctx = await sampleContext();
    const { written, failures } = await writeReports({ report: join(dir, 'out/report.json'), sarif: join(dir, 'x.sarif'), sbom: '  ' }, ctx);
    assert.deepEqual(Object.keys(written), ['report', 'sarif']);
    assert.deepEqual(failures, []);
    assert.equal(JSON.parse(await readFile(written.report!, 'utf8')).schema, JSON_REPORT_SCHEMA);
    assert.equal(JSON.parse(await readFile(written.sarif!, 'utf8')).version, '2.1.0');

    await writeFile(join(dir, 'file'), '');
    const bad = join(dir, 'file', 'sbom.json');
    const failed = await writeReports({ sbom: bad }, ctx);
    assert.deepEqual(failed.written, {});
    assert.deepEqual(failed.failures.map((f) => [f.kind, f.path, f.error.code]), [['sbom', bad, 'INVALID_INPUT']]);
    assert.ok(failed.failures[0]!.error.message.startsWith(`cannot write the sbom file ${bad}: E`), failed.failures[0]!.error.message);
    assert.equal(reportWriteError(failed.failures), failed.failures[0]!.error);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('writeReports: a file that cannot be written does not stop the others, and each failure is named', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'immutag-reports-'));
  try {
    const ctx = await sampleContext();
    await mkdir(join(dir, 'sarif-is-a-directory'));
    await mkdir(join(dir, 'sbom-is-a-directory'));
    const paths = { report: join(dir, 'report.json'), sarif: join(dir, 'sarif-is-a-directory'), sbom: join(dir, 'sbom-is-a-directory') };
    const { written, failures } = await writeReports(paths, ctx);
    assert.deepEqual(written, { report: paths.report });
    assert.equal(JSON.parse(await readFile(paths.report, 'utf8')).schema, JSON_REPORT_SCHEMA);
    assert.deepEqual(failures.map((f) => [f.kind, f.path]), [['sarif', paths.sarif], ['sbom', paths.sbom]]);
    const error = reportWriteError(failures);
    assert.equal(error?.code, 'INVALID_INPUT');
    assert.match(error?.message ?? '', /^cannot write 2 report files: cannot write the sarif file .*sarif-is-a-directory: EISDIR.*; cannot write the sbom file .*sbom-is-a-directory: EISDIR/);
    assert.match(error?.hint ?? '', /sarif and sbom inputs/);
    assert.equal(reportWriteError([]), undefined);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
