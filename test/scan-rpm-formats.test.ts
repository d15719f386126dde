// rpm's BerkeleyDB (`Packages`) and NDB (`Packages.db`) databases, read without
// Berkeley DB or rpm: real databases compared with what rpm itself lists from
// them, and hostile ones that must end in a note, never a crash or a hang.
// How the fixtures were made: test/fixtures/inventory/README.md and rpm/make/.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { gunzipSync } from 'node:zlib';
import type { Analysis } from '../src/scan/inventory/analyzer.ts';
import { parseRpmHeader } from '../src/scan/inventory/rpm-header.ts';
import { parseRpmBerkeley, parseRpmNdb, rpmAnalyzer } from '../src/scan/inventory/rpm.ts';
import { BerkeleyDbFormatError, readBerkeleyDb } from '../src/scan/inventory/rpmdb-bdb.ts';
import { NdbFormatError, readNdb } from '../src/scan/inventory/rpmdb-ndb.ts';
import { openImage } from '../src/image/open-image.ts';
import type { Package } from '../src/scan/model.ts';
import { scanImage } from '../src/scan/scan.ts';
import { buildIndex, removeLayout, type BuiltImage } from './support/images.ts';
import { buildQueries } from '../src/scan/osv/match.ts';

const read = (name: string): Buffer => readFileSync(new URL(`./fixtures/inventory/rpm/${name}`, import.meta.url));
const bdb = (variant: string): Buffer => gunzipSync(read(`rpm-4.18-bdb-${variant}.Packages.gz`));
const ndb = (): Buffer => gunzipSync(read('rpm-4.18-ndb.Packages.db.gz'));
const QF = '%{NAME}\\t%{ARCH}\\t%|EPOCH?{%{EPOCH}:}:{}|%{VERSION}-%{RELEASE}\\t%{SOURCERPM}\\t%{LICENSE}\\n';

/** name, arch, [epoch:]version-release, source name, source version, license, as rpm -qa prints them. */
function truthRows(tsv: string): string[][] {
  return tsv.trimEnd().split('\n').map((line) => {
    const [name, arch, version, srpm, license] = line.split('\t') as [string, string, string, string, string];
    const match = /^(.+)-([^-]+-[^-]+)\.src\.rpm$/.exec(srpm);
    assert.ok(match, srpm);
    const epoch = /^(\d+):/.exec(version)?.[0] ?? '';
    return [name, arch, version, match[1]!, `${epoch}${match[2]!}`, license];
  }).sort(byJoined);
}

function inventoryRows(analysis: Analysis): string[][] {
  return analysis.packages
    .map((p) => [p.name, p.arch ?? '', p.version, p.sourceName ?? '', p.sourceVersion ?? '', (p.licenses ?? []).join()])
    .sort(byJoined);
}

const byJoined = (a: string[], b: string[]): number => (a.join('\t') < b.join('\t') ? -1 : 1);

/** Missing, extra and wrong-version counts of an inventory against rpm's listing (by name). */
function compare(found: string[][], truth: string[][]): { missing: number; extra: number; wrong: number } {
  const have = new Map(found.map((row) => [row[0]!, row.join('\t')]));
  const want = new Map(truth.map((row) => [row[0]!, row.join('\t')]));
  return {
    missing: [...want.keys()].filter((name) => !have.has(name)).length,
    extra: [...have.keys()].filter((name) => !want.has(name)).length,
    wrong: [...want].filter(([name, row]) => have.has(name) && have.get(name) !== row).length,
  };
}

const CASES: Array<{ name: string; data: () => Buffer; parse: (data: Buffer, shown: string) => Analysis; count: number; truth: string }> = [
  { name: 'bdb-hash', data: () => bdb('hash'), parse: parseRpmBerkeley, count: 33, truth: 'rpm-4.18-bdb-hash' },
  { name: 'bdb-hash64k', data: () => bdb('hash64k'), parse: parseRpmBerkeley, count: 33, truth: 'rpm-4.18-bdb-hash64k' },
  { name: 'bdb-btree', data: () => bdb('btree'), parse: parseRpmBerkeley, count: 33, truth: 'rpm-4.18-bdb-btree' },
  { name: 'ndb', data: ndb, parse: parseRpmNdb, count: 31, truth: 'rpm-4.18-ndb' },
  // Databases from real images (go-rpmdb's test data): an EL 8 BerkeleyDB and SLES 15 BCI's NDB.
  { name: 'el8-libuuid', data: () => gunzipSync(read('el8-libuuid.Packages.gz')), parse: parseRpmBerkeley, count: 1, truth: 'el8-libuuid' },
  { name: 'sle15-bci', data: () => gunzipSync(read('sle15-bci.Packages.db.gz')), parse: parseRpmNdb, count: 35, truth: 'sle15-bci' },
];

describe('real BerkeleyDB and NDB rpm databases against rpm -qa', () => {
  for (const { name, data, parse, count, truth: tsv } of CASES) {
    it(`${name}: missing, extra and wrong versions all zero against rpm's listing of ${count} packages`, () => {
      const analysis = parse(data(), `/var/lib/rpm/Packages`);
      assert.deepEqual([analysis.notes, analysis.unread], [[], undefined]);
      const truth = truthRows(read(`${tsv}.expected.tsv`).toString('utf8'));
      assert.equal(truth.length, count);
      const found = inventoryRows(analysis);
      assert.deepEqual(compare(found, truth), { missing: 0, extra: 0, wrong: 0 });
      assert.deepEqual(found, truth);
    });
  }

  for (const variant of ['rpm-4.18-bdb-hash', 'rpm-4.18-bdb-hash64k', 'rpm-4.18-bdb-btree', 'el8-libuuid']) {
    it(`${variant}: the expected listing is what rpm's own bdb_ro backend reads from the fixture today`, () => {
      const dir = mkdtempSync(join(tmpdir(), 'immutag-bdb-'));
      try {
        writeFileSync(join(dir, 'Packages'), gunzipSync(read(`${variant}.Packages.gz`)));
        const listing = execFileSync('rpm', ['--dbpath', dir, '--define', '_db_backend bdb_ro', '-qa', '--qf', QF], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
        const sorted = listing.trimEnd().split('\n').sort((a, b) => (Buffer.from(a) < Buffer.from(b) ? -1 : 1)).join('\n');
        assert.equal(sorted, read(`${variant}.expected.tsv`).toString('utf8').trimEnd());
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
  }

  it("el8-libuuid and the rpm 4.18 BerkeleyDBs: the owned files are every path rpm's bdb_ro lists (FILENAMES)", () => {
    for (const variant of ['rpm-4.18-bdb-hash', 'rpm-4.18-bdb-btree', 'el8-libuuid']) {
      const dir = mkdtempSync(join(tmpdir(), 'immutag-bdb-'));
      try {
        const data = gunzipSync(read(`${variant}.Packages.gz`));
        writeFileSync(join(dir, 'Packages'), data);
        const listing = execFileSync('rpm', ['--dbpath', dir, '--define', '_db_backend bdb_ro', '-qa', '--qf', '[%{FILENAMES}\\n]'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], maxBuffer: 64 * 1024 * 1024 });
        const truth = [...new Set(listing.split('\n').filter(Boolean))].sort();
        assert.deepEqual([...(parseRpmBerkeley(data, 'shown').owned?.files.keys() ?? [])].sort(), truth, variant);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    }
  });

  it("sle15-bci: the owned files are the 2,836 paths rpm lists (FILENAMES of the database rpm's rpmpkg.c read back) but the 78 it did not install", () => {
    const truth = gunzipSync(read('sle15-bci.files.txt.gz')).toString('utf8').trimEnd().split('\n');
    assert.equal(truth.length, 2836);
    const owned = parseRpmNdb(gunzipSync(read('sle15-bci.Packages.db.gz')), 'shown').owned;
    const files = new Set(owned?.files.keys());
    assert.ok([...files].every((path) => truth.includes(path)));
    // SUSE builds its BCI images with --excludedocs: rpm lists the documentation and man
    // pages and marks them not installed (FILESTATES), so they are no package's files.
    const notInstalled = truth.filter((path) => !files.has(path));
    assert.equal(notInstalled.length, 78);
    assert.deepEqual(notInstalled.filter((path) => !/^\/usr\/share\/(doc|man)\/./.test(path)), []);
    assert.ok(files.has('/usr/share/doc/packages'), 'directories are installed');
    assert.equal(owned?.files.get('/bin/bash'), 'bash');
  });

  it('reads the 68 KB header that spans 17 overflow pages, with its epoch', () => {
    const { packages } = parseRpmBerkeley(bdb('hash'), 'shown');
    const big = packages.find((p) => p.name === 'immutag-fixture');
    assert.equal(big?.version, '2:1.4.0-3.fx1');
    assert.equal(big?.epoch, 2);
  });

  it('skips instance 0, where rpm keeps the next free instance number', () => {
    const keys = readBerkeleyDb(bdb('hash')).map((entry) => entry.key).sort((a, b) => a - b);
    assert.deepEqual(keys, Array.from({ length: 34 }, (_, i) => i));
    assert.equal(readBerkeleyDb(bdb('hash')).find((entry) => entry.key === 0)?.blob.readUInt32LE(0), 34);
  });

  it('reads a database written on a big-endian machine', () => {
    const analysis = parseRpmBerkeley(swapHashDb(bdb('hash')), 'shown');
    assert.deepEqual([analysis.notes, analysis.unread], [[], undefined]);
    assert.deepEqual(inventoryRows(analysis), truthRows(read('rpm-4.18-bdb-hash.expected.tsv').toString('utf8')));
  });

  it('keeps the NDB free slots and the hole two deleted packages left unread', () => {
    const { entries, broken } = readNdb(ndb());
    assert.deepEqual(broken, []);
    assert.deepEqual(entries.map((e) => e.key).sort((a, b) => a - b), Array.from({ length: 33 }, (_, i) => i + 1).filter((key) => key !== 5 && key !== 12));
  });

  it('keeps every header file list: python3-idna owns its egg-info', () => {
    for (const { data, parse } of CASES.slice(0, 4)) {
      const owned = parse(data(), 'shown').owned;
      assert.equal(owned?.by, 'rpm');
      assert.equal(owned.files.get('/usr/lib/python3.6/site-packages/idna-2.5-py3.6.egg-info/PKG-INFO'), 'python3-idna');
      assert.equal(owned.files.get('/usr/share/immutag-pkg01/data'), 'immutag-pkg01');
    }
  });

  it('a damaged file list keeps the package and drops only its files', () => {
    const rpm = read('immutag-small-0.1-1.noarch.rpm');
    const tags = rpm.readUInt32BE(96 + 8);
    const start = (96 + 16 + tags * 16 + rpm.readUInt32BE(96 + 12) + 7) & ~7;
    const blob = Buffer.from(rpm.subarray(start + 8));
    const withFiles = parseRpmHeader(blob, { files: true });
    assert.deepEqual(withFiles.files, undefined, 'immutag-small owns no files');
    // python3-idna from the NDB fixture: point its DIRINDEXES count past its BASENAMES.
    const idna = readNdb(ndb()).entries.map((e) => Buffer.from(e.blob)).find((b) => b.includes('python3-idna'))!;
    assert.ok(parseRpmHeader(idna, { files: true }).files?.includes('/usr/lib/python3.6/site-packages/idna-2.5-py3.6.egg-info/PKG-INFO'));
    const count = idna.readUInt32BE(0);
    for (let i = 0; i < count; i++) {
      if (idna.readInt32BE(8 + 16 * i) === 1116) idna.writeUInt32BE(idna.readUInt32BE(8 + 16 * i + 12) + 1, 8 + 16 * i + 12);
    }
    const damaged = parseRpmHeader(idna, { files: true });
    assert.deepEqual([damaged.name, damaged.version, damaged.files], ['python3-idna', '2.5', undefined]);
  });

  it('is read where the distributions keep it', () => {
    assert.equal(rpmAnalyzer.interest('var/lib/rpm/Packages'), 'read');
    assert.equal(rpmAnalyzer.interest('usr/lib/sysimage/rpm/Packages.db'), 'read');
    assert.equal(rpmAnalyzer.parse('usr/lib/sysimage/rpm/Packages.db', ndb()).packages.length, 31);
    assert.equal(rpmAnalyzer.parse('var/lib/rpm/Packages', bdb('btree')).packages.length, 33);
  });
});

describe('a UBI 8 style image with a BerkeleyDB database', () => {
  let image: BuiltImage;
  const UBI8 = 'NAME="Red Hat Enterprise Linux"\nVERSION="8.10 (Ootpa)"\nID="rhel"\nID_LIKE="fedora"\nVERSION_ID="8.10"\nPRETTY_NAME="Red Hat Enterprise Linux 8.10 (Ootpa)"\n';
  before(async () => {
    image = await buildIndex({ arches: ['amd64'], files: { '/etc/os-release': UBI8, '/var/lib/rpm/Packages': bdb('hash') } });
  });
  after(async () => {
    if (image) await removeLayout(image);
  });

  it('lists its 33 rpm packages with purls, in the Red Hat ecosystem, and no "not read" note', async () => {
    const local = await openImage(image.layout, { names: [image.tag] });
    try {
      const out = await scanImage({ source: local.source, top: local.top, manifests: local.manifests, engine: 'osv', policy: { failOn: 'low', ignoreUnfixed: false }, vulnDb: fileURLToPath(new URL('./fixtures/osv/records/', import.meta.url)) });
      const [platform] = out.result.platforms;
      const rpms = platform?.packages.filter((p) => p.type === 'rpm') ?? [];
      assert.equal(rpms.length, 33);
      assert.ok(rpms.every((p) => p.ecosystem === 'Red Hat' && p.path === '/var/lib/rpm/Packages' && p.purl?.startsWith('pkg:rpm/')));
      assert.equal(rpms.find((p) => p.name === 'immutag-fixture')?.version, '2:1.4.0-3.fx1');
      assert.ok(!platform?.notes.some((n) => /Packages/.test(n)), platform?.notes.join('\n'));
    } finally {
      await local.close();
    }
  });
});

describe('which rpm name OSV is asked about', () => {
  const webob = (ecosystem: string): Package => ({
    type: 'rpm', name: 'python3-webob', version: '1.8.7-2.azl3', sourceName: 'python-webob', sourceVersion: '1.8.7-2.azl3',
    ecosystem, path: '/var/lib/rpm/rpmdb.sqlite', layer: 'sha256:0',
  });
  // osv-schema: Azure Linux's, openEuler's, Mageia's, SUSE's and openSUSE's `name` is
  // the source package (Mageia's advisories list SRPMs; SUSE's and openSUSE's list the
  // binaries in ecosystem_specific.binaries: osv-scanner's recorded answers for
  // opensuse/leap:15.5 match SUSE-SU-2024:3926-1 on curl, nothing on libcurl4);
  // Red Hat, Rocky and AlmaLinux records name binary packages.
  const cases: Array<[string, string]> = [
    ['Azure Linux:3', 'python-webob'], ['openEuler:22.03-LTS-SP2', 'python-webob'], ['Mageia:9', 'python-webob'],
    ['SUSE:Linux Enterprise Server 15 SP5', 'python-webob'], ['openSUSE:Leap 15.5', 'python-webob'],
    ['AlmaLinux:9', 'python3-webob'],
  ];
  for (const [ecosystem, name] of cases) {
    it(`${ecosystem}: ${name}`, () => assert.deepEqual(buildQueries([webob(ecosystem)]).map((q) => q.name), [name]));
  }
});

/**
 * The same database as a big-endian machine writes it: every integer of the metadata
 * page, page headers, item offsets, overflow references and the 4-byte keys swapped
 * (what rpm's bdb_ro undoes when it reads such a file).
 */
function swapHashDb(le: Buffer): Buffer {
  const db = Buffer.from(le);
  const swap32 = (at: number): void => void db.writeUInt32BE(le.readUInt32LE(at), at);
  const swap16 = (at: number): void => void db.writeUInt16BE(le.readUInt16LE(at), at);
  for (let at = 8; at < 224; at += 4) if (at !== 24) swap32(at);
  const pageSize = le.readUInt32LE(20);
  for (let page = 1; page <= le.readUInt32LE(32); page++) {
    const base = page * pageSize;
    for (const o of [8, 12, 16]) swap32(base + o);
    for (const o of [20, 22]) swap16(base + o);
    if (le[base + 25] !== 13) continue;
    const entries = le.readUInt16LE(base + 20);
    for (let i = 0; i < entries; i++) {
      const at = le.readUInt16LE(base + 26 + 2 * i);
      swap16(base + 26 + 2 * i);
      const end = i === 0 ? pageSize : le.readUInt16LE(base + 26 + 2 * (i - 1));
      if (le[base + at] === 3) for (const o of [4, 8]) swap32(base + at + o);
      else if (end - at === 5) swap32(base + at + 1);
    }
  }
  return db;
}

describe('hostile and broken databases end in a typed error that stops the scan (Analysis.unread)', () => {
  const hashDb = (): Buffer => Buffer.from(bdb('hash'));
  const pageSize = 4096;
  /** The first overflow reference (H_OFFPAGE item) on a bucket page: [item offset in file, its page]. */
  const firstOffpage = (db: Buffer): number => {
    for (let page = 1; (page + 1) * pageSize <= db.length; page++) {
      const base = page * pageSize;
      if (db[base + 25] !== 13) continue;
      for (let i = 0; i < db.readUInt16LE(base + 20); i++) {
        const at = base + db.readUInt16LE(base + 26 + 2 * i);
        if (db[at] === 3) return at;
      }
    }
    throw new Error('no overflow item');
  };
  const firstBucketPage = (db: Buffer): number => db.readUInt32LE(96) * pageSize;
  const bdbCases: Array<{ name: string; mutate: (db: Buffer) => Buffer; note: RegExp }> = [
    { name: 'not BerkeleyDB at all', mutate: () => Buffer.alloc(4096, 7), note: /bad magic/ },
    { name: 'too short', mutate: (db) => db.subarray(0, 100), note: /too short/ },
    { name: 'an impossible page size', mutate: (db) => (db.writeUInt32LE(1000, 20), db), note: /invalid page size/ },
    { name: 'encrypted', mutate: (db) => ((db[24] = 1), db), note: /encrypted/ },
    { name: 'an unknown hash version', mutate: (db) => (db.writeUInt32LE(99, 16), db), note: /unsupported hash version 99/ },
    { name: 'cut in half', mutate: (db) => db.subarray(0, db.length / 2), note: /out of range/ },
    { name: 'more buckets than pages', mutate: (db) => (db.writeUInt32LE(0xfffffff0, 72), db), note: /buckets in/ },
    { name: 'a bucket chain that loops', mutate: (db) => (db.writeUInt32LE(db.readUInt32LE(96), firstBucketPage(db) + 16), db), note: /referenced twice/ },
    { name: 'an overflow chain that loops', mutate: (db) => loopOverflow(db, firstOffpage(db)), note: /referenced twice/ },
    { name: 'an overflow reference past the file', mutate: (db) => (db.writeUInt32LE(0x7fffffff, firstOffpage(db) + 4), db), note: /page number 2147483647 out of range/ },
    { name: 'an overflow length of 4 GiB', mutate: (db) => (db.writeUInt32LE(0xffffffff, firstOffpage(db) + 8), db), note: /overflow item of 4294967295 bytes/ },
    { name: 'an overflow length longer than its chain', mutate: (db) => (db.writeUInt32LE(db.readUInt32LE(firstOffpage(db) + 8) + 1, firstOffpage(db) + 8), db), note: /overflow page \d+ holds|chain ends/ },
    { name: 'a page count that does not fit the page', mutate: (db) => (db.writeUInt16LE(0xffff, firstBucketPage(db) + 20), db), note: /do not fit a page/ },
    { name: 'an item offset outside its page', mutate: (db) => (db.writeUInt16LE(3, firstBucketPage(db) + 26), db), note: /outside its page/ },
    { name: 'an item of a type rpm never writes', mutate: (db) => ((db[firstOffpage(db)] = 4), db), note: /type 4/ },
    { name: 'a bucket page of the wrong kind', mutate: (db) => ((db[firstBucketPage(db) + 25] = 5), db), note: /not a hash page/ },
    { name: 'a page that claims another number', mutate: (db) => (db.writeUInt32LE(999, firstBucketPage(db) + 8), db), note: /says it is page 999/ },
  ];
  for (const { name, mutate, note } of bdbCases) {
    it(`BerkeleyDB: ${name}`, () => {
      const analysis = parseRpmBerkeley(mutate(hashDb()), '/var/lib/rpm/Packages');
      assert.deepEqual(analysis.packages, []);
      assert.match(analysis.unread?.reason ?? '', /^\/var\/lib\/rpm\/Packages: not a readable rpm BerkeleyDB database/);
      assert.match(analysis.unread?.reason ?? '', note);
      assert.match(analysis.unread?.hint ?? '', /rpm --rebuilddb/);
    });
  }

  it('BerkeleyDB: a btree whose root lists itself as its child', () => {
    const db = Buffer.from(bdb('btree'));
    const root = db.readUInt32LE(88);
    const base = root * pageSize;
    // Rewrite the root as an internal page with one BINTERNAL item naming the root.
    db[base + 25] = 3;
    db.writeUInt16LE(1, base + 20);
    db.writeUInt16LE(pageSize - 12, base + 26);
    db.fill(0, base + pageSize - 12);
    db[base + pageSize - 12 + 2] = 1;
    db.writeUInt32LE(root, base + pageSize - 12 + 4);
    assert.throws(() => readBerkeleyDb(db), (err: unknown) => err instanceof BerkeleyDbFormatError && /referenced twice/.test(err.message));
  });

  const ndbCases: Array<{ name: string; mutate: (db: Buffer) => Buffer; note: RegExp }> = [
    { name: 'not NDB at all', mutate: () => Buffer.alloc(8192, 1), note: /bad magic/ },
    { name: 'too short', mutate: (db) => db.subarray(0, 64), note: /too short/ },
    { name: 'another version', mutate: (db) => (db.writeUInt32LE(3, 4), db), note: /unsupported ndb version 3/ },
    { name: 'a size that is not whole blocks', mutate: (db) => db.subarray(0, db.length - 5), note: /whole number of blocks/ },
    { name: 'more slot pages than the file', mutate: (db) => (db.writeUInt32LE(0x10000000, 12), db), note: /slot pages in a/ },
    { name: 'a slot with a bad magic', mutate: (db) => (db.writeUInt32LE(0, 48), db), note: /slot 3 has a bad magic/ },
    { name: 'a slot pointing past the file', mutate: (db) => (db.writeUInt32LE(0x7fffffff, 32 + 8), db), note: /points outside the blob area/ },
    { name: 'a slot pointing into the slot pages', mutate: (db) => (db.writeUInt32LE(1, 32 + 8), db), note: /points outside the blob area/ },
    { name: 'two slots sharing one blob', mutate: (db) => (db.writeUInt32LE(db.readUInt32LE(32 + 8), 48 + 8), db), note: /overlap/ },
    { name: 'cut short', mutate: (db) => db.subarray(0, 8192), note: /points outside the blob area/ },
  ];
  for (const { name, mutate, note } of ndbCases) {
    it(`NDB: ${name}`, () => {
      const analysis = parseRpmNdb(mutate(Buffer.from(ndb())), '/usr/lib/sysimage/rpm/Packages.db');
      assert.deepEqual(analysis.packages, []);
      assert.match(analysis.unread?.reason ?? '', /^\/usr\/lib\/sysimage\/rpm\/Packages\.db: not a readable rpm NDB database/);
      assert.match(analysis.unread?.reason ?? '', note);
    });
  }

  it('NDB: a damaged blob is named, and the database counts as not fully read', () => {
    const db = Buffer.from(ndb());
    const first = db.readUInt32LE(32 + 8) * 16;
    db.writeUInt32LE(0, first);
    const analysis = parseRpmNdb(db, 'shown');
    assert.equal(analysis.packages.length, 30);
    assert.equal(analysis.unread?.reason, `shown: 1 package headers could not be read (packages ${db.readUInt32LE(32 + 4)})`);
    assert.throws(() => readNdb(Buffer.alloc(10)), NdbFormatError);
  });

  it('random damage never throws or hangs (500 bounded mutations of each format)', () => {
    let seed = 42;
    const random = (n: number): number => ((seed = (seed * 1103515245 + 12345) >>> 0) % n);
    const sources = [bdb('hash'), bdb('btree'), bdb('hash64k'), ndb()];
    for (const [i, source] of sources.entries()) {
      const parse = i === 3 ? parseRpmNdb : parseRpmBerkeley;
      for (let round = 0; round < 500; round++) {
        const db = Buffer.from(source);
        // Damage where the structure lives: metadata, slot pages, page headers and item indexes.
        for (let k = 0; k < 4; k++) {
          const page = random(Math.min(8, db.length / 4096)) * 4096;
          db[page + random(64)] = random(256);
        }
        const analysis = parse(db, 'shown');
        assert.ok(Array.isArray(analysis.packages));
      }
    }
  });
});

/** Points the last page of an overflow chain back at its first. */
function loopOverflow(db: Buffer, item: number): Buffer {
  const first = db.readUInt32LE(item + 4);
  let page = first;
  while (db.readUInt32LE(page * 4096 + 16) !== 0) page = db.readUInt32LE(page * 4096 + 16);
  db.writeUInt32LE(first, page * 4096 + 16);
  db.writeUInt32LE(db.readUInt32LE(item + 8) + 4096, item + 8);
  return db;
}
