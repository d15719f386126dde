// Trivy's FixedVersion lists every fix, one per release branch ("2.12.7.1, 2.13.4.1"),
// and the trivy engine showed that text as the finding's fixed version, while the osv and
// grype engines show the one fix to upgrade to. Now trivy's finding names the lowest fix
// above the installed version too, and keeps Trivy's text when none is above.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readTrivyReport } from '../src/scan/engines/trivy.ts';

const report = (fixed: string, installed = '2.13.3') => ({
  SchemaVersion: 2,
  Results: [{
    Target: 'app/lib/jackson-databind-2.13.3.jar', Class: 'lang-pkgs', Type: 'jar',
    Vulnerabilities: [{ VulnerabilityID: 'CVE-2022-42003', PkgName: 'com.fasterxml.jackson.core:jackson-databind', InstalledVersion: installed, FixedVersion: fixed, Severity: 'HIGH' }],
  }],
});

test('trivy: the fixed version shown is the lowest fix above the installed one', () => {
  assert.equal(readTrivyReport(report('2.12.7.1, 2.13.4.1, 2.14.0')).findings[0]!.fixed, '2.13.4.1');
});

test('trivy: with no fix above the installed version, Trivy\'s text stands', () => {
  assert.equal(readTrivyReport(report('2.12.7.1')).findings[0]!.fixed, '2.12.7.1');
});

test('trivy: an RPM fix without the installed epoch is still above it', () => {
  const scan = readTrivyReport({ SchemaVersion: 2, Metadata: { OS: { Family: 'amazon', Name: '2' } }, Results: [{
    Target: 'img (amazon 2)', Class: 'os-pkgs', Type: 'amazon',
    Vulnerabilities: [{ VulnerabilityID: 'CVE-2023-0286', PkgName: 'openssl-libs', InstalledVersion: '1:1.0.2k-24.amzn2.0.6', FixedVersion: '1.0.2k-24.amzn2.0.7', Severity: 'HIGH' }],
  }] });
  assert.equal(scan.findings[0]!.fixed, '1.0.2k-24.amzn2.0.7');
});
