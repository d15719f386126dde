// An advisory that fixes many CVEs and carries no rating of its own (SUSE-SU, openSUSE-SU,
// Mageia MGASA kernel updates list dozens) stands alone as a finding "rated by the worst of"
// what it stands for (README). findings.ts looked up only the first 10 of those IDs, so a
// critical CVE listed 11th was never consulted and the finding passed fail-on: high. Every
// alias is consulted now (a few at a time), and the critical one decides.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { findingsFromMatches } from '../src/scan/findings.ts';
import { applyPolicy } from '../src/scan/policy.ts';
import type { Package } from '../src/scan/model.ts';
import type { OsvRecord } from '../src/scan/osv/record.ts';

const pkg: Package = { type: 'rpm', name: 'kernel-default', version: '5.14.21-150500.55.39.1', ecosystem: 'SUSE:Linux Enterprise Server 15 SP5', path: 'usr/lib/sysimage/rpm/rpmdb.sqlite', layer: 'sha256:' + 'a'.repeat(64) };
const cves = Array.from({ length: 12 }, (_, i) => `CVE-2024-${String(26000 + i)}`);
const advisory: OsvRecord = {
  id: 'SUSE-SU-2024:1234-1', summary: 'Security update for the Linux Kernel', aliases: cves,
  affected: [{ package: { ecosystem: 'SUSE:Linux Enterprise Server 15 SP5', name: 'kernel-default' }, ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '0' }, { fixed: '5.14.21-150500.55.44.1' }] }] }],
};
const LOW = 'CVSS:3.1/AV:L/AC:H/PR:H/UI:R/S:U/C:L/I:N/A:N';
const CRITICAL = 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H';
const record = (id: string): OsvRecord => ({ id, severity: [{ type: 'CVSS_V3', score: id === cves[11] ? CRITICAL : LOW }] });

test('a standalone advisory is rated by the worst CVE it fixes, however many it lists', async () => {
  const looked: string[] = [];
  const findings = await findingsFromMatches([{ package: pkg, record: advisory, fixed: '5.14.21-150500.55.44.1' }], async (id) => {
    looked.push(id);
    return cves.includes(id) ? record(id) : undefined;
  });
  assert.equal(findings.length, 1);
  const outcome = applyPolicy([{ platform: 'linux/amd64', manifestDigest: 'sha256:' + 'b'.repeat(64), packages: [pkg], findings, notes: [] }], { failOn: 'high', ignoreUnfixed: false });
  assert.equal(findings[0]!.severity, 'critical', `rated ${findings[0]!.severity} (${findings[0]!.severitySource}); looked up ${looked.length} of ${cves.length}: ${cves[11]} (critical) never consulted`);
  assert.equal(outcome.verdict, 'violation');
});
