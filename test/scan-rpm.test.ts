// rpm's SQLite database, read without SQLite: real databases checked against `rpm -qa`,
// and hostile ones that must end in a note, never a crash or a hang.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { gunzipSync } from 'node:zlib';
import { parseRpmHeader, RpmHeaderError } from '../src/scan/inventory/rpm-header.ts';
import { parseRpmSqlite, parseSourceRpm, rpmAnalyzer } from '../src/scan/inventory/rpm.ts';
import { readVarint, SqliteFile, SqliteFormatError } from '../src/scan/inventory/rpmdb-sqlite.ts';

const read = (name: string): Buffer => readFileSync(new URL(`./fixtures/inventory/rpm/${name}`, import.meta.url));
const database = (name: string): Buffer => gunzipSync(read(`${name}.rpmdb.sqlite.gz`));

/** Rows of `rpm -qa --qf '%{NAME}\t%{ARCH}\t[epoch:]%{VERSION}-%{RELEASE}\t%{SOURCERPM}\t%{LICENSE}'`. */
function expectedRows(name: string): string[][] {
  return read(`${name}.expected.tsv`).toString('utf8').trimEnd().split('\n').map((line) => line.split('\t'));
}

/** The source package as rpm names its SRPM file, split here with a regular expression, not the code under test. */
function sourceOf(srpm: string, version: string): [string, string] {
  const match = /^(.+)-([^-]+-[^-]+)\.src\.rpm$/.exec(srpm);
  assert.ok(match, srpm);
  const epoch = /^(\d+):/.exec(version)?.[0] ?? '';
  return [match[1]!, `${epoch}${match[2]!}`];
}

describe('real rpm databases', () => {
  for (const name of ['cbl-mariner-2.0', 'rpm-4.18-justdb']) {
    it(`${name}: the same packages, versions, sources and licenses as rpm -qa`, () => {
      const analysis = parseRpmSqlite(database(name), `/var/lib/rpm/rpmdb.sqlite`);
      assert.deepEqual(analysis.notes, []);
      const expected = expectedRows(name).filter(([pkg]) => pkg !== 'gpg-pubkey');
      const rows = analysis.packages
        .map((p) => [p.name, p.arch ?? '', p.version, p.sourceName ?? '', p.sourceVersion ?? '', (p.licenses ?? []).join()])
        .sort((a, b) => (a.join() < b.join() ? -1 : 1));
      const wanted = expected
        .map(([pkg, arch, version, srpm, license]) => [pkg!, arch!, version!, ...sourceOf(srpm!, version!), license!])
        .sort((a, b) => (a.join() < b.join() ? -1 : 1));
      assert.deepEqual(rows, wanted);
    });
  }

  it('reads the 129 packages of CBL-Mariner 2.0, including epoch-carrying ones', () => {
    const { packages } = parseRpmSqlite(database('cbl-mariner-2.0'), 'shown');
    assert.equal(packages.length, 129);
    const ca = packages.find((p) => p.name === 'ca-certificates-base');
    assert.equal(ca?.version, '1:2.0.0-1.cm2');
    assert.equal(ca?.epoch, 1);
    assert.equal(ca?.sourceName, 'ca-certificates');
  });

  it('follows overflow chains: a 68 KB header in 4 KiB pages', () => {
    const { packages } = parseRpmSqlite(database('rpm-4.18-justdb'), 'shown');
    const big = packages.find((p) => p.name === 'immutag-fixture');
    assert.deepEqual(big, {
      type: 'rpm', name: 'immutag-fixture', version: '2:1.4.0-3.fx1', epoch: 2, arch: 'noarch',
      licenses: ['MIT AND (Apache-2.0 OR BSD-3-Clause)'], sourceName: 'immutag-fixture', sourceVersion: '2:1.4.0-3.fx1',
    });
  });

  it('leaves out the gpg-pubkey pseudo-packages rpm --import creates', () => {
    const { packages } = parseRpmSqlite(database('rpm-4.18-justdb'), 'shown');
    assert.deepEqual(packages.map((p) => p.name).sort(), ['immutag-fixture', 'immutag-small']);
  });

  it('reads the file header of a real .rpm too (the same format, with its magic)', () => {
    const rpm = read('immutag-small-0.1-1.noarch.rpm');
    const header = parseRpmHeader(rpm.subarray(mainHeaderOffset(rpm)));
    assert.deepEqual(header, { name: 'immutag-small', version: '0.1', release: '1', arch: 'noarch', sourceRpm: 'immutag-small-0.1-1.src.rpm', license: 'GPL-2.0-or-later' });
  });
});

/** A .rpm file: 96-byte lead, signature header padded to 8 bytes, then the main header. */
function mainHeaderOffset(rpm: Buffer): number {
  const tags = rpm.readUInt32BE(96 + 8);
  const data = rpm.readUInt32BE(96 + 12);
  return (96 + 16 + tags * 16 + data + 7) & ~7;
}

describe('where rpm keeps its database', () => {
  const cases: Array<[string, 'read' | 'presence' | 'unsupported' | undefined]> = [
    ['var/lib/rpm/rpmdb.sqlite', 'read'],
    ['usr/lib/sysimage/rpm/rpmdb.sqlite', 'read'],
    ['var/lib/rpm/rpmdb.sqlite-wal', 'read'],
    ['var/lib/rpm/Packages', 'read'],
    ['usr/lib/sysimage/rpm/Packages.db', 'read'],
    ['var/lib/rpm/Index.db', undefined],
    ['var/lib/rpm/rpmdb.sqlite-shm', undefined],
    ['opt/var/lib/rpm/rpmdb.sqlite', undefined],
  ];
  for (const [path, interest] of cases) {
    it(`${path}: ${interest ?? 'ignored'}`, () => assert.equal(rpmAnalyzer.interest(path), interest));
  }

});

describe('rpm transactions left in the SQLite write-ahead log', () => {
  const wal = gunzipSync(read('rpm-4.18-wal.rpmdb.sqlite-wal.gz'));
  const path = 'var/lib/rpm/rpmdb.sqlite-wal';

  it('stop the scan: rpm reads them, the database file alone does not hold them', () => {
    const db = parseRpmSqlite(gunzipSync(read('rpm-4.18-wal.rpmdb.sqlite.gz')), '/var/lib/rpm/rpmdb.sqlite');
    assert.deepEqual(db.packages.map((p) => p.name), ['immutag-small'], 'immutag-late is only in the WAL');
    const analysis = rpmAnalyzer.parse(path, wal);
    assert.deepEqual(analysis.packages, []);
    assert.match(analysis.unread?.reason ?? '', /^\/var\/lib\/rpm\/rpmdb\.sqlite-wal: 1 rpm transaction \(13 pages\) not yet in rpmdb\.sqlite \(rpm was killed, or another process held the database open\)/);
    assert.match(analysis.unread?.hint ?? '', /rpm --rebuilddb/);
  });

  it('an empty WAL, a header alone, or frames that fail their checksums hold nothing rpm would read', () => {
    assert.equal(rpmAnalyzer.parse(path, Buffer.alloc(0)).unread, undefined);
    assert.equal(rpmAnalyzer.parse(path, wal.subarray(0, 32)).unread, undefined);
    const torn = Buffer.from(wal);
    torn[32 + 24 + 100] = torn[32 + 24 + 100]! ^ 0xff; // first frame's page: the chain breaks there
    assert.equal(rpmAnalyzer.parse(path, torn).unread, undefined);
    // A WAL restarted after a checkpoint: a new salt in a valid header, so the old frames are stale.
    const resalted = Buffer.from(wal);
    resalted.writeUInt32BE(resalted.readUInt32BE(16) ^ 1, 16);
    let [s0, s1] = [0, 0];
    for (let i = 0; i < 24; i += 8) {
      s0 = (s0 + resalted.readUInt32LE(i) + s1) >>> 0; // magic 0x377f0682: little-endian words
      s1 = (s1 + resalted.readUInt32LE(i + 4) + s0) >>> 0;
    }
    resalted.writeUInt32BE(s0, 24);
    resalted.writeUInt32BE(s1, 28);
    assert.equal(rpmAnalyzer.parse(path, resalted).unread, undefined);
    const badHeader = Buffer.from(wal);
    badHeader[24] = badHeader[24]! ^ 1;
    assert.equal(rpmAnalyzer.parse(path, badHeader).unread, undefined, 'a header whose checksum fails makes the WAL empty to SQLite');
  });

  it('a commit before a torn frame still counts', () => {
    const frame = 24 + 4096;
    const twoCommits = Buffer.concat([wal, wal.subarray(32, 32 + frame)]); // a 14th frame whose checksum does not chain
    assert.match(rpmAnalyzer.parse(path, twoCommits).unread?.reason ?? '', /1 rpm transaction \(13 pages\)/);
  });
});

describe('hostile and broken databases are reported as not read', () => {
  const mutations: Array<{ name: string; mutate: (db: Buffer) => Buffer; note: RegExp }> = [
    { name: 'not SQLite at all', mutate: () => Buffer.from('this is not a database'), note: /bad header magic/ },
    { name: 'an impossible page size', mutate: (db) => withUInt16(db, 16, 1000), note: /invalid page size/ },
    { name: 'cut in half', mutate: (db) => db.subarray(0, db.length / 2), note: /out of range|past the end/ },
    { name: 'no Packages table', mutate: (db) => renameTable(db), note: /no Packages table/ },
    { name: 'a page that points at itself', mutate: (db) => selfReferencingRoot(db), note: /cycle/ },
    { name: 'a root page of the wrong kind', mutate: (db) => withByte(db, pageOffset(db, packagesRoot(db)), 0x0a), note: /not a table b-tree page/ },
    { name: 'a cell pointer past the page', mutate: (db) => withUInt16(db, firstCellPointer(db), 0xffff), note: /past the end of its page/ },
  ];
  for (const { name, mutate, note } of mutations) {
    it(name, () => {
      const analysis = parseRpmSqlite(mutate(Buffer.from(database('cbl-mariner-2.0'))), '/var/lib/rpm/rpmdb.sqlite');
      assert.deepEqual(analysis.packages, []);
      assert.match(analysis.unread?.reason ?? '', note);
      assert.match(analysis.unread?.reason ?? '', /^\/var\/lib\/rpm\/rpmdb\.sqlite: not a readable rpm SQLite database/);
    });
  }

  it('a broken package header leaves the database not fully read and says which row', () => {
    const db = database('rpm-4.18-justdb');
    const file = new SqliteFile(db);
    const small = [...file.rows(file.tableRoot('Packages')!)].find((row) => (row.values[1] as Buffer).includes('immutag-small'));
    assert.ok(small);
    // Local payloads are views of the file buffer: overwrite the header's tag count in place.
    (small.values[1] as Buffer).writeUInt32BE(0x7fffffff, 0);
    const analysis = parseRpmSqlite(db, 'shown');
    assert.deepEqual(analysis.packages.map((p) => p.name), ['immutag-fixture']);
    assert.match(analysis.unread?.reason ?? '', new RegExp(`1 package headers could not be read \\(rows ${small.rowid}\\)`));
  });
});

describe('rpm header blobs', () => {
  const good = (): Buffer => {
    const rpm = read('immutag-small-0.1-1.noarch.rpm');
    return Buffer.from(rpm.subarray(mainHeaderOffset(rpm) + 8));
  };
  const cases: Array<{ name: string; blob: () => Buffer; error: RegExp }> = [
    { name: 'too short', blob: () => Buffer.alloc(4), error: /too short/ },
    { name: 'no index entries', blob: () => Buffer.alloc(16), error: /out of range/ },
    { name: 'truncated data', blob: () => good().subarray(0, 200), error: /truncated/ },
    { name: 'a tag offset past the data', blob: () => withTagField(good(), 1000, 8, 0x7ffffff0), error: /out of range/ },
    { name: 'NAME with a non-string type', blob: () => withTagField(good(), 1000, 4, 4), error: /expected a string/ },
  ];
  for (const { name, blob, error } of cases) {
    it(name, () => {
      assert.throws(() => parseRpmHeader(blob()), (err: unknown) => err instanceof RpmHeaderError && error.test(err.message));
    });
  }

  const srpms: Array<[string, ReturnType<typeof parseSourceRpm>]> = [
    ['bash-5.1.8-6.el9.src.rpm', { name: 'bash', version: '5.1.8-6.el9' }],
    ['python3.12-lxml-4.9.3-2.el9_8.1.src.rpm', { name: 'python3.12-lxml', version: '4.9.3-2.el9_8.1' }],
    ['kernel-5.14.0-427.13.1.el9_4.nosrc.rpm', { name: 'kernel', version: '5.14.0-427.13.1.el9_4' }],
    ['nodashes.src.rpm', undefined],
    ['', undefined],
  ];
  for (const [file, expected] of srpms) {
    it(`SOURCERPM ${file || '(empty)'}`, () => assert.deepEqual(parseSourceRpm(file), expected));
  }
});

describe('SQLite varints', () => {
  const cases: Array<[number[], number, number]> = [
    [[0x00], 0, 1],
    [[0x7f], 127, 1],
    [[0x81, 0x00], 128, 2],
    [[0x82, 0x80, 0x00], 32768, 3],
    [[0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01], 2 ** 64 - 255, 9],
  ];
  for (const [bytes, value, length] of cases) {
    it(`${Buffer.from(bytes).toString('hex')} → ${value}`, () => {
      const [v, n] = readVarint(Buffer.from(bytes), 0);
      assert.equal(n, length);
      assert.equal(v, value);
    });
  }

  it('refuses a varint that runs off the end', () => {
    assert.throws(() => readVarint(Buffer.from([0x81, 0x81]), 0), SqliteFormatError);
  });
});

function withByte(db: Buffer, offset: number, value: number): Buffer {
  db[offset] = value;
  return db;
}

function withUInt16(db: Buffer, offset: number, value: number): Buffer {
  db.writeUInt16BE(value, offset);
  return db;
}

function packagesRoot(db: Buffer): number {
  return new SqliteFile(db).tableRoot('Packages')!;
}

function pageOffset(db: Buffer, page: number): number {
  return (page - 1) * new SqliteFile(db).pageSize;
}

/** The schema stores the table's name as text; changing one letter (in every copy, stale cells included) hides it. */
function renameTable(db: Buffer): Buffer {
  const record = 'tablePackagesPackages';
  let found = 0;
  for (let at = db.indexOf(record); at >= 0; at = db.indexOf(record, at + 1)) {
    db[at + 'table'.length] = 'X'.charCodeAt(0);
    found++;
  }
  assert.ok(found > 0, 'schema record found');
  return db;
}

/** Points the root's right-most child back at the root (an interior page: 129 big rows do not fit one page). */
function selfReferencingRoot(db: Buffer): Buffer {
  const root = packagesRoot(db);
  const header = pageOffset(db, root);
  assert.equal(db[header], 0x05, 'the Packages root is an interior page');
  db.writeUInt32BE(root, header + 8);
  return db;
}

function firstCellPointer(db: Buffer): number {
  const header = pageOffset(db, packagesRoot(db));
  return header + (db[header] === 0x05 ? 12 : 8);
}

/** Rewrites one field (4-byte word at `field` in the 16-byte index entry) of the entry for `tag`. */
function withTagField(blob: Buffer, tag: number, field: number, value: number): Buffer {
  const tags = blob.readUInt32BE(0);
  for (let i = 0; i < tags; i++) {
    const entry = 8 + i * 16;
    if (blob.readInt32BE(entry) === tag) {
      blob.writeInt32BE(value, entry + field);
      return blob;
    }
  }
  throw new Error(`tag ${tag} not found`);
}
