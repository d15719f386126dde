import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { grypeArgs, readGrypeReport, scanWithGrype } from '../src/scan/engines/grype.ts';
import { applyPolicy } from '../src/scan/policy.ts';
import type { ImmutagError } from '../src/errors.ts';
import { enginePlatform, fakeScanner } from './support/fake-scanner.ts';

const fixture = (name: string) => fileURLToPath(new URL(`./fixtures/scan/grype/${name}`, import.meta.url));
const report = (name: string) => JSON.parse(readFileSync(fixture(name), 'utf8')) as unknown;
const DIGEST = 'sha256:' + 'f'.repeat(64);
const REF = `127.0.0.1:5000/acme/api@${DIGEST}`;

test('a real Grype report reads into findings: severity, CVSS score, fix state, artifact', () => {
  const scan = readGrypeReport(report('image-simple.json'));
  assert.deepEqual(scan.os, { id: 'centos', versionId: '8.0' });
  assert.deepEqual(scan.findings.map((f) => [f.id, f.severity, f.severitySource, f.score, f.fixed, f.package.name, f.package.type, f.installed]), [
    ['CVE-1999-0001', 'low', 'grype Low', 8.2, '1.2.1', 'package-1', 'rpm', '1.1.1'],
    ['CVE-1999-0002', 'critical', 'grype Critical', 8.5, undefined, 'package-2', 'deb', '2.2.2'],
  ]);
  const [one, two] = scan.findings;
  assert.equal(one?.package.path, '/foo/bar/somefile-1.txt');
  assert.deepEqual(two?.package.licenses, ['Apache-2.0', 'MIT']);
  assert.equal(two?.package.purl, 'pkg:deb/package-2@2.2.2');
  assert.equal(scan.packages.length, 2);
  assert.match(scan.notes[0] ?? '', /only the packages it matched/);
});

test('an empty Grype report is a clean scan', () => {
  const scan = readGrypeReport(report('empty.json'));
  assert.deepEqual([scan.findings, scan.packages], [[], []]);
});

test('Grype findings go through the same policy: the unfixed critical fails high unless ignore-unfixed', () => {
  const scan = readGrypeReport(report('image-simple.json'));
  const platform = { platform: 'linux/amd64', manifestDigest: DIGEST, packages: scan.packages, findings: scan.findings, notes: [] };
  assert.deepEqual(applyPolicy([platform], { failOn: 'high', ignoreUnfixed: false }).counts,
    { critical: 1, high: 0, medium: 0, low: 1, unknown: 0, failing: 1 });
  assert.equal(applyPolicy([platform], { failOn: 'high', ignoreUnfixed: true }).verdict, 'pass');
});

test('arguments: oci-dir: for the layout, registry: with the digest; a tag is refused', () => {
  assert.deepEqual(grypeArgs({ kind: 'layout', dir: '/tmp/layout' }, undefined), ['oci-dir:/tmp/layout', '-o', 'json', '--quiet']);
  assert.deepEqual(grypeArgs({ kind: 'registry', reference: `127.0.0.1:5000/acme/api:1.4@${DIGEST}` }, 'linux/arm64'),
    [`registry:${REF}`, '-o', 'json', '--quiet', '--platform', 'linux/arm64']);
  assert.throws(() => grypeArgs({ kind: 'registry', reference: 'acme/api:latest' }, undefined), (e: ImmutagError) => e.code === 'INVALID_REFERENCE');
});

test('the process adapter runs grype and reads its report', async () => {
  const fake = await fakeScanner('grype', { report: fixture('image-simple.json') });
  try {
    const scans = await scanWithGrype({ target: { kind: 'layout', dir: '/tmp/layout' }, platforms: [enginePlatform('unknown', DIGEST)], env: fake.env });
    assert.deepEqual(scans.map((s) => [s.platform, s.findings.length]), [['unknown', 2]]);
    const [args] = await fake.runs();
    assert.match(args![0]!, /^oci-dir:.*immutag-engine-layout-/, 'a private layout of the platform, not the build\'s');
    assert.deepEqual(args!.slice(1, -2), ['-o', 'json', '--quiet']);
    assert.deepEqual(args!.slice(-2).map((a, i) => (i === 0 ? a : a.replace(/.*\//, ''))), ['-c', 'grype.yaml'], 'its own configuration, last');
    assert.deepEqual((await fake.layouts()).map((l) => l?.manifests.map((m) => m.digest)), [[DIGEST]]);
  } finally {
    await fake.cleanup();
  }
});

test('a missing grype says how to install it; a failing grype is SCANNER_FAILED', async () => {
  const none = await fakeScanner('not-grype');
  const failing = await fakeScanner('grype', { exit: 2, stderr: 'could not fetch image' });
  const platforms = [enginePlatform('unknown', DIGEST)];
  try {
    await assert.rejects(scanWithGrype({ target: { kind: 'registry', reference: REF }, platforms, env: none.env }),
      (e: ImmutagError) => e.code === 'SCANNER_FAILED' && /grype is not installed/.test(e.message) && /anchore\/scan-action\/download-grype/.test(e.hint));
    await assert.rejects(scanWithGrype({ target: { kind: 'registry', reference: REF }, platforms, env: failing.env }),
      (e: ImmutagError) => e.code === 'SCANNER_FAILED' && /grype exited with code 2: could not fetch image/.test(e.message));
  } finally {
    await none.cleanup();
    await failing.cleanup();
  }
});
