// A scan result built from real OSV records (test/fixtures/scan/osv), with the policy applied,
// for the report tests: two platforms, a failing critical, a distro-rated low, an unknown,
// an ignored finding, an npm package with a scoped name.
import { readFileSync } from 'node:fs';
import { findingsFromMatches, type Match } from '../../src/scan/findings.ts';
import { applyIgnoreList, parseIgnoreFile } from '../../src/scan/ignore-file.ts';
import { applyPolicy, type PolicyOptions } from '../../src/scan/policy.ts';
import type { Package, PlatformScan } from '../../src/scan/model.ts';
import type { OsvRecord } from '../../src/scan/osv/record.ts';
import type { ReportContext } from '../../src/report/files/context.ts';

const FIXTURES = new URL('../fixtures/scan/osv/', import.meta.url);
export function osvRecord(id: string): OsvRecord {
  return JSON.parse(readFileSync(new URL(`${id}.json`, FIXTURES), 'utf8')) as OsvRecord;
}

export const INDEX_DIGEST = 'sha256:' + 'd'.repeat(64);
const LAYER = 'sha256:' + 'e'.repeat(64);

export function samplePackages(): Package[] {
  return [
    { type: 'deb', name: 'apparmor', version: '3.0.8-3', ecosystem: 'Debian:12', path: 'var/lib/dpkg/status', layer: LAYER, licenses: ['GPL-2+'] },
    { type: 'deb', name: 'nginx', version: '1.2.1-2.2', sourceName: 'nginx', ecosystem: 'Debian:12', path: 'var/lib/dpkg/status', layer: LAYER },
    { type: 'npm', name: '@acme/any23-bridge', version: '2.4.0', ecosystem: 'npm', path: '/usr/lib/node_modules/@acme/any23-bridge/package.json', layer: LAYER, licenses: ['MIT'] },
    { type: 'apk', name: 'mariadb', version: '10.4.24-r0', ecosystem: 'Alpine:v3.12', path: 'lib/apk/db/installed', layer: LAYER },
  ];
}

export async function sampleContext(policy: PolicyOptions = { failOn: 'high', ignoreUnfixed: false }): Promise<ReportContext> {
  const [apparmor, nginx, npm, mariadb] = samplePackages() as [Package, Package, Package, Package];
  const matches: Match[] = [
    { package: apparmor, record: osvRecord('DEBIAN-CVE-2016-1585') },
    { package: apparmor, record: osvRecord('DEBIAN-CVE-2017-6507'), fixed: '2.11.0-3' },
    { package: nginx, record: osvRecord('DSA-3029-1'), fixed: '1.2.1-2.2+wheezy3' },
    { package: npm, record: osvRecord('GHSA-838r-hvwh-24h8'), fixed: '2.5' },
    { package: mariadb, record: osvRecord('CVE-2022-27449'), fixed: '10.4.25-r0' },
  ];
  const lookup = async (id: string) => (id === 'CVE-2014-3616' ? osvRecord(id) : undefined);
  const findings = await findingsFromMatches(matches, lookup);
  const ignores = applyIgnoreList(findings, parseIgnoreFile('CVE-2014-3616 # TLS session cache is not shared\n', '.immutag-ignore'), new Date('2025-01-01T00:00:00Z'));
  const platform = (name: string, digit: string): PlatformScan => ({
    platform: name, manifestDigest: 'sha256:' + digit.repeat(64), packages: samplePackages(), findings: ignores.findings,
    os: { id: 'debian', versionId: '12', prettyName: 'Debian GNU/Linux 12 (bookworm)' }, notes: ['rpm: no rpm database'],
  });
  const outcome = applyPolicy([platform('linux/amd64', '1'), platform('linux/arm64/v8', '2')], policy);
  return {
    result: { engine: 'osv', digest: INDEX_DIGEST, platforms: outcome.platforms },
    counts: outcome.counts,
    verdict: outcome.verdict,
    policy,
    imageRef: '127.0.0.1:5000/acme/api:1.4.2',
    ignoreFile: '.immutag-ignore',
    notes: ignores.notes,
    toolVersion: '0.1.0',
    now: new Date('2025-01-02T03:04:05Z'),
  };
}
