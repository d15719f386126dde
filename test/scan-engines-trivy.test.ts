import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { readTrivyReport, scanWithTrivy, trivyArgs } from '../src/scan/engines/trivy.ts';
import { applyIgnoreList, parseIgnoreFile } from '../src/scan/ignore-file.ts';
import { applyPolicy } from '../src/scan/policy.ts';
import type { ImmutagError } from '../src/errors.ts';
import { enginePlatform, fakeScanner } from './support/fake-scanner.ts';

const fixture = (name: string) => fileURLToPath(new URL(`./fixtures/scan/trivy/${name}`, import.meta.url));
const report = (name: string) => JSON.parse(readFileSync(fixture(name), 'utf8')) as unknown;
const DIGEST = 'sha256:' + 'f'.repeat(64);
const REF = `127.0.0.1:5000/acme/api@${DIGEST}`;

test('a real Trivy report (debian-buster) reads into findings with vendor IDs as aliases', () => {
  const scan = readTrivyReport(report('debian-buster.json'));
  assert.deepEqual(scan.os, { id: 'debian', versionId: '10.1' });
  assert.deepEqual(scan.findings.map((f) => [f.id, f.aliases, f.package.name, f.installed, f.fixed, f.severity, f.severitySource, f.score]), [
    ['CVE-2019-18276', [], 'bash', '5.0-4', undefined, 'low', 'trivy LOW (debian)', 7.8],
    ['CVE-2019-18224', ['DSA-4613-1'], 'libidn2-0', '2.0.5-1', '2.0.5-1+deb10u1', 'critical', 'trivy CRITICAL (nvd)', 9.8],
  ]);
  const libidn = scan.findings[1]!;
  assert.equal(libidn.package.ecosystem, 'Debian:10');
  assert.equal(libidn.package.type, 'deb');
  assert.equal(libidn.package.layer, 'sha256:4a56a430b2bac33260d6449e162017e2b23076c6411a17b46db67f5b84dde2bd');
  assert.equal(libidn.package.purl, 'pkg:deb/debian/libidn2-0@2.0.5-1?arch=amd64&distro=debian-10.1');
  assert.equal(libidn.url, 'https://avd.aquasec.com/nvd/cve-2019-18224');
});

test('real Trivy reports: alpine OS packages and an npm lockfile with its package list', () => {
  const alpine = readTrivyReport(report('alpine-310.json'));
  assert.deepEqual(alpine.os?.id, 'alpine');
  assert.ok(alpine.findings.length >= 4);
  assert.ok(alpine.findings.every((f) => f.package.type !== 'apk' || f.package.ecosystem === 'Alpine:v3.10'));
  assert.deepEqual([...new Set(alpine.findings.map((f) => f.severity))], ['medium']);

  const npm = readTrivyReport(report('npm.json'));
  const jquery = npm.findings.find((f) => f.package.name === 'jquery');
  assert.deepEqual([jquery?.id, jquery?.fixed, jquery?.package.type, jquery?.package.ecosystem, jquery?.package.licenses],
    ['CVE-2019-11358', '3.4.0', 'npm', 'npm', ['MIT']]);
  assert.ok(npm.packages.length > npm.findings.length, 'the package list covers every package, not only vulnerable ones');
  assert.ok(npm.packages.some((p) => p.name === 'asap' && p.purl === 'pkg:npm/asap@2.0.6'));
});

test('Trivy findings go through the same ignore file and policy (alias DSA-4613-1 ignores CVE-2019-18224)', () => {
  const scan = readTrivyReport(report('debian-buster.json'));
  const platform = { platform: 'linux/amd64', manifestDigest: DIGEST, packages: scan.packages, findings: scan.findings, notes: [] };
  assert.equal(applyPolicy([platform], { failOn: 'high', ignoreUnfixed: false }).verdict, 'violation');
  const ignored = applyIgnoreList(scan.findings, parseIgnoreFile('DSA-4613-1 # fixed in the next base image\n', 'f'));
  assert.equal(applyPolicy([{ ...platform, findings: ignored.findings }], { failOn: 'high', ignoreUnfixed: false }).verdict, 'pass');
  assert.equal(applyPolicy([platform], { failOn: 'low', ignoreUnfixed: true }).counts.failing, 1, 'the unfixed bash finding does not fail');
});

test('arguments: the layout by --input or the registry by digest; a tag is refused', () => {
  assert.deepEqual(trivyArgs({ kind: 'layout', dir: '/tmp/layout' }, undefined),
    ['image', '--format', 'json', '--quiet', '--scanners', 'vuln', '--list-all-pkgs', '--input', '/tmp/layout']);
  assert.deepEqual(trivyArgs({ kind: 'registry', reference: `127.0.0.1:5000/acme/api:1.4@${DIGEST}` }, 'linux/arm64').slice(-3),
    ['--platform', 'linux/arm64', REF]);
  assert.throws(() => trivyArgs({ kind: 'registry', reference: '127.0.0.1:5000/acme/api:1.4' }, undefined),
    (e: ImmutagError) => e.code === 'INVALID_REFERENCE' && /names no digest/.test(e.message));
});

test('the process adapter runs trivy once per platform and reads its report', async () => {
  const fake = await fakeScanner('trivy', { report: fixture('debian-buster.json') });
  try {
    const platforms = [enginePlatform('linux/amd64', 'sha256:' + '1'.repeat(64)), enginePlatform('linux/arm64/v8', 'sha256:' + '2'.repeat(64))];
    const scans = await scanWithTrivy({ target: { kind: 'registry', reference: REF }, platforms, env: fake.env });
    assert.deepEqual(scans.map((s) => [s.platform, s.manifestDigest, s.findings.length]), [
      ['linux/amd64', 'sha256:' + '1'.repeat(64), 2], ['linux/arm64/v8', 'sha256:' + '2'.repeat(64), 2],
    ]);
    const runs = await fake.runs();
    // Each run names its platform's own manifest, not the index (scan-engines-same-platform-name).
    const repo = REF.slice(0, REF.lastIndexOf('@'));
    assert.deepEqual(runs.map((args) => args.slice(-3)), [
      ['--platform', 'linux/amd64', `${repo}@sha256:${'1'.repeat(64)}`], ['--platform', 'linux/arm64/v8', `${repo}@sha256:${'2'.repeat(64)}`],
    ]);
  } finally {
    await fake.cleanup();
  }
});

test('a missing trivy is SCANNER_FAILED that says how to install it', async () => {
  const fake = await fakeScanner('not-trivy');
  try {
    await assert.rejects(
      scanWithTrivy({ target: { kind: 'layout', dir: '/nonexistent' }, platforms: [enginePlatform('unknown', DIGEST)], env: fake.env }),
      (e: ImmutagError) => e.code === 'SCANNER_FAILED' && /trivy is not installed/.test(e.message) && /aquasecurity\/setup-trivy/.test(e.hint),
    );
  } finally {
    await fake.cleanup();
  }
});

test('a non-zero exit or unreadable output is SCANNER_FAILED, never a verdict', async () => {
  const platforms = [enginePlatform('unknown', DIGEST)];
  const crashing = await fakeScanner('trivy', { exit: 1, stderr: 'FATAL image scan error: unable to find the specified image' });
  const garbage = await fakeScanner('trivy', { report: fixture('../README.md') });
  try {
    await assert.rejects(scanWithTrivy({ target: { kind: 'registry', reference: REF }, platforms, env: crashing.env }),
      (e: ImmutagError) => e.code === 'SCANNER_FAILED' && /trivy exited with code 1: FATAL image scan error/.test(e.message));
    await assert.rejects(scanWithTrivy({ target: { kind: 'registry', reference: REF }, platforms, env: garbage.env }),
      (e: ImmutagError) => e.code === 'SCANNER_FAILED' && /trivy printed output that is not JSON/.test(e.message));
  } finally {
    await crashing.cleanup();
    await garbage.cleanup();
  }
});

// Trivy recognises Fedora and CentOS Stream but has no advisories for them: it exits 0 and
// leaves the OS packages out of Results. For an OS it scans, the os-pkgs result is always there.
test('an OS Trivy detected but did not scan is SCANNER_FAILED, not a clean scan', () => {
  const fedora = {
    SchemaVersion: 2, ArtifactType: 'container_image', Metadata: { OS: { Family: 'fedora', Name: '40' } },
    Results: [{ Target: 'usr/lib/node_modules/npm/node_modules/semver/package.json', Class: 'lang-pkgs', Type: 'node-pkg',
      Packages: [{ ID: 'semver@7.6.0', Name: 'semver', Version: '7.6.0' }] }],
  };
  const { Results: _, ...bare } = fedora;
  for (const json of [fedora, bare]) {
    assert.throws(() => readTrivyReport(json), (e: ImmutagError) => e.code === 'SCANNER_FAILED' && /fedora 40/.test(e.message) && /OS packages/.test(e.message));
  }
  const empty = { SchemaVersion: 2, Metadata: { OS: { Family: 'alpine', Name: '3.20.0' } }, Results: [{ Target: 'x (alpine 3.20.0)', Class: 'os-pkgs', Type: 'alpine' }] };
  assert.deepEqual(readTrivyReport(empty).findings, [], 'an OS it scanned, with nothing found, is a scan');
});

test('Trivy\'s UNKNOWN severity takes the worst vendor rating, else the CVSS score, as the other engines fall back', () => {
  const vuln = (extra: Record<string, unknown>) => ({ SchemaVersion: 2, Metadata: { OS: { Family: 'ubuntu', Name: '24.04' } },
    Results: [{ Target: 'app (ubuntu 24.04)', Class: 'os-pkgs', Type: 'ubuntu', Vulnerabilities: [{
      VulnerabilityID: 'CVE-2024-99999', PkgName: 'libexample1', InstalledVersion: '1.0-1', Status: 'affected', SeveritySource: 'ubuntu', Severity: 'UNKNOWN', ...extra }] }] });
  const [byVendor] = readTrivyReport(vuln({ VendorSeverity: { nvd: 4, ubuntu: 0 } })).findings;
  assert.equal(byVendor?.severity, 'critical');
  assert.match(byVendor?.severitySource ?? '', /UNKNOWN.*nvd/);
  const [byScore] = readTrivyReport(vuln({ CVSS: { nvd: { V3Score: 7.5 } } })).findings;
  assert.equal(byScore?.severity, 'high');
  const [none] = readTrivyReport(vuln({})).findings;
  assert.equal(none?.severity, 'unknown');
});
