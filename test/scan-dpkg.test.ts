// dpkg's status file and the distroless status.d layout, checked against dpkg-query.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { dpkgAnalyzer, parseDpkg, parseSource } from '../src/scan/inventory/dpkg.ts';

const dir = new URL('./fixtures/inventory/dpkg/', import.meta.url);
const read = (name: string): Buffer => readFileSync(new URL(name, dir));

describe('a real status file', () => {
  it('lists exactly what dpkg-query lists as installed, with source names and versions', () => {
    const analysis = dpkgAnalyzer.parse('var/lib/dpkg/status', read('status'));
    const rows = analysis.packages
      .map((p) => [p.name, p.arch, p.version, p.sourceName, p.sourceVersion].join('\t'))
      .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    const expected = read('status.expected.tsv').toString('utf8').trimEnd().split('\n');
    assert.equal(rows.length, 858);
    assert.deepEqual(rows, expected);
    assert.deepEqual(analysis.notes, []);
  });

  it('keeps binNMU and epoch versions verbatim and splits "Source: name (version)"', () => {
    const analysis = dpkgAnalyzer.parse('var/lib/dpkg/status', read('status'));
    const byName = new Map(analysis.packages.map((p) => [p.name, p]));
    const withSourceVersion = analysis.packages.find((p) => p.sourceVersion !== p.version);
    assert.ok(withSourceVersion, 'the real file has a package built from a differently versioned source');
    assert.ok(analysis.packages.some((p) => p.version.includes(':')), 'and one with an epoch');
    assert.equal(byName.get('libc6')?.sourceName, 'glibc');
  });
});

describe('the distroless status.d layout', () => {
  const files = readdirSync(new URL('status.d/', dir)).sort();
  const controls = files.filter((f) => !f.endsWith('.md5sums'));

  it('reads each control file and ignores the .md5sums next to it', () => {
    for (const file of files) {
      const interest = dpkgAnalyzer.interest(`var/lib/dpkg/status.d/${file}`);
      assert.equal(interest, file.endsWith('.md5sums') ? undefined : 'read', file);
    }
  });

  it('treats every stanza as installed (there is no Status field)', () => {
    const packages = controls.flatMap((file) => dpkgAnalyzer.parse(`var/lib/dpkg/status.d/${file}`, read(`status.d/${file}`)).packages);
    assert.deepEqual(packages.map((p) => p.name).sort(), ['base-files', 'libc6', 'libssl3', 'netbase', 'tzdata']);
    const libc = packages.find((p) => p.name === 'libc6');
    assert.equal(libc?.sourceName, 'glibc');
    assert.equal(libc?.sourceVersion, libc?.version);
    assert.equal(libc?.arch, 'amd64');
    const libssl = packages.find((p) => p.name === 'libssl3');
    assert.equal(libssl?.sourceName, 'openssl');
  });

  it('does not read nested paths or the directory itself', () => {
    assert.equal(dpkgAnalyzer.interest('var/lib/dpkg/status.d/'), undefined);
    assert.equal(dpkgAnalyzer.interest('var/lib/dpkg/status.d/sub/libc6'), undefined);
    assert.equal(dpkgAnalyzer.interest('var/lib/dpkg/status-old'), undefined);
    assert.equal(dpkgAnalyzer.interest('var/lib/dpkg/available'), undefined);
  });
});

describe('which status entries count as installed', () => {
  const stanza = (name: string, status: string) => `Package: ${name}\nStatus: ${status}\nVersion: 1.0\nArchitecture: amd64\n`;
  const cases: Array<[string, boolean]> = [
    ['install ok installed', true],
    ['hold ok installed', true],
    ['deinstall ok installed', true],
    ['deinstall ok config-files', false],
    ['purge ok not-installed', false],
    // Files on disk all the same: `dpkg --unpack`, a postinst that failed under `|| true`,
    // triggers not yet run, an interrupted install. Only config-files and not-installed
    // leave no package files behind.
    ['install ok unpacked', true],
    ['install ok half-configured', true],
    ['install ok triggers-awaited', true],
    ['install ok triggers-pending', true],
    ['install reinstreq half-installed', true],
  ];
  for (const [status, installed] of cases) {
    it(`"${status}" → ${installed ? 'installed' : 'not reported'}`, () => {
      const { packages } = parseDpkg(stanza('pkg', status), 'status', '/var/lib/dpkg/status');
      assert.equal(packages.length, installed ? 1 : 0);
    });
  }
});

describe('parsing details', () => {
  it('reads field names case-insensitively, skips continuation lines and accepts CRLF', () => {
    const text = 'package: a\r\nstatus: install ok installed\r\nversion: 2:1.0-1\r\nDescription: x\r\n Version: 9.9\r\n\r\n';
    const { packages } = parseDpkg(text, 'status', 'shown');
    assert.deepEqual(packages, [{ type: 'deb', name: 'a', version: '2:1.0-1', sourceName: 'a', sourceVersion: '2:1.0-1' }]);
  });

  it('separates stanzas on lines holding only whitespace', () => {
    const text = 'Package: a\nStatus: install ok installed\nVersion: 1\n \t \nPackage: b\nStatus: install ok installed\nVersion: 2\n';
    assert.deepEqual(parseDpkg(text, 'status', 'shown').packages.map((p) => p.name), ['a', 'b']);
  });

  const sources: Array<[string, ReturnType<typeof parseSource>]> = [
    ['openssl (3.0.11-1~deb12u2)', { name: 'openssl', version: '3.0.11-1~deb12u2' }],
    ['glibc', { name: 'glibc' }],
    ['gcc-12 (12.2.0-14)', { name: 'gcc-12', version: '12.2.0-14' }],
    [' (1.0)', undefined],
    ['name ()', { name: 'name' }],
  ];
  for (const [value, expected] of sources) {
    it(`Source: ${value}`, () => assert.deepEqual(parseSource(value), expected));
  }
});

describe('malformed databases', () => {
  const cases: Array<{ name: string; text: string; packages: number; note?: RegExp }> = [
    { name: 'an installed stanza without Version', text: 'Package: a\nStatus: install ok installed\n\nPackage: b\nStatus: install ok installed\nVersion: 1\n', packages: 1, note: /1 installed entries without a Package or Version/ },
    { name: 'an installed stanza without Package', text: 'Status: install ok installed\nVersion: 1\n', packages: 0, note: /without a Package or Version/ },
    { name: 'binary garbage', text: '\u0000\u00ff\u0001PK\u0003\u0004'.repeat(1000), packages: 0 },
    { name: 'an empty file', text: '', packages: 0 },
    { name: 'one enormous line', text: 'Package'.repeat(200_000), packages: 0 },
  ];
  for (const { name, text, packages, note } of cases) {
    it(`${name}: ${packages} packages${note ? ', with a note' : ''}`, () => {
      const analysis = parseDpkg(text, 'status', '/var/lib/dpkg/status');
      assert.equal(analysis.packages.length, packages);
      if (note) assert.match(analysis.notes.join('\n'), note);
      else assert.deepEqual(analysis.notes, []);
    });
  }

  it('notes a status.d file that is not a control file', () => {
    for (const text of ['just text\n', '\n\n']) {
      const analysis = parseDpkg(text, 'status.d', '/var/lib/dpkg/status.d/x');
      assert.equal(analysis.packages.length, 0);
      assert.match(analysis.notes[0] ?? '', /^\/var\/lib\/dpkg\/status\.d\/x: /);
    }
  });
});

describe('a huge status file', () => {
  it('parses 200,000 real stanzas (tens of MB) in one pass', () => {
    const real = read('status').toString('utf8').trim().split('\n\n');
    const copies = Math.ceil(200_000 / real.length);
    const parts: string[] = [];
    for (let copy = 0; copy < copies; copy++) {
      for (const stanza of real) parts.push(stanza.replace(/^Package: (.*)$/m, `Package: $1-copy${copy}`));
    }
    const text = parts.join('\n\n') + '\n';
    assert.ok(text.length > 40 * 1024 * 1024, `${text.length} characters`);
    const { packages, notes } = parseDpkg(text, 'status', '/var/lib/dpkg/status');
    assert.equal(packages.length, copies * real.length);
    assert.deepEqual(notes, []);
    assert.equal(new Set(packages.map((p) => p.name)).size, packages.length);
  });
});
