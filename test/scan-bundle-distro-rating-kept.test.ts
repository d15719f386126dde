// Found by a review, fixed since: when an advisory standing alone came to be rated by the
// worst of its own rating and those of the CVEs it names, a distribution's advisory (a
// USN, a DSA, an ALSA) had its own rating (Ubuntu priority, Debian urgency, Red Hat's word)
// overridden by the named CVE's NVD vector, though the README puts the distribution's
// rating first: bash CVE-2019-18276 (NVD 7.8, Ubuntu low) failed fail-on: high. Only
// another distribution rating of a named CVE may raise it now.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { findingsFromMatches } from '../src/scan/findings.ts';
import { applyPolicy } from '../src/scan/policy.ts';
import type { Package } from '../src/scan/model.ts';
import type { OsvRecord } from '../src/scan/osv/record.ts';

const bash: Package = { type: 'deb', name: 'bash', version: '5.0-6ubuntu1', sourceName: 'bash', sourceVersion: '5.0-6ubuntu1', ecosystem: 'Ubuntu:20.04:LTS', path: 'var/lib/dpkg/status', layer: 'sha256:' + 'a'.repeat(64) };
const HIGH = [{ type: 'CVSS_V3', score: 'CVSS:3.1/AV:L/AC:L/PR:L/UI:N/S:U/C:H/I:H/A:H' }]; // 7.8
const usn = {
  id: 'USN-5380-1', summary: 'bash vulnerabilities', upstream: ['CVE-2019-18276', 'CVE-2019-18277'],
  severity: [{ type: 'Ubuntu', score: 'low' }],
  affected: [{ package: { ecosystem: 'Ubuntu:20.04:LTS', name: 'bash' } }],
} as OsvRecord;
const records = new Map<string, OsvRecord>([
  ['CVE-2019-18276', { id: 'CVE-2019-18276', severity: HIGH } as OsvRecord],
  ['CVE-2019-18277', { id: 'CVE-2019-18277' } as OsvRecord],
]);

test('a distribution advisory standing alone keeps the distribution\'s rating over a named CVE\'s NVD vector', async () => {
  const findings = await findingsFromMatches([{ package: bash, record: usn, fixed: '5.0-6ubuntu1.2' }], async (id) => records.get(id));
  const standing = findings.find((f) => f.id === 'USN-5380-1');
  assert.deepEqual(standing?.names, ['CVE-2019-18276', 'CVE-2019-18277']);
  assert.equal(standing?.severity, 'low', `rated ${standing?.severity} by "${standing?.severitySource}" over Ubuntu's own priority low`);
  const verdict = applyPolicy([{ platform: 'linux/amd64', manifestDigest: 'sha256:' + 'b'.repeat(64), packages: [bash], findings, notes: [] }], { failOn: 'high', ignoreUnfixed: false }).verdict;
  assert.equal(verdict, 'pass');
});
