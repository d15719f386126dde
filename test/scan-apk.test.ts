// Alpine's installed database, checked against a real minirootfs.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { apkAnalyzer, parseApkInstalled } from '../src/scan/inventory/apk.ts';

const read = (name: string): Buffer => readFileSync(new URL(`./fixtures/inventory/apk/${name}`, import.meta.url));

describe('a real Alpine installed database', () => {
  const analysis = apkAnalyzer.parse('lib/apk/db/installed', read('installed'));

  it('lists every package with arch, version and origin (the source package OSV indexes)', () => {
    const rows = analysis.packages
      .map((p) => [p.name, p.arch, p.version, p.sourceName].join('\t'))
      .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    assert.deepEqual(rows, read('installed.expected.tsv').toString('utf8').trimEnd().split('\n'));
    assert.deepEqual(analysis.notes, []);
  });

  it('gives subpackages their origin with the same version', () => {
    const libssl = analysis.packages.find((p) => p.name === 'libssl1.1');
    assert.deepEqual(libssl, {
      type: 'apk', name: 'libssl1.1', version: '1.1.1k-r0', arch: 'armv7',
      sourceName: 'openssl', sourceVersion: '1.1.1k-r0', licenses: ['OpenSSL'],
    });
  });
});

describe('where apk keeps its database', () => {
  const cases: Array<[string, boolean]> = [
    ['lib/apk/db/installed', true],
    ['usr/lib/apk/db/installed', true],
    ['lib/apk/db/scripts.tar', false],
    ['var/lib/apk/installed', false],
    ['home/user/lib/apk/db/installed', false],
  ];
  for (const [path, read] of cases) {
    it(`${path}: ${read ? 'read' : 'ignored'}`, () => assert.equal(apkAnalyzer.interest(path), read ? 'read' : undefined));
  }
});

describe('an installed file apk itself refuses is not read: the scan stops', () => {
  // A line of two bytes or more whose second is not `:` makes apk-tools refuse the database.
  for (const [name, text, line] of [
    ['garbage', '\u0000\u0001\u0002'.repeat(500), 1],
    ['a line that is not K:value', 'P:a\nV:1\nPV\n:\nX\n', 3],
  ] as const) {
    it(name, () => {
      const analysis = parseApkInstalled(text, '/lib/apk/db/installed');
      assert.deepEqual(analysis.packages, []);
      assert.equal(analysis.unread?.reason, `/lib/apk/db/installed: line ${line} is not a K:value line, and apk refuses a database holding one`);
    });
  }
});

describe('malformed installed files', () => {
  const cases: Array<{ name: string; text: string; names: string[]; note?: RegExp }> = [
    { name: 'a stanza without a version', text: 'P:musl\nV:1.2.4-r2\n\nP:broken\n\nP:zlib\nV:1.3-r0\n', names: ['musl', 'zlib'], note: /1 entries without a package name/ },
    { name: 'no origin: the package is its own source', text: 'P:busybox\nV:1.36.1-r5\nA:x86_64\n', names: ['busybox'] },
    { name: 'empty', text: '', names: [] },
    // apk-tools ends an entry at any line shorter than two bytes (database.c apk_db_fdb_read).
    { name: 'a one-byte line ends an entry, as a blank one does', text: 'P:a\nV:1\n:\nP:b\nV:2\nX\n', names: ['a', 'b'] },
  ];
  for (const { name, text, names, note } of cases) {
    it(name, () => {
      const analysis = parseApkInstalled(text, '/lib/apk/db/installed');
      assert.deepEqual(analysis.packages.map((p) => p.name), names);
      assert.ok(analysis.packages.every((p) => p.sourceName));
      if (note) assert.match(analysis.notes.join('\n'), note);
      else assert.deepEqual(analysis.notes, []);
    });
  }
});
