import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { jsonReport, JSON_REPORT_SCHEMA } from '../src/report/files/json.ts';
import { writeReports } from '../src/report/files/write.ts';
import type { ImmutagError } from '../src/errors.ts';
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
    const written = await writeReports({ report: join(dir, 'out/report.json'), sarif: join(dir, 'x.sarif'), sbom: '  ' }, ctx);
    assert.deepEqual(Object.keys(written), ['report', 'sarif']);
    assert.equal(JSON.parse(await readFile(written.report!, 'utf8')).schema, JSON_REPORT_SCHEMA);
    assert.equal(JSON.parse(await readFile(written.sarif!, 'utf8')).version, '2.1.0');

    await writeFile(join(dir, 'file'), '');
    await assert.rejects(writeReports({ sbom: join(dir, 'file', 'sbom.json') }, ctx),
      (e: ImmutagError) => e.code === 'INVALID_INPUT' && /cannot write the sbom file/.test(e.message));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
