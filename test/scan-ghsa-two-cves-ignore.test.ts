// README: "an advisory that names several [vulnerabilities], in `upstream` or `aliases` ...
// is listed under each of them ... and accepting one CVE in the ignore file accepts that one
// only." findings.ts exempted GHSA (and CVE) records from that rule (namedIds), so a GHSA
// whose aliases named two CVEs was one finding known by both, and accepting one CVE
// accepted the other with it: the job passed with CVE-2024-0002 (critical) never accepted.
// Such a GHSA now names two vulnerabilities like any advisory, and the job fails; the grype
// engine, which exempted a GHSA relating two CVEs the same way, agrees.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readGrypeReport } from '../src/scan/engines/grype.ts';
import { findingsFromMatches } from '../src/scan/findings.ts';
import { applyIgnoreList, parseIgnoreFile } from '../src/scan/ignore-file.ts';
import { applyPolicy } from '../src/scan/policy.ts';
import type { Package } from '../src/scan/model.ts';

const pkg: Package = { type: 'npm', name: 'example', version: '1.0.0', ecosystem: 'npm', path: 'app/node_modules/example/package.json', layer: 'sha256:' + 'a'.repeat(64) };
const ghsa = {
  id: 'GHSA-aaaa-bbbb-cccc', aliases: ['CVE-2024-0001', 'CVE-2024-0002'], summary: 'two flaws fixed in 1.0.1',
  severity: [{ type: 'CVSS_V3', score: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H' }],
  affected: [{ package: { ecosystem: 'npm', name: 'example' }, ranges: [{ type: 'SEMVER', events: [{ introduced: '0' }, { fixed: '1.0.1' }] }] }],
};

test('accepting one CVE of a GHSA that names two does not accept the other', async () => {
  const findings = await findingsFromMatches([{ package: pkg, record: ghsa, fixed: '1.0.1' }], async () => undefined);
  const { findings: marked } = applyIgnoreList(findings, parseIgnoreFile('CVE-2024-0001 # not reachable in our use\n', '.immutagignore'));
  const outcome = applyPolicy([{ platform: 'linux/amd64', manifestDigest: 'sha256:' + 'b'.repeat(64), packages: [pkg], findings: marked, notes: [] }], { failOn: 'high', ignoreUnfixed: false });
  assert.equal(outcome.verdict, 'violation', `verdict ${outcome.verdict}: ${marked.map((f) => `${f.id} [${f.aliases.join(', ')}] ignored=${f.ignored?.reason ?? 'no'}`).join('; ')}`);
});

test('grype: accepting one CVE of a GHSA related to two does not accept the other', () => {
  const scan = readGrypeReport({ matches: [{
    vulnerability: { id: ghsa.id, severity: 'Critical', fix: { versions: ['1.0.1'], state: 'fixed' } },
    relatedVulnerabilities: [{ id: 'CVE-2024-0001', severity: 'Low' }, { id: 'CVE-2024-0002', severity: 'Critical' }],
    artifact: { name: 'example', version: '1.0.0', type: 'npm' },
  }] });
  const { findings: marked } = applyIgnoreList(scan.findings, parseIgnoreFile('CVE-2024-0001 # not reachable in our use\n', '.immutagignore'));
  const outcome = applyPolicy([{ platform: 'linux/amd64', manifestDigest: 'sha256:' + 'b'.repeat(64), packages: scan.packages, findings: marked, notes: [] }], { failOn: 'high', ignoreUnfixed: false });
  assert.equal(outcome.verdict, 'violation', marked.map((f) => `${f.id} [${f.aliases.join(', ')}] ignored=${f.ignored?.reason ?? 'no'}`).join('; '));
});
