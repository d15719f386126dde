// grype's fix.versions lists every fix the record names, one per release branch
// (jackson-databind GHSA-jjjh-jjxp-wpff: 2.12.7.1 and 2.13.4.1). The grype engine reported
// versions[0] as the finding's fixed version even when it was below the installed one, so
// a 2.13.3 user was told to "upgrade" to 2.12.7.1, a downgrade to a branch they do not use.
// Now it reports the lowest fix above the installed version, as the osv engine does, and
// grype's own suggestion where none is above or the versions cannot be ordered, else
// grype's list as written: grype says a fix exists, so the finding is never left looking
// unfixed (which ignore-unfixed would drop).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readGrypeReport } from '../src/scan/engines/grype.ts';
import { compareMaven } from '../src/scan/version/index.ts';
import { applyPolicy } from '../src/scan/policy.ts';

test('grype: the fixed version reported is one above the installed version', () => {
  const scan = readGrypeReport({
    matches: [{
      vulnerability: { id: 'GHSA-jjjh-jjxp-wpff', severity: 'High', fix: { versions: ['2.12.7.1', '2.13.4.1'], state: 'fixed' } },
      relatedVulnerabilities: [{ id: 'CVE-2022-42003', severity: 'High' }],
      artifact: { name: 'jackson-databind', version: '2.13.3', type: 'java-archive', locations: [{ path: '/app/lib/jackson-databind-2.13.3.jar' }] },
    }],
  });
  const f = scan.findings[0]!;
  assert.ok(f.fixed !== undefined && compareMaven(f.fixed, f.installed) > 0, `installed ${f.installed}, reported fixed ${f.fixed}`);
});

test('grype: with no fix above the installed version, grype\'s own suggestion stands, else its list', () => {
  const match = (details: unknown[]) => ({
    vulnerability: { id: 'GHSA-jjjh-jjxp-wpff', severity: 'High', fix: { versions: ['2.12.7.1'], state: 'fixed' } },
    matchDetails: details,
    artifact: { name: 'jackson-databind', version: '2.13.3', type: 'java-archive' },
  });
  const suggested = readGrypeReport({ matches: [match([{ fix: { suggestedVersion: '2.13.4.2' } }])] });
  assert.equal(suggested.findings[0]!.fixed, '2.13.4.2');
  const listed = readGrypeReport({ matches: [match([])] }).findings[0]!;
  assert.equal(listed.fixed, '2.12.7.1');
  // grype said fixed: under ignore-unfixed the finding still counts.
  assert.equal(applyPolicy([{ platform: 'unknown', manifestDigest: `sha256:${'1'.repeat(64)}`, packages: [listed.package], findings: [listed], notes: [] }],
    { failOn: 'high', ignoreUnfixed: true }).verdict, 'violation');
});

test('grype: an RPM fix without the epoch the installed version carries is still the fix', () => {
  const scan = readGrypeReport({ distro: { name: 'amzn', version: '2' }, matches: [{
    vulnerability: { id: 'ALAS2-2023-2050', severity: 'High', fix: { versions: ['1.0.2k-24.amzn2.0.7'], state: 'fixed' } },
    artifact: { name: 'openssl-libs', version: '1:1.0.2k-24.amzn2.0.6', type: 'rpm' },
  }] });
  assert.equal(scan.findings[0]!.fixed, '1.0.2k-24.amzn2.0.7');
});
