// grype rates a match `Unknown` when its provider gave no severity word, though the match
// carries a CVSS base score (vulnerability.cvss). The osv engine rates from the vector, and
// the trivy engine rates an UNKNOWN "else by the CVSS score" (README); the grype engine
// only consults relatedVulnerabilities, so a 9.8 with no related record stays `unknown`
// and passes fail-on: high.
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
