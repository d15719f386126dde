// Offline matching (`vuln-db`): a directory of real OSV records, and per-ecosystem
// all.zip archives built here the way osv.dev lays them out. No network is used.
import assert from 'node:assert/strict';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { ImmutagError } from '../src/errors.ts';
import { findingsFromMatches } from '../src/scan/findings.ts';
import { MemoryLogger } from '../src/log.ts';
import type { Package } from '../src/scan/model.ts';
import { buildQueries, type MatchResult, matchPackages } from '../src/scan/osv/match.ts';
import { loadVulnDb } from '../src/scan/osv/offline.ts';
import type { OsvRecord } from '../src/scan/osv/record.ts';
import { readZip } from '../src/scan/osv/zip.ts';
import { OsvServer } from './support/osv-server.ts';
import { buildZip } from './support/zip-writer.ts';

const RECORDS_DIR = fileURLToPath(new URL('./fixtures/osv/records/', import.meta.url));
const scratch = mkdtempSync(join(tmpdir(), 'immutag-osv-offline-'));
after(() => rmSync(scratch, { recursive: true, force: true }));

let counter = 0;
function tempDir(): string {
  const dir = join(scratch, String(counter++));
  mkdirSync(dir, { recursive: true });
  return dir;
}

function pkg(p: Pick<Package, 'name' | 'version' | 'ecosystem'> & Partial<Package>): Package {
  return { type: 'deb', path: 'db', layer: 'sha256:' + '0'.repeat(64), ...p };
}

const INVENTORY: Package[] = [
  pkg({ name: 'libssl1.1', version: '1.1.0l-1~deb9u5', sourceName: 'openssl', sourceVersion: '1.1.0l-1~deb9u5', ecosystem: 'Debian:9' }),
  pkg({ name: 'dpkg', version: '1.18.26', ecosystem: 'Debian:9' }),
  pkg({ name: 'tzdata', version: '2021a-0+deb9u1', ecosystem: 'Debian:9' }),
  pkg({ name: 'musl-utils', version: '1.2.4_git20230717-r4', sourceName: 'musl', sourceVersion: '1.2.4_git20230717-r4', ecosystem: 'Alpine:v3.19', type: 'apk' }),
  pkg({ name: 'ansi-html', version: '0.0.7', ecosystem: 'npm', type: 'npm' }),
  pkg({ name: 'flask', version: '2.3.1', ecosystem: 'PyPI', type: 'pypi' }),
  pkg({ name: 'gpgv', version: '2.2.27-3ubuntu2.1', sourceName: 'gnupg2', sourceVersion: '2.2.27-3ubuntu2.1', ecosystem: 'Ubuntu:22.04:LTS' }),
];

const EXPECTED = [
  'ansi-html@0.0.7 GHSA-whgm-jr23-g3j9 fixed=0.0.8',
  'flask@2.3.1 PYSEC-2023-62 fixed=2.3.2',
  'gpgv@2.2.27-3ubuntu2.1 USN-7412-1 fixed=2.2.27-3ubuntu2.3',
  'libssl1.1@1.1.0l-1~deb9u5 DLA-3008-1 fixed=1.1.0l-1~deb9u6',
  'musl-utils@1.2.4_git20230717-r4 ALPINE-CVE-2025-26519 fixed=1.2.4_git20230717-r5',
  'tzdata@2021a-0+deb9u1 DLA-3051-1 fixed=2021a-0+deb9u4',
];

function rows(result: MatchResult): string[] {
  return result.matches.map((m) => `${m.package.name}@${m.package.version} ${m.record.id} fixed=${m.fixed ?? '-'}`).sort();
}

/** The fixture records as osv.dev exports them: <Ecosystem>/all.zip of <ID>.json. */
function exportAsZips(root: string, options: { zip64For?: string } = {}): void {
  for (const ecosystem of readdirSync(RECORDS_DIR)) {
    const entries = readdirSync(join(RECORDS_DIR, ecosystem)).map((file) => ({ name: file, data: readFileSync(join(RECORDS_DIR, ecosystem, file)) }));
    mkdirSync(join(root, ecosystem));
    writeFileSync(join(root, ecosystem, 'all.zip'), buildZip(entries, { zip64: options.zip64For === ecosystem }));
  }
}

async function failure(promise: Promise<unknown>): Promise<ImmutagError> {
  const err = await promise.then(() => undefined, (e: unknown) => e);
  assert.ok(err instanceof ImmutagError, `expected an ImmutagError, got ${String(err)}`);
  return err;
}

test('matches from a directory of records, without any network request', async () => {
  const server = await new OsvServer([]).start();
  try {
    const result = await matchPackages(INVENTORY, { vulnDb: RECORDS_DIR, osvUrl: server.url, logger: new MemoryLogger() });
    assert.deepEqual(rows(result), EXPECTED);
    assert.equal((await result.lookup('DLA-3022-1'))?.id, 'DLA-3022-1');
    assert.equal(await result.lookup('CVE-2022-1292'), undefined);
    assert.equal(server.requests.length, 0);
  } finally {
    await server.stop();
  }
});

test('matches from per-ecosystem all.zip archives (ZIP64 too); unrelated archives are not read', async () => {
  const root = tempDir();
  exportAsZips(root, { zip64For: 'Debian' });
  // Not in the inventory: must be skipped without being opened (it is not even a zip).
  mkdirSync(join(root, 'Hex'));
  writeFileSync(join(root, 'Hex', 'all.zip'), 'not a zip');
  const result = await matchPackages(INVENTORY, { vulnDb: root });
  assert.deepEqual(rows(result), EXPECTED);
});

test('only records naming inventory packages are indexed', async () => {
  const logger = new MemoryLogger();
  const index = await loadVulnDb(RECORDS_DIR, [
    { ecosystem: 'npm', name: 'ansi-html' },
    { ecosystem: 'Alpine:v3.19', name: 'musl' },
    { ecosystem: 'PyPI', name: 'requests' },
  ], logger);
  assert.equal(index.size, 2);
  // What the log says, in words a person reads: counts agree with their nouns.
  const line = logger.lines.find((l) => l.includes('vuln-db:'));
  assert.match(line ?? '', /vuln-db: 2 records for [^,]+(, [^,]+)*, plus \d+ records? they name as aliases \(read \d+ JSON files? and 0 of 0 zip archives\)/);
  assert.deepEqual(index.candidates('Alpine:v3.19', 'musl').map((r) => r.id), ['ALPINE-CVE-2025-26519']);
  assert.deepEqual(index.candidates('Debian:9', 'openssl'), []);
});

test('withdrawn records are dropped', async () => {
  const root = tempDir();
  cpSync(RECORDS_DIR, root, { recursive: true });
  const file = join(root, 'npm', 'GHSA-whgm-jr23-g3j9.json');
  const record = JSON.parse(readFileSync(file, 'utf8')) as OsvRecord;
  writeFileSync(file, JSON.stringify({ ...record, withdrawn: '2024-05-01T00:00:00Z' }));
  const result = await matchPackages(INVENTORY, { vulnDb: root });
  assert.deepEqual(rows(result), EXPECTED.filter((r) => !r.includes('GHSA-whgm-jr23-g3j9')));
});

test('a damaged archive, a broken record, a missing or empty path fail as SCANNER_FAILED', async () => {
  const damaged = tempDir();
  exportAsZips(damaged);
  const zipPath = join(damaged, 'npm', 'all.zip');
  const bytes = readFileSync(zipPath);
  bytes[70] = (bytes[70] as number) ^ 0xff; // inside the entry's deflated data (after 30-byte header and name)
  writeFileSync(zipPath, bytes);
  const zipError = await failure(matchPackages(INVENTORY, { vulnDb: damaged }));
  assert.equal(zipError.code, 'SCANNER_FAILED');
  assert.match(zipError.message, /npm\/all\.zip/);

  const broken = tempDir();
  writeFileSync(join(broken, 'DLA-1.json'), '{"id": "DLA-1", "affected": [{"package": {"ecosystem": "Debian:9"');
  assert.match((await failure(matchPackages(INVENTORY, { vulnDb: broken }))).message, /DLA-1\.json.*not valid JSON/);

  const missing = await failure(matchPackages(INVENTORY, { vulnDb: join(scratch, 'does-not-exist') }));
  assert.equal(missing.code, 'SCANNER_FAILED');
  assert.match(missing.hint, /all\.zip/);

  assert.match((await failure(matchPackages(INVENTORY, { vulnDb: tempDir() }))).message, /no \.json records/);
});

test('the zip reader yields verified entries in order and skips unaccepted ones', async () => {
  const dir = tempDir();
  const path = join(dir, 'all.zip');
  const big = 'x'.repeat(200_000);
  writeFileSync(path, buildZip([{ name: 'A.json', data: '{"id":"A"}' }, { name: 'README', data: 'skip me' }, { name: 'B.json', data: big, stored: true }]));
  const seen: string[] = [];
  for await (const entry of readZip(path, { accept: (name) => name.endsWith('.json') })) seen.push(`${entry.name}:${entry.data.length}`);
  assert.deepEqual(seen, ['A.json:10', 'B.json:200000']);
  // An entry larger than the cap is refused, not inflated.
  await assert.rejects(async () => {
    for await (const entry of readZip(path, { maxEntryBytes: 1000 })) void entry;
  }, /over the 1000-byte cap/);
});

test('thousands of packages against thousands of records', async () => {
  const root = tempDir();
  const records = Array.from({ length: 3000 }, (_, i) => ({
    name: `GHSA-test-${i}.json`,
    data: JSON.stringify({
      id: `GHSA-test-${i}`,
      affected: [{ package: { ecosystem: 'npm', name: `pkg-${i}` }, ranges: [{ type: 'SEMVER', events: [{ introduced: '0' }, { fixed: '2.0.0' }] }] }],
    }),
  }));
  mkdirSync(join(root, 'npm'));
  writeFileSync(join(root, 'npm', 'all.zip'), buildZip(records));
  const packages = Array.from({ length: 6000 }, (_, i) => pkg({ name: `pkg-${i % 3000}`, version: i < 3000 ? '1.0.0' : '2.0.0', ecosystem: 'npm', type: 'npm' }));
  const result = await matchPackages(packages, { vulnDb: root });
  assert.equal(result.matches.length, 3000);
  assert.ok(result.matches.every((m) => m.package.version === '1.0.0' && m.fixed === '2.0.0'));
});

test('rpm distributions are matched by binary package, as their OSV records name them (a real AlmaLinux record)', async () => {
  // ALSA-2022:8637 lists krb5-libs, krb5-devel…, never the source package krb5, which every
  // EL base image installs as krb5-libs. Asking by source name found nothing.
  const krb5Libs = pkg({ type: 'rpm', name: 'krb5-libs', version: '1.19.1-22.el9', sourceName: 'krb5', sourceVersion: '1.19.1-22.el9', ecosystem: 'AlmaLinux:9' });
  const fixedKrb5 = pkg({ type: 'rpm', name: 'krb5-libs', version: '1.19.1-24.el9_1', sourceName: 'krb5', sourceVersion: '1.19.1-24.el9_1', ecosystem: 'AlmaLinux:9' });
  assert.deepEqual(buildQueries([krb5Libs]).map((q) => [q.ecosystem, q.name, q.version]), [['AlmaLinux:9', 'krb5-libs', '1.19.1-22.el9']]);
  const result = await matchPackages([krb5Libs, fixedKrb5], { vulnDb: RECORDS_DIR });
  assert.deepEqual(result.matches.map((m) => [m.package.version, m.record.id, m.fixed]), [['1.19.1-22.el9', 'ALSA-2022:8637', '1.19.1-24.el9_1']]);
  // Debian and Alpine records name source packages: those stay asked by source.
  const libssl = INVENTORY[0]!;
  assert.deepEqual(buildQueries([libssl]).map((q) => q.name), ['openssl']);
});

test('offline severity through aliases equals online: the upstream CVE record is kept for lookups (real DSA-3029-1 and CVE-2014-3616)', async () => {
  const fixture = (id: string) => ({ name: `${id}.json`, data: readFileSync(fileURLToPath(new URL(`./fixtures/scan/osv/${id}.json`, import.meta.url))) });
  const nginx = pkg({ name: 'nginx', version: '1.2.1-2.2', sourceName: 'nginx', sourceVersion: '1.2.1-2.2', ecosystem: 'Debian:7' });
  // As osv.dev lays out its export: the Debian advisory in Debian/all.zip (no severity of its
  // own), the upstream CVE record from NVD (CVSS, no affected packages) in GIT/all.zip.
  const zips = tempDir();
  mkdirSync(join(zips, 'Debian'));
  mkdirSync(join(zips, 'GIT'));
  writeFileSync(join(zips, 'Debian', 'all.zip'), buildZip([fixture('DSA-3029-1')]));
  writeFileSync(join(zips, 'GIT', 'all.zip'), buildZip([fixture('CVE-2014-3616')]));
  // And as a directory of records.
  const dir = tempDir();
  writeFileSync(join(dir, 'DSA-3029-1.json'), fixture('DSA-3029-1').data);
  writeFileSync(join(dir, 'CVE-2014-3616.json'), fixture('CVE-2014-3616').data);
  const severities = async (result: MatchResult) => (await findingsFromMatches(result.matches, result.lookup)).map((f) => [f.id, f.severity, f.severitySource]);
  const server = await new OsvServer([JSON.parse(fixture('DSA-3029-1').data.toString()), JSON.parse(fixture('CVE-2014-3616').data.toString())]).start();
  try {
    const online = await severities(await matchPackages([nginx], { osvUrl: server.url }));
    assert.equal(online.length, 1);
    assert.notEqual(online[0]![1], 'unknown', 'online, the CVE record rates the finding');
    assert.deepEqual(await severities(await matchPackages([nginx], { vulnDb: zips })), online);
    assert.deepEqual(await severities(await matchPackages([nginx], { vulnDb: dir })), online);
  } finally {
    await server.stop();
  }
});

test('records of an ecosystem immutag cannot order are not dropped in silence: a warning names the ecosystem', async () => {
  const dir = tempDir();
  mkdirSync(join(dir, 'Pub'), { recursive: true });
  writeFileSync(join(dir, 'Pub', 'PUB-1.json'), JSON.stringify({
    id: 'PUB-1', modified: '2025-01-01T00:00:00Z',
    affected: [{ package: { ecosystem: 'Pub', name: 'http' }, ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '0' }, { fixed: '1.2.0' }] }] }],
  }));
  const logger = new MemoryLogger();
  const result = await matchPackages([pkg({ name: 'http', version: '1.0.0', ecosystem: 'Pub' })], { vulnDb: dir, logger });
  assert.deepEqual(result.matches, []);
  assert.ok(logger.lines.some((l) => /^warning: vuln-db: immutag has no version ordering for Pub/.test(l)), logger.lines.join('\n'));
});

test('packages of an OS OSV does not cover (empty ecosystem) are not sent to OSV: no answer could apply to them', () => {
  // Amazon Linux, Oracle Linux, Fedora…: the inventory notes that their OS packages are
  // listed but not matched. Asked with an empty ecosystem, OSV searches every ecosystem by
  // name, and whatever it answers is dropped: the inventory went out for nothing.
  const amazon = pkg({ type: 'rpm', name: 'openssl-libs', version: '1:3.0.8-1.amzn2023.0.14', sourceName: 'openssl', ecosystem: '' });
  const npm = pkg({ type: 'npm', name: 'lodash', version: '4.17.20', ecosystem: 'npm' });
  assert.deepEqual(buildQueries([amazon, npm]).map((q) => [q.ecosystem, q.name]), [['npm', 'lodash']]);
});
