import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applyPolicy, failsPolicy, parseFailOn, type FailOn } from '../src/scan/policy.ts';
import type { Finding, Package, PlatformScan, Severity } from '../src/scan/model.ts';
import type { ImmutagError } from '../src/errors.ts';
import { countFindings } from '../src/report/finding-list.ts';

const PKG: Package = { type: 'deb', name: 'openssl', version: '3.0.9-1', ecosystem: 'Debian:12', path: 'var/lib/dpkg/status', layer: 'sha256:' + 'b'.repeat(64) };

function finding(severity: Severity, fixed?: string, over: Partial<Finding> = {}): Finding {
  const f: Finding = { id: `CVE-${severity}`, aliases: [], summary: '', severity, package: PKG, installed: PKG.version, ...over };
  if (fixed) f.fixed = fixed;
  return f;
}

const SEVERITIES: Severity[] = ['critical', 'high', 'medium', 'low', 'unknown'];

// Rows: fail-on; columns: critical high medium low unknown. 1 = fails.
const TABLE: Record<FailOn, number[]> = {
  critical: [1, 0, 0, 0, 0],
  high: [1, 1, 0, 0, 0],
  medium: [1, 1, 1, 0, 0],
  low: [1, 1, 1, 1, 1],
  none: [0, 0, 0, 0, 0],
};

test('fail-on × severity, for fixed findings, with and without ignore-unfixed', () => {
  for (const [failOn, row] of Object.entries(TABLE) as [FailOn, number[]][]) {
    for (const ignoreUnfixed of [false, true]) {
      const got = SEVERITIES.map((s) => (failsPolicy(finding(s, '3.0.11-1'), { failOn, ignoreUnfixed }) ? 1 : 0));
      assert.deepEqual(got, row, `fail-on ${failOn}, ignore-unfixed ${ignoreUnfixed}`);
    }
  }
});

test('fail-on × severity for unfixed findings: ignore-unfixed makes none of them fail', () => {
  for (const [failOn, row] of Object.entries(TABLE) as [FailOn, number[]][]) {
    const strict = SEVERITIES.map((s) => (failsPolicy(finding(s), { failOn, ignoreUnfixed: false }) ? 1 : 0));
    const lenient = SEVERITIES.map((s) => (failsPolicy(finding(s), { failOn, ignoreUnfixed: true }) ? 1 : 0));
    assert.deepEqual(strict, row, `fail-on ${failOn}`);
    assert.deepEqual(lenient, [0, 0, 0, 0, 0], `fail-on ${failOn} with ignore-unfixed`);
  }
});

test('an ignored finding never fails', () => {
  const ignored = finding('critical', '1', { ignored: { reason: 'accepted' } });
  assert.equal(failsPolicy(ignored, { failOn: 'low', ignoreUnfixed: false }), false);
});

test('applyPolicy marks findings, counts distinct vulnerabilities across platforms, and gives the verdict', () => {
  const amd64: PlatformScan = {
    platform: 'linux/amd64', manifestDigest: 'sha256:' + '1'.repeat(64), packages: [PKG], notes: [],
    findings: [finding('critical', '3.0.11-1'), finding('high'), finding('low', '1'), finding('medium', '1', { ignored: { reason: 'x' } })],
  };
  const arm64: PlatformScan = { ...amd64, platform: 'linux/arm64', manifestDigest: 'sha256:' + '2'.repeat(64),
    findings: [finding('critical', '3.0.11-1'), finding('unknown')] };

  const high = applyPolicy([amd64, arm64], { failOn: 'high', ignoreUnfixed: false });
  assert.deepEqual(high.counts, { critical: 1, high: 1, medium: 0, low: 1, unknown: 1, failing: 2 });
  assert.equal(high.verdict, 'violation');
  assert.deepEqual(high.platforms[0]?.findings.map((f) => f.failsPolicy), [true, true, false, false]);
  assert.deepEqual(high.platforms[1]?.findings.map((f) => f.failsPolicy), [true, false]);
  assert.equal(amd64.findings[0]?.failsPolicy, undefined, 'the input is not modified');

  const unfixed = applyPolicy([amd64, arm64], { failOn: 'high', ignoreUnfixed: true });
  assert.equal(unfixed.counts.failing, 1);
  assert.equal(unfixed.verdict, 'violation');

  const none = applyPolicy([amd64, arm64], { failOn: 'none', ignoreUnfixed: false });
  assert.deepEqual([none.counts.failing, none.verdict], [0, 'pass']);
  assert.equal(none.counts.critical, 1, 'counts are reported whatever the policy');

  const low = applyPolicy([arm64], { failOn: 'low', ignoreUnfixed: false });
  assert.deepEqual([low.counts.failing, low.verdict], [2, 'violation'], 'unknown fails under fail-on low');
});

test('parseFailOn accepts the documented values in any case and refuses others', () => {
  assert.deepEqual(['critical', 'HIGH', ' Medium ', 'low', 'none'].map(parseFailOn), ['critical', 'high', 'medium', 'low', 'none']);
  assert.throws(() => parseFailOn('moderate'), (e: ImmutagError) => e.code === 'INVALID_INPUT' && /critical, high, medium, low, none/.test(e.message));
});

test('one count: a package found under two metadata paths is one finding, in the policy counts and in the report', () => {
  // The same requests 2.19.0 recorded twice (a .dist-info beside a leftover .egg-info).
  const base = { id: 'GHSA-j8r2-6x86-q33q', aliases: [], summary: '', severity: 'medium' as Severity, installed: '2.19.0', fixed: '2.31.0' };
  const at = (path: string): Finding => ({ ...base, package: { type: 'pypi', name: 'requests', version: '2.19.0', ecosystem: 'PyPI', path, layer: 'sha256:' + 'a'.repeat(64) } });
  const platform: PlatformScan = {
    platform: 'linux/amd64', manifestDigest: 'sha256:' + '1'.repeat(64), packages: [], notes: [],
    findings: [at('usr/lib/python3/dist-packages/requests-2.19.0.dist-info/METADATA'), at('usr/lib/python3/dist-packages/requests-2.19.0.egg-info/PKG-INFO')],
  };
  const outcome = applyPolicy([platform], { failOn: 'medium', ignoreUnfixed: false });
  assert.equal(outcome.counts.medium, 1);
  assert.equal(outcome.counts.failing, 1);
  const reported = countFindings({ engine: 'osv', digest: 'sha256:' + 'd'.repeat(64), platforms: outcome.platforms });
  assert.deepEqual(reported, outcome.counts, 'the summary, final line and comment count as the JSON report does');
});
