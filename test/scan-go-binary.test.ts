// Go binaries: real ones, built offline here with Debian's golang-go from modules Debian
// ships as source (test/support/go-fixture.ts); `go version -m` is the truth.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { before, describe, it } from 'node:test';
import { inventoryImage, NO_OS_NOTE } from '../src/scan/inventory.ts';
import { GoBinaryReader, goBinaryAnalyzer } from '../src/scan/inventory/go-binary.ts';
import {
  BUILDINFO_MAGIC, goPackages, goToolchainVersion, MODINFO_END, MODINFO_START, parseModinfo,
} from '../src/scan/inventory/go-buildinfo.ts';
import type { Package } from '../src/scan/model.ts';
import { matchPackages } from '../src/scan/osv/match.ts';
import { buildGoBinaries, buildGoWorkspaceBinary, type GoBinaries, type GoTruth, goVersionTruth } from './support/go-fixture.ts';
import { InventoryImage } from './support/inventory-image.ts';

const RECORDS = fileURLToPath(new URL('./fixtures/osv/records/', import.meta.url));
const DEBIAN = readFileSync(new URL('./fixtures/inventory/os-release/debian-12', import.meta.url));

let binaries: GoBinaries;
let truth: GoTruth;

before(async () => {
  binaries = await buildGoBinaries();
  truth = await goVersionTruth(binaries.plain);
});

/** Missing, extra and wrong-version modules of `packages` against `go version -m` (its `v0.9.1` is OSV's `0.9.1`). */
function compare(packages: Package[], want: GoTruth): { missing: string[]; extra: string[]; wrong: string[] } {
  const expected = new Map([...want.modules].map(([path, version]) => [path, version.replace(/^v/, '')]));
  expected.set('stdlib', goToolchainVersion(want.toolchain)!);
  const got = new Map(packages.map((p) => [p.name, p.version]));
  return {
    missing: [...expected.keys()].filter((name) => !got.has(name)),
    extra: [...got.keys()].filter((name) => !expected.has(name)),
    wrong: [...expected].filter(([name, version]) => got.has(name) && got.get(name) !== version).map(([name]) => name),
  };
}

describe('Go binaries against `go version -m`', () => {
  it('finds every module and the toolchain, with replacements applied, in plain and stripped builds', async () => {
    assert.ok(truth.modules.size >= 2, 'the fixture has two dependencies');
    assert.equal(truth.modules.get('github.com/immutag-fork/errors'), 'v0.9.1', 'the replacement is what go version -m reports');
    const image = new InventoryImage();
    const base = await image.layer([{ name: 'etc/os-release', content: DEBIAN }, { name: 'usr/bin/true', content: readFileSync('/usr/bin/true') }]);
    const apps = await image.layer([
      { name: 'usr/local/bin/app', content: readFileSync(binaries.plain) },
      { name: 'opt/app-stripped', content: readFileSync(binaries.stripped) },
      { name: 'opt/readme.txt', content: 'not a binary\n'.repeat(100) },
    ], 'zstd');
    const { packages, notes } = await inventoryImage(image.source, image.manifest);
    // A Debian os-release with no dpkg database: the image's one line about its OS.
    assert.deepEqual(notes, ['Debian GNU/Linux 12 (bookworm) (ID=debian): no dpkg, apk or rpm package was found, so its OS packages were neither listed nor matched against advisories; only language packages were checked.']);
    for (const path of ['/usr/local/bin/app', '/opt/app-stripped']) {
      const found = packages.filter((p) => p.path === path);
      assert.deepEqual(compare(found, truth), { missing: [], extra: [], wrong: [] }, path);
      for (const pkg of found) {
        assert.equal(pkg.ecosystem, 'Go');
        assert.equal(pkg.layer, apps.digest);
        assert.notEqual(pkg.layer, base.digest);
      }
    }
    const byName = new Map(packages.filter((p) => p.path === '/usr/local/bin/app').map((p) => [p.name, p]));
    assert.equal(byName.get('stdlib')?.purl, `pkg:golang/stdlib@${goToolchainVersion(truth.toolchain)}`);
    assert.equal(byName.get('github.com/google/uuid')?.version, '1.3.0');
    assert.equal(byName.get('github.com/google/uuid')?.purl, 'pkg:golang/github.com/google/uuid@v1.3.0');
    assert.equal(packages.filter((p) => p.path === '/usr/bin/true').length, 0, 'a C binary has no Go build info');
  });

  it('reads PE (windows/amd64), Mach-O (darwin/arm64) and externally linked cgo builds of the same program', async () => {
    for (const binary of [binaries.windows, binaries.darwin, binaries.cgo]) {
      const want = await goVersionTruth(binary);
      const reader = goBinaryAnalyzer.stream!(binary, 1 << 30)!;
      const bytes = readFileSync(binary);
      for (let at = 0; at < bytes.length; at += 65536) if (!reader.write(bytes.subarray(at, at + 65536))) break;
      reader.end();
      const packages = reader.result()!.packages.map((p) => ({ ...p, ecosystem: 'Go', path: binary, layer: '' }));
      assert.deepEqual(compare(packages, want), { missing: [], extra: [], wrong: [] }, binary);
    }
  });

  it('reads the same whatever the chunk boundaries (the magic split across chunks)', () => {
    const bytes = readFileSync(binaries.plain);
    const whole = goBinaryAnalyzer.parse('app', bytes);
    for (const size of [1021, 4096, 65536 + 7]) {
      const reader = new GoBinaryReader('/app');
      for (let at = 0; at < bytes.length; at += size) if (!reader.write(bytes.subarray(at, at + size))) break;
      reader.end();
      assert.deepEqual(reader.result(), whole, `chunks of ${size}`);
    }
  });

  it('stops reading a Go binary once its build info is read, and a non-executable at its first chunk', () => {
    const bytes = readFileSync(binaries.plain);
    const reader = new GoBinaryReader('/app');
    let fed = 0;
    for (let at = 0; at < bytes.length; at += 65536) {
      fed += 65536;
      if (!reader.write(bytes.subarray(at, at + 65536))) break;
    }
    assert.ok(fed < bytes.length, `stopped at ${fed} of ${bytes.length} bytes`);
    const text = new GoBinaryReader('/notes.txt');
    assert.equal(text.write(Buffer.from('hello world, this is text '.repeat(100))), false);
    text.end();
    assert.equal(text.result(), undefined);
  });

  it('a later layer replacing or deleting the binary takes its packages away', async () => {
    const image = new InventoryImage();
    await image.layer([{ name: 'etc/os-release', content: DEBIAN }, { name: 'bin/app', content: readFileSync(binaries.plain) }, { name: 'bin/tool', content: readFileSync(binaries.stripped) }]);
    await image.layer([{ name: 'bin/app', content: '#!/bin/sh\necho replaced by a script\n'.repeat(8) }, { name: 'bin/.wh.tool' }]);
    const { packages } = await inventoryImage(image.source, image.manifest);
    assert.deepEqual(packages, []);
  });

  it('a hard link to a Go binary lists its modules at the link\'s path too', async () => {
    const image = new InventoryImage();
    await image.layer([{ name: 'usr/bin/app', content: readFileSync(binaries.stripped) }, { name: 'usr/local/bin/app', type: 'link', linkname: 'usr/bin/app' }]);
    const { packages } = await inventoryImage(image.source, image.manifest);
    for (const path of ['/usr/bin/app', '/usr/local/bin/app']) {
      assert.deepEqual(compare(packages.filter((p) => p.path === path), truth), { missing: [], extra: [], wrong: [] }, path);
    }
  });

  it('matches the real advisory GO-2023-1840 (runtime, fixed in 1.19.10) against the stdlib of a Go 1.19.8 binary', async () => {
    const image = new InventoryImage();
    await image.layer([{ name: 'usr/local/bin/app', content: readFileSync(binaries.plain) }]);
    const { packages } = await inventoryImage(image.source, image.manifest);
    const stdlib = packages.find((p) => p.name === 'stdlib')!;
    // Pinned to Debian 12's toolchain (1.19.8) and the first fixed release, whatever Go built the fixture.
    const { matches } = await matchPackages([{ ...stdlib, version: '1.19.8' }, { ...stdlib, version: '1.19.10', path: '/fixed' }], { vulnDb: RECORDS });
    const go = matches.filter((m) => m.record.id === 'GO-2023-1840');
    assert.deepEqual(go.map((m) => [m.package.version, m.fixed]), [['1.19.8', '1.19.10']]);
  });
});

/**
 * A Go 1.13-1.17 layout, which today's toolchain cannot produce: an ELF64 file with a
 * read-only PT_LOAD (file 0-8 KiB at 0x400000) holding the module text between its
 * sentinels and the version string `go1.16.15` (not terminated, as Go stores strings);
 * a writable PT_LOAD (file 8-16 KiB at 0x402000) holding the pointer-format header and,
 * further on, runtime.buildVersion's string header; and the Go build ID note.
 */
function preGo118Elf(modinfo: string): Buffer {
  const file = Buffer.alloc(16 * 1024);
  file.writeUInt32BE(0x7f454c46, 0);
  file[4] = 2; // ELFCLASS64
  file[5] = 1; // little-endian
  file.writeBigUInt64LE(64n, 32); // e_phoff
  file.writeUInt16LE(56, 54); // e_phentsize
  file.writeUInt16LE(3, 56); // e_phnum
  const load = (at: number, flags: number, offset: bigint, vaddr: bigint, size: bigint): void => {
    file.writeUInt32LE(1, at); // PT_LOAD
    file.writeUInt32LE(flags, at + 4);
    file.writeBigUInt64LE(offset, at + 8);
    file.writeBigUInt64LE(vaddr, at + 16);
    file.writeBigUInt64LE(size, at + 32);
  };
  load(64, 6, 8192n, 0x402000n, 8192n); // PF_R | PF_W
  file.writeUInt32LE(4, 120); // PT_NOTE: the Go build ID note every Go-linked ELF carries
  file.writeBigUInt64LE(512n, 128); // p_offset
  file.writeBigUInt64LE(20n, 152); // p_filesz
  load(176, 4, 0n, 0x400000n, 8192n); // PF_R
  file.writeUInt32LE(3, 512); // namesz ("Go\0")
  file.writeUInt32LE(4, 516); // descsz
  file.writeUInt32LE(4, 520); // NT_GO_BUILDID
  file.write('Go\0\0abcd', 524, 'latin1');
  Buffer.concat([MODINFO_START, Buffer.from(modinfo), MODINFO_END]).copy(file, 1024);
  file.write('go1.16.15runtime error', 3000, 'latin1'); // at 0x400bb8
  BUILDINFO_MAGIC.copy(file, 8192 + 32); // 16-byte aligned, not at the segment start
  file[8192 + 32 + 14] = 8; // pointer size
  file[8192 + 32 + 15] = 0; // pointer format, little-endian
  file.writeBigUInt64LE(0x402000n + 4096n, 8192 + 32 + 16); // &runtime.buildVersion
  file.writeBigUInt64LE(0x402000n + 4112n, 8192 + 32 + 24); // &runtime.modinfo
  file.writeBigUInt64LE(0x400000n + 3000n, 8192 + 4096); // buildVersion = {ptr, len 9}
  file.writeBigUInt64LE(9n, 8192 + 4096 + 8);
  return file;
}

describe('a Go binary built in workspace mode (go.work), as kubectl is', () => {
  it('a workspace module (`dep … (devel)`, no version) is noted, not listed as version "(devel)" nor matched', async () => {
    const binary = await buildGoWorkspaceBinary();
    const want = await goVersionTruth(binary);
    assert.equal(want.modules.get('example.com/immutag/golib'), '(devel)', 'go version -m lists the workspace module with no version');
    const image = new InventoryImage();
    await image.layer([{ name: 'usr/local/bin/app', content: readFileSync(binary) }]);
    const { packages, notes } = await inventoryImage(image.source, image.manifest);
    // Listed as "(devel)", it sorts above every release: an advisory open from v2.0.0 on would match it.
    const dir = mkdtempSync(join(tmpdir(), 'immutag-osv-'));
    mkdirSync(join(dir, 'Go'));
    const record = { id: 'GO-0000-0001', modified: '2024-01-01T00:00:00Z', affected: [{ package: { ecosystem: 'Go', name: 'example.com/immutag/golib' }, ranges: [{ type: 'SEMVER', events: [{ introduced: '2.0.0' }] }] }] };
    writeFileSync(join(dir, 'Go', 'GO-0000-0001.json'), JSON.stringify(record));
    const { matches } = await matchPackages(packages, { vulnDb: dir });
    assert.deepEqual(
      { packages: packages.map((p) => `${p.name}@${p.version}`), matches: matches.map((m) => m.record.id) },
      { packages: [`stdlib@${goToolchainVersion(want.toolchain)}`], matches: [] },
    );
    assert.match(notes.join('\n'), /example\.com\/immutag\/golib/);
  });
});

describe('Go 1.13-1.17 binaries (pointer format)', () => {
  it('the toolchain through the pointers into read-only data, the modules from the sentinel-wrapped text', () => {
    const modinfo = 'path\tex.com/cmd\nmod\tex.com/cmd\t(devel)\t\ndep\tgolang.org/x/text\tv0.3.6\th1:x=\n';
    const bytes = preGo118Elf(modinfo);
    for (const chunk of [bytes.length, 4096, 1000, 7]) {
      const reader = new GoBinaryReader('/old');
      for (let at = 0; at < bytes.length; at += chunk) if (!reader.write(bytes.subarray(at, at + chunk))) break;
      reader.end();
      const { packages, notes } = reader.result()!;
      assert.deepEqual(packages.map((p) => `${p.name}@${p.version}`), ['stdlib@1.16.15', 'golang.org/x/text@0.3.6'], `chunks of ${chunk}`);
      assert.deepEqual(notes, []);
    }
  });

  it('a version pointer that leads nowhere read is a note; the modules are still listed', () => {
    const file = preGo118Elf('path\tex.com/cmd\ndep\tgolang.org/x/text\tv0.3.6\th1:x=\n');
    file.writeBigUInt64LE(0x900000n, 8192 + 4096); // outside every segment
    const { packages, notes } = goBinaryAnalyzer.parse('old', file);
    assert.deepEqual(packages.map((p) => `${p.name}@${p.version}`), ['golang.org/x/text@0.3.6']);
    assert.match(notes[0] ?? '', /before Go 1\.18; its toolchain version could not be read, so the standard library was not matched/);
  });

  it('an ELF without the Go note is not searched for module text or versions', () => {
    const file = preGo118Elf('path\tex.com/cmd\ndep\tgolang.org/x/text\tv0.3.6\th1:x=\n');
    file.writeUInt32LE(5, 524 - 4); // not NT_GO_BUILDID
    const { packages, notes } = goBinaryAnalyzer.parse('old', file);
    assert.deepEqual(packages, []);
    assert.match(notes[0] ?? '', /its toolchain version and modules could not be read/);
  });
});

describe('Go module versions as OSV spells them', () => {
  it('a pseudo-version of runc between the introducing commit and 1.1.0 matches the real advisory GO-2022-0274; 1.1.0 does not', async () => {
    // The build info lines a binary vendoring runc carries (`go version -m` format).
    const modinfo = (version: string): string => `path\tex.com/cmd\nmod\tex.com/cmd\t(devel)\t\ndep\tgithub.com/opencontainers/runc\t${version}\th1:x=\n`;
    const packages = ['v1.0.3', 'v1.1.0'].map((version) => {
      const [runc] = goPackages(undefined, modinfo(version), '/x').packages;
      return { ...runc!, ecosystem: 'Go', path: '/x', layer: 'sha256:' + '0'.repeat(64) } as Package;
    });
    assert.deepEqual(packages.map((p) => p.version), ['1.0.3', '1.1.0']);
    const { matches } = await matchPackages(packages, { vulnDb: RECORDS });
    assert.deepEqual(matches.map((m) => [m.record.id, m.package.version, m.fixed]), [['GO-2022-0274', '1.0.3', '1.1.0']]);
  });
});

describe('build info text', () => {
  it('toolchain versions as x/vuln spells them', () => {
    const table: Array<[string, string | undefined]> = [
      ['go1.19.8', '1.19.8'], ['go1.20', '1.20.0'], ['go1.21rc2', '1.21.0-rc.2'], ['go1.22.3 X:boringcrypto', '1.22.3'],
      ['devel go1.23-abcdef', undefined], ['1.2.3', undefined],
      // Google's internal toolchain of go-app-stager (Google Cloud SDK): a snapshot before go1.22rc1, not go1.22.0.
      ['go1.22-20231128-RC02 cl/586117301 +6111acc8e6 X:fieldtrack,boringcrypto', undefined], ['go1.21.5-bigcorp', '1.21.5'],
    ];
    assert.deepEqual(table.map(([v]) => goToolchainVersion(v)), table.map(([, want]) => want));
  });

  it('a dependency replaced by a local directory is noted, not matched; a versioned main module is listed', () => {
    const modinfo = 'path\tex.com/cmd/x\nmod\tex.com/x\tv1.2.3\th1:abc=\ndep\tex.com/a\tv1.0.0\th1:a=\n=>\t../a\t\t\ndep\tex.com/b\tv0.1.0\th1:b=\nbuild\tGOOS=linux\n';
    assert.equal(parseModinfo(modinfo).deps.length, 2);
    const { packages, notes } = goPackages('go1.22.1', modinfo, '/x');
    assert.deepEqual(packages.map((p) => `${p.name}@${p.version}`), ['stdlib@1.22.1', 'ex.com/x@1.2.3', 'ex.com/b@0.1.0']);
    assert.match(notes[0] ?? '', /ex\.com\/a is replaced by the local directory \.\.\/a/);
  });

  it('a workspace module (`dep` with version `(devel)`, as in kubectl 1.30 on) is noted, not listed', () => {
    const modinfo = 'path\tk8s.io/kubernetes/cmd/kubectl\nmod\tk8s.io/kubernetes\t(devel)\t\ndep\tgithub.com/x/y\tv1.0.0\th1:y=\ndep\tk8s.io/client-go\t(devel)\t\n';
    const { packages, notes } = goPackages('go1.23.8', modinfo, '/kubectl');
    assert.deepEqual(packages.map((p) => `${p.name}@${p.version}`), ['stdlib@1.23.8', 'github.com/x/y@1.0.0']);
    assert.match(notes.join('\n'), /k8s\.io\/client-go/);
  });
});

describe('a content reader that throws', () => {
  it('becomes a note for that file; the rest of the layer is read', async () => {
    const { CONTENT_ANALYZERS } = await import('../src/scan/inventory/walk.ts');
    const analyzer = CONTENT_ANALYZERS.find((a) => a.name === 'go-binary')!;
    const original = analyzer.stream!;
    (analyzer as { stream: typeof original }).stream = (path, size) => {
      const reader = original.call(analyzer, path, size);
      if (!reader || !path.endsWith('broken')) return reader;
      return { ...reader, write: () => { throw new Error('boom'); }, end: () => reader.end(), result: () => reader.result() };
    };
    try {
      const image = new InventoryImage();
      await image.layer([{ name: 'bin/broken', content: readFileSync(binaries.stripped) }, { name: 'bin/app', content: readFileSync(binaries.stripped) }]);
      const { packages, notes } = await inventoryImage(image.source, image.manifest);
      assert.deepEqual(notes, ['/bin/broken: could not be read (boom).', NO_OS_NOTE]);
      assert.deepEqual(compare(packages.filter((p) => p.path === '/bin/app'), truth), { missing: [], extra: [], wrong: [] });
    } finally {
      (analyzer as { stream: typeof original }).stream = original;
    }
  });
});
