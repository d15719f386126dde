// Found by a review: GitHub code scanning stores at most 5,000 results of a run ("Results per run:
// 25,000 | Only the top 5,000 results will be included", docs.github.com …/sarif-support-
// for-code-scanning#validating-your-sarif-file; github/docs#38085 reports that the stored
// 5,000 are not in fact chosen by severity). immutag writes results in scan order,
// platform by platform, so a failing finding that only the second platform has lands
// after thousands of non-failing ones and is not among the results code scanning keeps:
// the SARIF validates, the job fails, and code scanning shows no failing alert.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { sarifReport } from '../src/report/files/sarif.ts';
import { applyPolicy } from '../src/scan/policy.ts';
import type { Finding, Package, PlatformScan } from '../src/scan/model.ts';

const LAYER = 'sha256:' + 'e'.repeat(64);
function pkg(name: string): Package {
  return { type: 'npm', name, version: '1.0.0', ecosystem: 'npm', path: `/app/node_modules/${name}/package.json`, layer: LAYER };
}
function finding(id: string, p: Package, severity: Finding['severity']): Finding {
  return { id, aliases: [], summary: id, severity, package: p, installed: p.version, fixed: '1.0.1', url: `https://osv.dev/vulnerability/${id}` };
}

test('SARIF: every failing finding is among the first 5,000 results GitHub stores', () => {
  const low = Array.from({ length: 5200 }, (_, i) => finding(`GHSA-low-${i}`, pkg(`lib${i}`), 'low'));
  const critical = finding('CVE-2099-0001', pkg('only-on-arm'), 'critical');
  const platforms: PlatformScan[] = [
    { platform: 'linux/amd64', manifestDigest: 'sha256:' + '1'.repeat(64), packages: [], findings: low, notes: [] },
    { platform: 'linux/arm64', manifestDigest: 'sha256:' + '2'.repeat(64), packages: [], findings: [...low, critical], notes: [] },
  ];
  const outcome = applyPolicy(platforms, { failOn: 'high', ignoreUnfixed: false });
  assert.equal(outcome.verdict, 'violation');
  const sarif = sarifReport({
    result: { engine: 'osv', digest: 'sha256:' + 'd'.repeat(64), platforms: outcome.platforms },
    counts: outcome.counts, verdict: outcome.verdict, policy: { failOn: 'high', ignoreUnfixed: false },
    imageRef: 'ghcr.io/acme/api:1', now: new Date('2025-01-01T00:00:00Z'),
  }) as any;
  const results = sarif.runs[0].results as any[];
  const stored = results.slice(0, 5000);
  const failingIds = results.filter((r) => r.level === 'error').map((r) => r.ruleId);
  assert.deepEqual(failingIds, ['CVE-2099-0001']);
  assert.ok(stored.some((r) => r.level === 'error'),
    `the only failing result is result #${results.findIndex((r) => r.level === 'error') + 1} of ${results.length}; GitHub keeps 5,000`);
});

test('SARIF: past 5,000 results the rest are left out, failing ones first, and the run says how many', () => {
  const low = Array.from({ length: 5200 }, (_, i) => finding(`GHSA-low-${i}`, pkg(`lib${i}`), 'low'));
  const failing = Array.from({ length: 3 }, (_, i) => finding(`CVE-2099-010${i}`, pkg(`bad${i}`), 'high'));
  const platforms: PlatformScan[] = [{ platform: 'linux/amd64', manifestDigest: 'sha256:' + '1'.repeat(64), packages: [], findings: [...low, ...failing], notes: [] }];
  const outcome = applyPolicy(platforms, { failOn: 'high', ignoreUnfixed: false });
  const sarif = sarifReport({
    result: { engine: 'osv', digest: 'sha256:' + 'd'.repeat(64), platforms: outcome.platforms },
    counts: outcome.counts, verdict: outcome.verdict, policy: { failOn: 'high', ignoreUnfixed: false },
    imageRef: 'ghcr.io/acme/api:1', now: new Date('2025-01-01T00:00:00Z'),
  }) as any;
  const run = sarif.runs[0];
  assert.equal(run.results.length, 5000);
  assert.deepEqual(run.results.slice(0, 3).map((r: any) => [r.ruleId, r.level]), [['CVE-2099-0100', 'error'], ['CVE-2099-0101', 'error'], ['CVE-2099-0102', 'error']]);
  // Every rule a result names is in the file, and no rule without a result.
  assert.equal(run.tool.driver.rules.length, new Set(run.results.map((r: any) => r.ruleId)).size);
  assert.match(run.invocations[0].toolExecutionNotifications[0].message.text, /^203 of 5203 results are not in this file: code scanning keeps 5000 per run/);
});
