// grype rates a match `Unknown` when its provider gave no severity word, though the match
// may carry a CVSS base score (vulnerability.cvss). The osv engine rates from the vector and
// the trivy engine rates an UNKNOWN "else by the CVSS score" (README), but the grype engine
// consulted only the related records' severity words, so a 9.8 with no rated related record
// stayed `unknown` and passed fail-on: high. Now the match's own score rates it, else the
// worst related record's score, and severitySource says which.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readGrypeReport } from '../src/scan/engines/grype.ts';
import { applyPolicy } from '../src/scan/policy.ts';

const report = {
  distro: { name: 'debian', version: '12' },
  matches: [{
    vulnerability: {
      id: 'CVE-2024-99999', severity: 'Unknown', dataSource: 'https://security-tracker.debian.org/tracker/CVE-2024-99999',
      cvss: [{ source: 'nvd@nist.gov', type: 'Primary', version: '3.1', vector: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H', metrics: { baseScore: 9.8 } }],
      fix: { versions: [], state: 'not-fixed' },
    },
    relatedVulnerabilities: [],
    artifact: { name: 'libexample1', version: '1.0-1', type: 'deb', locations: [{ path: '/var/lib/dpkg/status' }], upstreams: [{ name: 'example' }] },
  }],
};

test('grype: an Unknown match with a CVSS 9.8 base score is rated critical, as trivy\'s and osv\'s are', () => {
  const scan = readGrypeReport(report);
  const f = scan.findings[0]!;
  assert.equal(f.score, 9.8);
  const outcome = applyPolicy([{ platform: 'linux/amd64', manifestDigest: 'sha256:' + 'a'.repeat(64), packages: scan.packages, findings: scan.findings, notes: [] }], { failOn: 'high', ignoreUnfixed: false });
  assert.equal(f.severity, 'critical', `severity ${f.severity} (${f.severitySource}) with score ${f.score}; verdict ${outcome.verdict}`);
  assert.equal(outcome.verdict, 'violation');
});

test('grype: an Unknown match with no score of its own is rated by a related record\'s CVSS score', () => {
  const [match] = report.matches;
  const scan = readGrypeReport({ matches: [{
    ...match!,
    vulnerability: { ...match!.vulnerability, cvss: [] },
    relatedVulnerabilities: [{ id: 'CVE-2024-99999', cvss: [{ version: '3.1', metrics: { baseScore: 7.5 } }] }],
  }] });
  const f = scan.findings[0]!;
  assert.equal(f.severity, 'high', f.severitySource);
  assert.equal(f.score, 7.5);
  assert.match(f.severitySource ?? '', /CVSS 7\.5 \(CVE-2024-99999\)/);
});
