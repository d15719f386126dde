// An advisory that names two or more vulnerabilities (a GHSA aliasing two CVEs, a DSA
// fixing several) is a bundle: listed under each CVE's finding, and standing alone, known
// by its own ID only, for those no record of their own covers. That kept "accepting one
// CVE hides the other" away, but the finding standing alone had empty aliases, so an
// ignore file accepting BOTH CVEs (a .trivyignore lists CVE IDs, as Trivy reports them)
// no longer accepted it: a false failure, in the osv and grype engines alike (and for a
// DSA/USN standing alone before that), and the report did not say which CVEs it covered.
// Now such a finding records what it names (Finding.names); the ignore file accepts it by
// its own ID, or when active entries accept every one it names, never by some of them;
// the reports (list, JSON, SARIF) show the names.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readGrypeReport } from '../src/scan/engines/grype.ts';
import { findingsFromMatches } from '../src/scan/findings.ts';
import { applyIgnoreList, parseIgnoreFile } from '../src/scan/ignore-file.ts';
import { applyPolicy } from '../src/scan/policy.ts';
import type { Finding, Package } from '../src/scan/model.ts';
import type { FailOn } from '../src/scan/policy.ts';
import { findingRow, groupFindings } from '../src/report/finding-list.ts';
import { jsonReport } from '../src/report/files/json.ts';
import { sarifReport } from '../src/report/files/sarif.ts';

const pkg: Package = { type: 'npm', name: 'example', version: '1.0.0', ecosystem: 'npm', path: 'app/node_modules/example/package.json', layer: 'sha256:' + 'a'.repeat(64) };
const ghsa = {
  id: 'GHSA-aaaa-bbbb-cccc', aliases: ['CVE-2024-0001', 'CVE-2024-0002'], summary: 'two flaws fixed in 1.0.1',
  severity: [{ type: 'CVSS_V3', score: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H' }],
  affected: [{ package: { ecosystem: 'npm', name: 'example' }, ranges: [{ type: 'SEMVER', events: [{ introduced: '0' }, { fixed: '1.0.1' }] }] }],
};
const both = 'CVE-2024-0001 exp:2099-01-01\nCVE-2024-0002 exp:2099-01-01\n';
const onlyFirst = 'CVE-2024-0001 exp:2099-01-01 # not reachable\n';
const secondExpired = 'CVE-2024-0001 exp:2099-01-01\nCVE-2024-0002 exp:2020-01-01\n';
const describe = (fs: Finding[]) => fs.map((f) => `${f.id} [${f.aliases.join(', ')}] names [${(f.names ?? []).join(', ')}] ignored=${f.ignored?.reason ?? 'no'}`).join('; ');
const platformOf = (packages: Package[], findings: Finding[]) => ({ platform: 'linux/amd64', manifestDigest: 'sha256:' + 'b'.repeat(64), packages, findings, notes: [] });

function verdictOf(findings: Finding[], packages: Package[], ignore: string, failOn: FailOn = 'high') {
  const { findings: marked } = applyIgnoreList(findings, parseIgnoreFile(ignore, '.trivyignore'));
  const outcome = applyPolicy([platformOf(packages, marked)], { failOn, ignoreUnfixed: false });
  return { verdict: outcome.verdict, marked, outcome };
}

const osvFindings = () => findingsFromMatches([{ package: pkg, record: ghsa, fixed: '1.0.1' }], async () => undefined);
const grypeScan = () => readGrypeReport({ matches: [{
  vulnerability: { id: ghsa.id, severity: 'Critical', fix: { versions: ['1.0.1'], state: 'fixed' } },
  relatedVulnerabilities: [{ id: 'CVE-2024-0001', severity: 'Low' }, { id: 'CVE-2024-0002', severity: 'Critical' }],
  artifact: { name: 'example', version: '1.0.0', type: 'npm' },
}] });

test('osv: accepting both CVEs a GHSA names accepts the GHSA', async () => {
  const findings = await osvFindings();
  assert.deepEqual(findings.map((f) => [f.id, f.names]), [[ghsa.id, ['CVE-2024-0001', 'CVE-2024-0002']]]);
  const { verdict, marked } = verdictOf(findings, [pkg], both);
  assert.equal(verdict, 'pass', describe(marked));
  assert.match(marked[0]!.ignored!.reason, /every one GHSA-aaaa-bbbb-cccc names: \.trivyignore:1 CVE-2024-0001, \.trivyignore:2 CVE-2024-0002/);
});

test('grype: accepting both CVEs a GHSA relates accepts the GHSA', () => {
  const scan = grypeScan();
  assert.deepEqual(scan.findings.map((f) => [f.id, f.names]), [[ghsa.id, ['CVE-2024-0001', 'CVE-2024-0002']]]);
  const { verdict, marked } = verdictOf(scan.findings, scan.packages, both);
  assert.equal(verdict, 'pass', describe(marked));
});

test('accepting only one of the two, or one with an expired entry, still fails (osv and grype)', async () => {
  const scan = grypeScan();
  for (const ignore of [onlyFirst, secondExpired]) {
    for (const [engine, findings, packages] of [['osv', await osvFindings(), [pkg]], ['grype', scan.findings, scan.packages]] as const) {
      const { verdict, marked } = verdictOf(findings, [...packages], ignore);
      assert.equal(verdict, 'violation', `${engine} with ${JSON.stringify(ignore)}: ${describe(marked)}`);
    }
  }
});

test('the GHSA ID itself still accepts it', async () => {
  const { verdict, marked } = verdictOf(await osvFindings(), [pkg], `${ghsa.id}\n`);
  assert.equal(verdict, 'pass', describe(marked));
});

test('a DSA naming two CVEs, standing alone, is accepted when both are and not when one is', async () => {
  const deb: Package = { type: 'deb', name: 'libexample1', version: '1.0-1', sourceName: 'example', sourceVersion: '1.0-1', ecosystem: 'Debian:12', path: 'var/lib/dpkg/status', layer: 'sha256:' + 'c'.repeat(64) };
  const dsa = {
    id: 'DSA-5000-1', upstream: ['CVE-2024-1000', 'CVE-2024-1001'], summary: 'example security update',
    affected: [{ package: { ecosystem: 'Debian:12', name: 'example' }, ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '0' }, { fixed: '1.0-2' }] }] }],
  };
  const findings = await findingsFromMatches([{ package: deb, record: dsa, fixed: '1.0-2' }], async () => undefined);
  assert.deepEqual(findings.map((f) => [f.id, f.aliases, f.names]), [['DSA-5000-1', [], ['CVE-2024-1000', 'CVE-2024-1001']]]);
  // No rating anywhere: unknown, which fails only with fail-on: low.
  assert.equal(verdictOf(findings, [deb], 'CVE-2024-1000\n', 'low').verdict, 'violation');
  assert.equal(verdictOf(findings, [deb], 'CVE-2024-1000\ncve-2024-1001\n', 'low').verdict, 'pass');
});

test('a bundle one of whose CVEs has its own finding names only the other, and accepting that one accepts it', async () => {
  const cve1 = { id: 'CVE-2024-0001', summary: 'the first flaw', affected: ghsa.affected, severity: ghsa.severity };
  const findings = await findingsFromMatches([{ package: pkg, record: ghsa, fixed: '1.0.1' }, { package: pkg, record: cve1, fixed: '1.0.1' }], async () => undefined);
  const byId = new Map(findings.map((f) => [f.id, f]));
  assert.deepEqual(byId.get('CVE-2024-0001')?.aliases, [ghsa.id]);
  assert.deepEqual(byId.get(ghsa.id)?.names, ['CVE-2024-0002']);
  // Accepting CVE-2024-0002 accepts the GHSA standing for it, not CVE-2024-0001's own finding.
  const { verdict, marked } = verdictOf(findings, [pkg], 'CVE-2024-0002\n');
  assert.equal(verdict, 'violation', describe(marked));
  assert.deepEqual(marked.map((f) => [f.id, f.ignored !== undefined]).sort(), [['CVE-2024-0001', false], [ghsa.id, true]]);
});

test('the reports show what a bundle standing alone names', async () => {
  const { outcome } = verdictOf(await osvFindings(), [pkg], onlyFirst);
  const result = { engine: 'osv' as const, digest: 'sha256:' + 'd'.repeat(64), platforms: outcome.platforms };
  const [row] = groupFindings(result).failing;
  assert.deepEqual(row?.names, ['CVE-2024-0001', 'CVE-2024-0002']);
  const line = findingRow(row!, { platformCount: 1, note: false, summary: false, ignoreUnfixed: false, failOn: 'high' });
  assert.match(line, /GHSA-aaaa-bbbb-cccc\]\([^)]*\) \(names CVE-2024-0001, CVE-2024-0002\) in `example`/);
  const ctx = { result, counts: outcome.counts, verdict: outcome.verdict, policy: { failOn: 'high' as const, ignoreUnfixed: false }, now: new Date(0) };
  const json = jsonReport(ctx) as { platforms: { findings: { aliases: string[]; names?: string[] }[] }[] };
  assert.deepEqual(json.platforms[0]!.findings[0]!.names, ['CVE-2024-0001', 'CVE-2024-0002']);
  const sarif = JSON.stringify(sarifReport(ctx));
  assert.match(sarif, /Names: CVE-2024-0001, CVE-2024-0002/);
});
