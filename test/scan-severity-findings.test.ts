import { describe, it, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { findingsFromMatches, type Match } from '../src/scan/findings.ts';
import { severityOfRecord } from '../src/scan/severity.ts';
import { applyIgnoreList, parseIgnoreFile } from '../src/scan/ignore-file.ts';
import type { Finding, Package } from '../src/scan/model.ts';
import { applyPolicy } from '../src/scan/policy.ts';
import type { OsvRecord } from '../src/scan/osv/record.ts';

const FIXTURES = new URL('./fixtures/scan/osv/', import.meta.url);
function record(id: string): OsvRecord {
  return JSON.parse(readFileSync(new URL(`${id}.json`, FIXTURES), 'utf8')) as OsvRecord;
}

function pkg(over: Partial<Package> = {}): Package {
  return {
    type: 'deb', name: 'nginx', version: '1.2.1-2.2', ecosystem: 'Debian:7', path: 'var/lib/dpkg/status',
    layer: 'sha256:' + 'a'.repeat(64), ...over,
  };
}

/** A lookup over the fixture records that remembers what was asked. */
function lookupOf(ids: string[]): { lookup: (id: string) => Promise<OsvRecord | undefined>; asked: string[] } {
  const asked: string[] = [];
  const records = new Map(ids.map((id) => [id, record(id)]));
  return { asked, lookup: async (id) => { asked.push(id); return records.get(id); } };
}

test('severity of one record: GHSA, Ubuntu priority, Debian urgency, CVSS, none', () => {
  const table: [id: string, pkg: Package | undefined, severity: string | undefined, source: string | undefined][] = [
    // GHSA carries a CVSS vector (9.1) and database_specific CRITICAL: the computed vector wins.
    ['GHSA-838r-hvwh-24h8', undefined, 'critical', 'CVSS_V3 9.1'],
    ['UBUNTU-CVE-2025-38094', pkg({ name: 'linux', ecosystem: 'Ubuntu:Pro:14.04:LTS' }), 'medium', 'Ubuntu priority medium'],
    // Debian rates it unimportant although NVD's vector says 9.8: the distro's rating wins.
    ['DEBIAN-CVE-2016-1585', pkg({ name: 'apparmor', ecosystem: 'Debian:12' }), 'low', 'Debian urgency unimportant'],
    // "not yet assigned" is no rating: the CVSS vector decides.
    ['DEBIAN-CVE-2017-6507', pkg({ name: 'apparmor', ecosystem: 'Debian:12' }), 'medium', 'CVSS_V3 5.9'],
    ['DSA-3029-1', pkg(), undefined, undefined],
    ['CVE-2022-27449', pkg({ type: 'apk', name: 'mariadb', ecosystem: 'Alpine:v3.12' }), undefined, undefined],
  ];
  for (const [id, p, severity, source] of table) {
    const rated = severityOfRecord(record(id), p);
    assert.equal(rated?.severity, severity, id);
    assert.equal(rated?.source, source, id);
  }
  assert.equal(severityOfRecord(record('DEBIAN-CVE-2016-1585'))?.score, 9.8, 'the CVSS score is kept next to the distro rating');
});

// AlmaLinux's records (every one in AlmaLinux/osv-database) carry no severity, aliases
// or upstream: the advisory's Red Hat rating is the summary's first word.
test('an AlmaLinux advisory is rated by its summary\'s Red Hat severity ("Important:" is high), as the distro rated it', async () => {
  const alsa = record('ALSA-2022-8637');
  const krb5 = pkg({ type: 'rpm', name: 'krb5-libs', version: '1.19.1-22.el9', ecosystem: 'AlmaLinux:9', sourceName: 'krb5' });
  assert.deepEqual(severityOfRecord(alsa, krb5), { severity: 'high', source: 'AlmaLinux Important', distro: true });
  const ratings: [string, string | undefined][] = [['Critical', 'critical'], ['Moderate', 'medium'], ['Low', 'low'], ['Unknown', undefined]];
  for (const [word, want] of ratings) {
    assert.equal(severityOfRecord({ ...alsa, summary: `${word}: krb5 security update` }, krb5)?.severity, want, word);
  }
  assert.equal(severityOfRecord({ ...alsa, summary: 'Important: krb5 security update', affected: alsa.affected?.map((a) => ({ ...a, package: { ...a.package!, ecosystem: 'npm' } })) })?.severity,
    undefined, 'only Red Hat-family records read the summary');
  const [finding] = await findingsFromMatches([{ record: alsa, package: krb5 }], async () => undefined);
  assert.equal(finding?.severity, 'high');
});

test('GHSA database_specific.severity is used when the record has no vector', () => {
  const ghsa = record('GHSA-838r-hvwh-24h8');
  delete ghsa.severity;
  const labels: [string, string][] = [['CRITICAL', 'critical'], ['HIGH', 'high'], ['MODERATE', 'medium'], ['LOW', 'low']];
  for (const [label, want] of labels) {
    ghsa.database_specific = { ...ghsa.database_specific, severity: label };
    assert.deepEqual(severityOfRecord(ghsa), { severity: want, source: `GHSA ${label}` });
  }
});

test('a record without severity takes it from its alias; the finding says where it came from', async () => {
  const { lookup, asked } = lookupOf(['CVE-2014-3616']);
  const matches: Match[] = [{ package: pkg(), record: record('DSA-3029-1'), fixed: '1.2.1-2.2+wheezy3' }];
  const [finding] = await findingsFromMatches(matches, lookup);
  assert.deepEqual(asked, ['CVE-2014-3616']);
  assert.equal(finding?.id, 'DSA-3029-1');
  assert.deepEqual(finding?.aliases, ['CVE-2014-3616']);
  assert.equal(finding?.severity, 'medium');
  assert.equal(finding?.severitySource, 'alias CVE-2014-3616: CVSS_V2 4.3');
  assert.equal(finding?.score, 4.3);
  assert.equal(finding?.fixed, '1.2.1-2.2+wheezy3');
  assert.equal(finding?.installed, '1.2.1-2.2');
  assert.equal(finding?.summary, 'nginx - security update');
  assert.equal(finding?.url, 'https://osv.dev/vulnerability/DSA-3029-1');
});

test('unknown only when neither the record nor any alias has a severity, and the finding says so', async () => {
  const { lookup } = lookupOf([]);
  const alpine = pkg({ type: 'apk', name: 'mariadb', version: '10.4.24-r0', ecosystem: 'Alpine:v3.12', path: 'lib/apk/db/installed' });
  const [lonely] = await findingsFromMatches([{ package: alpine, record: record('CVE-2022-27449'), fixed: '10.4.25-r0' }], lookup);
  assert.equal(lonely?.severity, 'unknown');
  assert.equal(lonely?.severitySource, 'no severity in CVE-2022-27449');
  assert.match(lonely?.summary ?? '', /^MariaDB Server v10\.9 and below/);

  const [dsa] = await findingsFromMatches([{ package: pkg(), record: record('DSA-3029-1') }], lookup);
  assert.equal(dsa?.severity, 'unknown');
  assert.equal(dsa?.severitySource, 'no severity in DSA-3029-1, CVE-2014-3616');
  assert.equal(dsa?.fixed, undefined);
});

test('a DSA and its CVE seen for one package become one finding listing both IDs', async () => {
  const { lookup, asked } = lookupOf([]);
  const matches: Match[] = [
    { package: pkg(), record: record('DSA-3029-1'), fixed: '1.2.1-2.2+wheezy3' },
    { package: pkg(), record: record('CVE-2014-3616') },
    // The same advisory for another package stays a separate finding.
    { package: pkg({ name: 'nginx-full' }), record: record('DSA-3029-1'), fixed: '1.2.1-2.2+wheezy3' },
  ];
  const findings = await findingsFromMatches(matches, lookup);
  assert.deepEqual(asked, ['CVE-2014-3616'], 'only the nginx-full finding, which has no rated record, asks its alias');
  assert.deepEqual(findings.map((f) => [f.id, f.package.name, f.aliases, f.severity, f.fixed]), [
    ['CVE-2014-3616', 'nginx', ['DSA-3029-1'], 'medium', '1.2.1-2.2+wheezy3'],
    ['DSA-3029-1', 'nginx-full', ['CVE-2014-3616'], 'unknown', '1.2.1-2.2+wheezy3'],
  ]);
});

test('records joined through upstream IDs merge; the distro rating outranks another record\'s vector', async () => {
  const apparmor = pkg({ name: 'apparmor', version: '3.0.8-3', ecosystem: 'Debian:12' });
  const cve = { id: 'CVE-2016-1585', severity: [{ type: 'CVSS_V3', score: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N' }] };
  const findings = await findingsFromMatches(
    [{ package: apparmor, record: record('DEBIAN-CVE-2016-1585') }, { package: apparmor, record: cve }],
    lookupOf([]).lookup,
  );
  assert.equal(findings.length, 1);
  assert.deepEqual(findings[0]?.aliases, ['DEBIAN-CVE-2016-1585']);
  assert.equal(findings[0]?.severity, 'low');
  assert.equal(findings[0]?.severitySource, 'Debian urgency unimportant');
});

test('an advisory fixing several CVEs is not an alias of each: ignoring one CVE leaves the others failing', async () => {
  const bash = pkg({ name: 'bash', version: '5.1-6ubuntu1', ecosystem: 'Ubuntu:22.04:LTS' });
  const LOW = [{ type: 'CVSS_V3', score: 'CVSS:3.1/AV:N/AC:H/PR:H/UI:R/S:U/C:L/I:N/A:N' }];
  const CRITICAL = [{ type: 'CVSS_V3', score: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H' }];
  const usn = { id: 'USN-9-1', upstream: ['UBUNTU-CVE-2024-1', 'UBUNTU-CVE-2024-2'] };
  const one = { id: 'UBUNTU-CVE-2024-1', upstream: ['CVE-2024-1'], severity: LOW };
  const two = { id: 'UBUNTU-CVE-2024-2', upstream: ['CVE-2024-2'], severity: CRITICAL };
  const findings = await findingsFromMatches([usn, one, two].map((r) => ({ package: bash, record: r })), lookupOf([]).lookup);
  assert.deepEqual(findings.map((f) => [f.id, f.aliases, f.severity]), [
    ['UBUNTU-CVE-2024-2', ['CVE-2024-2', 'USN-9-1'], 'critical'],
    ['UBUNTU-CVE-2024-1', ['CVE-2024-1', 'USN-9-1'], 'low'],
  ], 'one finding per CVE, each findable by the advisory');
  const ignored = applyIgnoreList(findings, parseIgnoreFile('CVE-2024-1 # accepted\n', 'f'), new Date('2025-01-01T00:00:00Z'));
  assert.deepEqual(ignored.findings.map((f) => [f.id, Boolean(f.ignored)]), [['UBUNTU-CVE-2024-2', false], ['UBUNTU-CVE-2024-1', true]]);

  // Without a record of its own for CVE-2024-2, the advisory stands for it, not ignored with CVE-2024-1.
  const partial = await findingsFromMatches([usn, one].map((r) => ({ package: bash, record: r })), lookupOf([]).lookup);
  const after = applyIgnoreList(partial, parseIgnoreFile('CVE-2024-1\n', 'f'), new Date('2025-01-01T00:00:00Z'));
  assert.deepEqual(after.findings.map((f) => [f.id, Boolean(f.ignored)]).sort(), [['UBUNTU-CVE-2024-1', true], ['USN-9-1', false]]);
});

test('withdrawn records make no finding', async () => {
  const withdrawn = { ...record('GHSA-838r-hvwh-24h8'), withdrawn: '2022-01-01T00:00:00Z' };
  const findings = await findingsFromMatches([{ package: pkg({ type: 'npm', ecosystem: 'npm' }), record: withdrawn }], lookupOf([]).lookup);
  assert.deepEqual(findings, []);
});

// An advisory is a bundle when it names several vulnerabilities, in `upstream` or in
// `aliases` (RUSTSEC-2020-0014 lists several CVEs as aliases; GHSA has one record per
// CVE; DSA records list their CVEs as aliases): it is not another name for any one of them.
describe('advisories that name several vulnerabilities in aliases', () => {
  const NOW = new Date('2025-01-01T00:00:00Z');
  const LOW = [{ type: 'CVSS_V3', score: 'CVSS:3.1/AV:N/AC:H/PR:H/UI:R/S:U/C:L/I:N/A:N' }];
  const CRITICAL = [{ type: 'CVSS_V3', score: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H' }];
  const none = async (): Promise<OsvRecord | undefined> => undefined;
  const verdict = (p: Package, findings: Finding[]) =>
    applyPolicy([{ platform: 'unknown', manifestDigest: 'sha256:x', packages: [p], findings, notes: [] }], { failOn: 'high', ignoreUnfixed: false }).verdict;

  it('accepting one CVE of a RUSTSEC that aliases several does not accept the others', async () => {
    const crate = pkg({ type: 'cargo', name: 'libsqlite3-sys', version: '0.15.0', ecosystem: 'crates.io', path: 'app' });
    const records = [{ id: 'RUSTSEC-2020-0014', aliases: ['CVE-2020-35866', 'CVE-2020-35868'] },
      { id: 'GHSA-aaaa-aaaa-aaaa', aliases: ['CVE-2020-35866'], severity: LOW },
      { id: 'GHSA-bbbb-bbbb-bbbb', aliases: ['CVE-2020-35868'], severity: CRITICAL }] as OsvRecord[];
    const findings = await findingsFromMatches(records.map((record) => ({ package: crate, record })), none);
    const accepted = applyIgnoreList(findings, parseIgnoreFile('CVE-2020-35866 # low\n', 'f'), NOW);
    assert.equal(verdict(crate, accepted.findings), 'violation');
  });

  it('a DSA aliasing two CVEs does not let one CVE\'s low urgency rate the other', async () => {
    const nginx = pkg({ version: '1.22.1-9', ecosystem: 'Debian:12' });
    const affected = (urgency: string) => [{ package: { ecosystem: 'Debian:12', name: 'nginx' }, ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '0' }, { fixed: '1.22.1-9+deb12u1' }] }], ecosystem_specific: { urgency } }];
    const records = [{ id: 'DSA-9999-1', aliases: ['CVE-2025-1', 'CVE-2025-2'] },
      { id: 'DEBIAN-CVE-2025-1', upstream: ['CVE-2025-1'], affected: affected('low'), severity: LOW },
      { id: 'DEBIAN-CVE-2025-2', upstream: ['CVE-2025-2'], affected: affected('not yet assigned'), severity: CRITICAL }] as unknown as OsvRecord[];
    const findings = await findingsFromMatches(records.map((record) => ({ package: nginx, record, fixed: '1.22.1-9+deb12u1' })), none);
    assert.equal(verdict(nginx, findings), 'violation');
  });

  it('an advisory standing for a vulnerability no other match covers is rated by that vulnerability\'s record', async () => {
    const bash = pkg({ name: 'bash', version: '5.1-6ubuntu1', ecosystem: 'Ubuntu:22.04:LTS' });
    const usn = { id: 'USN-9-1', upstream: ['UBUNTU-CVE-2024-1', 'UBUNTU-CVE-2024-2'] } as OsvRecord;
    const one = { id: 'UBUNTU-CVE-2024-1', upstream: ['CVE-2024-1'], severity: LOW } as OsvRecord;
    const two = { id: 'UBUNTU-CVE-2024-2', upstream: ['CVE-2024-2'], severity: CRITICAL } as OsvRecord;
    const findings = await findingsFromMatches([usn, one].map((record) => ({ package: bash, record, fixed: '5.1-6ubuntu1.1' })),
      async (id) => (id === two.id ? two : undefined));
    assert.equal(findings.find((f) => f.id === 'USN-9-1')?.severity, 'critical');
    assert.equal(verdict(bash, findings), 'violation');
  });
});
