// Found by a review, fixed since: an advisory that names several vulnerabilities stands
// alone for any no other record covers, "rated by the worst of those" (README, "The
// built-in scanner"). A bundle that carried a rating of its own (a RUSTSEC or GHSA
// aliasing two CVEs, with its own CVSS vector) was rated by that alone: the named CVE
// whose record is critical was never consulted, so the image passed fail-on: high. Had
// that CVE's own record matched the package, it would have been its own critical finding.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { findingsFromMatches } from '../src/scan/findings.ts';
import { applyPolicy } from '../src/scan/policy.ts';
import type { Package } from '../src/scan/model.ts';
import type { OsvRecord } from '../src/scan/osv/record.ts';

const crate: Package = { type: 'cargo', name: 'libsqlite3-sys', version: '0.15.0', ecosystem: 'crates.io', path: 'app', layer: 'sha256:' + 'a'.repeat(64) };
const MEDIUM = [{ type: 'CVSS_V3', score: 'CVSS:3.1/AV:N/AC:H/PR:N/UI:R/S:U/C:L/I:L/A:N' }]; // 4.2
const CRITICAL = [{ type: 'CVSS_V3', score: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H' }]; // 9.8
const bundle = { id: 'RUSTSEC-2020-0014', aliases: ['CVE-2020-35866', 'CVE-2020-35868'], severity: MEDIUM } as OsvRecord;
const records = new Map<string, OsvRecord>([
  ['CVE-2020-35866', { id: 'CVE-2020-35866', severity: MEDIUM } as OsvRecord],
  ['CVE-2020-35868', { id: 'CVE-2020-35868', severity: CRITICAL } as OsvRecord],
]);
const verdict = (findings: Awaited<ReturnType<typeof findingsFromMatches>>) =>
  applyPolicy([{ platform: 'unknown', manifestDigest: 'sha256:' + 'b'.repeat(64), packages: [crate], findings, notes: [] }], { failOn: 'high', ignoreUnfixed: false }).verdict;

test('control: when the critical CVE\'s own record matches, it is a critical finding and the image fails', async () => {
  const critical = { ...records.get('CVE-2020-35868')!, affected: [] } as OsvRecord;
  const findings = await findingsFromMatches([{ package: crate, record: bundle, fixed: '0.19.0' }, { package: crate, record: critical, fixed: '0.19.0' }], async (id) => records.get(id));
  assert.equal(findings.find((f) => f.id === 'CVE-2020-35868')?.severity, 'critical');
  assert.equal(verdict(findings), 'violation');
});

test('a bundle standing alone with a rating of its own is still rated by the worst vulnerability it names', async () => {
  const findings = await findingsFromMatches([{ package: crate, record: bundle, fixed: '0.19.0' }], async (id) => records.get(id));
  const standing = findings.find((f) => f.id === 'RUSTSEC-2020-0014');
  assert.deepEqual(standing?.names, ['CVE-2020-35866', 'CVE-2020-35868']);
  assert.equal(standing?.severity, 'critical', `rated ${standing?.severity} by ${standing?.severitySource}, though it stands for CVE-2020-35868 (CVSS 9.8)`);
  assert.equal(verdict(findings), 'violation');
});
