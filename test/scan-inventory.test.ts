// inventoryImage end to end over in-memory images: layers in order, whiteouts,
// attribution to the introducing layer, OS and ecosystems, notes instead of crashes.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { gunzipSync } from 'node:zlib';
import { ImmutagError } from '../src/errors.ts';
import { MemoryLogger } from '../src/log.ts';
import { MediaType } from '../src/oci.ts';
import { inventoryImage } from '../src/scan/inventory.ts';
import type { Package } from '../src/scan/model.ts';
import { InventoryImage } from './support/inventory-image.ts';
import { buildTar, compress, type TarMember, ustarHeader } from './support/layer-tar.ts';

const fixture = (path: string): Buffer => readFileSync(new URL(`./fixtures/inventory/${path}`, import.meta.url));
const STATUS = fixture('dpkg/status').toString('utf8');
const STANZAS = STATUS.trim().split('\n\n');
const DEBIAN = fixture('os-release/debian-12');


const debianRoot: TarMember[] = [
  { name: 'etc/os-release', type: 'symlink', linkname: '../usr/lib/os-release' },
  { name: 'usr/lib/os-release', content: DEBIAN },
];

const byName = (packages: Package[]) => new Map(packages.map((p) => [p.name, p]));

describe('layer attribution', () => {
  it('keeps the earlier layer for packages a later status rewrite did not change', async () => {
    const image = new InventoryImage();
    const base = await image.layer([...debianRoot, { name: 'var/lib/dpkg/status', content: STANZAS.slice(0, 100).join('\n\n') + '\n' }]);
    await image.layer([{ name: 'srv/app.bin', content: 'no packages here' }], 'zstd');
    const upgraded = STANZAS.slice(0, 120);
    upgraded[5] = upgraded[5]!.replace(/^Version: (.*)$/m, 'Version: $1+security1');
    const install = await image.layer([{ name: 'var/lib/dpkg/status', content: upgraded.join('\n\n') + '\n' }], 'none');
    const { packages } = await inventoryImage(image.source, image.manifest);
    assert.equal(packages.length, 120);
    const fromInstall = packages.filter((p) => p.layer === install.digest);
    assert.equal(fromInstall.length, 21, 'the 20 new packages and the upgraded one');
    assert.ok(fromInstall.some((p) => p.version.endsWith('+security1')));
    assert.equal(packages.filter((p) => p.layer === base.digest).length, 99);
  });

  it('attributes everything to the later layer when the database was deleted in between', async () => {
    const image = new InventoryImage();
    await image.layer([...debianRoot, { name: 'var/lib/dpkg/status', content: STANZAS.slice(0, 10).join('\n\n') }]);
    await image.layer([{ name: 'var/lib/dpkg/.wh.status' }]);
    const recreated = await image.layer([{ name: 'var/lib/dpkg/status', content: STANZAS.slice(0, 10).join('\n\n') }]);
    const { packages } = await inventoryImage(image.source, image.manifest);
    assert.equal(packages.length, 10);
    assert.ok(packages.every((p) => p.layer === recreated.digest));
  });

  it('gives each npm package the layer that last wrote its package.json', async () => {
    const image = new InventoryImage();
    const first = await image.layer([{ name: 'app/node_modules/tar-stream/package.json', content: fixture('npm/tar-stream.package.json') }]);
    const second = await image.layer([{ name: 'app/node_modules/@actions/core/package.json', content: fixture('npm/actions-core.package.json') }]);
    const { packages } = await inventoryImage(image.source, image.manifest);
    const found = byName(packages);
    assert.equal(found.get('tar-stream')?.layer, first.digest);
    assert.equal(found.get('@actions/core')?.layer, second.digest);
  });
});

describe('whiteouts and replaced databases', () => {
  it('does not report a database deleted in a later layer', async () => {
    const image = new InventoryImage();
    await image.layer([
      { name: 'etc/os-release', content: fixture('os-release/alpine-3.14') },
      { name: 'lib/apk/db/installed', content: fixture('apk/installed') },
      { name: 'var/lib/rpm/Packages', content: 'BerkeleyDB would be here' },
    ]);
    await image.layer([{ name: 'lib/apk/db/.wh.installed' }, { name: 'var/lib/.wh.rpm' }]);
    const inventory = await inventoryImage(image.source, image.manifest);
    assert.deepEqual(inventory.packages, []);
    assert.deepEqual(inventory.notes, ['Alpine Linux v3.14 (ID=alpine): no dpkg, apk or rpm package was found, so its OS packages were neither listed nor matched against advisories; only language packages were checked.'], 'the deleted BerkeleyDB is not mentioned, only that no OS package is left');
    assert.equal(inventory.os?.id, 'alpine');
  });

  it('hides lower status.d entries under an opaque directory, keeping the opaque layer\'s own', async () => {
    const image = new InventoryImage();
    const controls = ['base-files', 'libc6', 'libssl3', 'netbase', 'tzdata'];
    await image.layer([...debianRoot, ...controls.map((name) => ({ name: `var/lib/dpkg/status.d/${name}`, content: fixture(`dpkg/status.d/${name}`) }))]);
    const opaque = await image.layer([
      { name: 'var/lib/dpkg/status.d/netbase', content: fixture('dpkg/status.d/netbase') },
      { name: 'var/lib/dpkg/status.d/.wh..wh..opq' },
    ]);
    const { packages } = await inventoryImage(image.source, image.manifest);
    assert.deepEqual(packages.map((p) => [p.name, p.layer, p.path]), [['netbase', opaque.digest, '/var/lib/dpkg/status.d/netbase']]);
  });

  it('reports only the replacing status file', async () => {
    const image = new InventoryImage();
    await image.layer([...debianRoot, { name: 'var/lib/dpkg/status', content: STANZAS.slice(0, 50).join('\n\n') }]);
    await image.layer([{ name: 'var/lib/dpkg/status', content: STANZAS.slice(50, 53).join('\n\n') }]);
    const { packages } = await inventoryImage(image.source, image.manifest);
    assert.equal(packages.length, 3);
  });

  it('drops a database whose directory a later layer replaced with a file', async () => {
    const image = new InventoryImage();
    await image.layer([{ name: 'var/lib/rpm/rpmdb.sqlite', content: gunzipSync(fixture('rpm/rpm-4.18-justdb.rpmdb.sqlite.gz')) }]);
    await image.layer([{ name: 'var/lib/rpm', type: 'symlink', linkname: '../../usr/lib/sysimage/rpm' }]);
    const { packages } = await inventoryImage(image.source, image.manifest);
    assert.deepEqual(packages, []);
  });
});

describe('OS, ecosystems and purls', () => {
  it('names Debian packages Debian:12 with deb purls, and language packages npm / PyPI', async () => {
    const image = new InventoryImage();
    await image.layer([...debianRoot, { name: 'var/lib/dpkg/status', content: STATUS }]);
    await image.layer([
      { name: 'app/node_modules/@actions/core/package.json', content: fixture('npm/actions-core.package.json') },
      { name: 'usr/lib/python3/dist-packages/PyYAML-6.0.dist-info/METADATA', content: fixture('python/PyYAML-6.0.METADATA') },
    ]);
    const inventory = await inventoryImage(image.source, image.manifest);
    assert.equal(inventory.os?.prettyName, 'Debian GNU/Linux 12 (bookworm)');
    const found = byName(inventory.packages);
    const libc = found.get('libc6')!;
    assert.equal(libc.ecosystem, 'Debian:12');
    assert.equal(libc.sourceName, 'glibc');
    assert.equal(libc.path, '/var/lib/dpkg/status');
    assert.equal(libc.purl, `pkg:deb/debian/libc6@${libc.version}?arch=amd64&distro=debian-12`);
    assert.equal(found.get('@actions/core')?.purl, 'pkg:npm/%40actions/core@3.0.1');
    assert.equal(found.get('@actions/core')?.ecosystem, 'npm');
    assert.equal(found.get('pyyaml')?.purl, 'pkg:pypi/pyyaml@6.0');
    assert.equal(found.get('pyyaml')?.ecosystem, 'PyPI');
    assert.deepEqual(inventory.notes, []);
  });

  it('names Alpine packages by release branch and keeps the origin', async () => {
    const image = new InventoryImage();
    await image.layer([{ name: 'etc/os-release', content: fixture('os-release/alpine-3.14') }, { name: 'lib/apk/db/installed', content: fixture('apk/installed') }]);
    const { packages } = await inventoryImage(image.source, image.manifest);
    const ssl = byName(packages).get('libssl1.1')!;
    assert.deepEqual([ssl.ecosystem, ssl.sourceName, ssl.purl], ['Alpine:v3.14', 'openssl', 'pkg:apk/alpine/libssl1.1@1.1.1k-r0?arch=armv7&distro=alpine-3.14.0']);
  });

  it('names rpm packages for Rocky Linux, with the epoch as a purl qualifier', async () => {
    const image = new InventoryImage();
    await image.layer([
      { name: 'etc/os-release', content: fixture('os-release/rocky-9.5') },
      { name: 'usr/lib/sysimage/rpm/rpmdb.sqlite', content: gunzipSync(fixture('rpm/rpm-4.18-justdb.rpmdb.sqlite.gz')) },
      { name: 'var/lib/rpm', type: 'symlink', linkname: '../../usr/lib/sysimage/rpm' },
    ]);
    const { packages } = await inventoryImage(image.source, image.manifest);
    const rpm = byName(packages).get('immutag-fixture')!;
    assert.equal(rpm.ecosystem, 'Rocky Linux:9');
    assert.equal(rpm.version, '2:1.4.0-3.fx1');
    assert.equal(rpm.purl, 'pkg:rpm/rocky/immutag-fixture@1.4.0-3.fx1?arch=noarch&distro=rocky-9.5&epoch=2');
    assert.deepEqual(rpm.licenses, ['MIT AND (Apache-2.0 OR BSD-3-Clause)']);
  });

  it('reads the rpm database of an rpm-ostree or bootc image at usr/share/rpm (its %_dbpath; /var/lib/rpm is made at boot), once when a link names it too', async () => {
    for (const link of [[], [{ name: 'var/lib/rpm', type: 'symlink' as const, linkname: '../../usr/share/rpm' }]]) {
      const image = new InventoryImage();
      await image.layer([
        { name: 'usr/lib/os-release', content: fixture('os-release/rocky-9.5') },
        { name: 'usr/lib/rpm/macros.d/macros.rpm-ostree', content: '%_dbpath /usr/share/rpm\n' },
        { name: 'usr/share/rpm/rpmdb.sqlite', content: gunzipSync(fixture('rpm/rpm-4.18-justdb.rpmdb.sqlite.gz')) },
        ...link,
      ]);
      const { packages, unread } = await inventoryImage(image.source, image.manifest);
      assert.deepEqual(unread, []);
      assert.equal(packages.filter((p) => p.name === 'immutag-fixture').length, 1, `link: ${link.length}`);
      assert.equal(byName(packages).get('immutag-fixture')?.path, '/usr/share/rpm/rpmdb.sqlite');
    }
  });

  it('stops on rpm transactions the image holds only in rpmdb.sqlite-wal (rpm reads them; the database file alone misses the package)', async () => {
    const image = new InventoryImage();
    await image.layer([
      { name: 'etc/os-release', content: fixture('os-release/rocky-9.5') },
      { name: 'var/lib/rpm/rpmdb.sqlite', content: gunzipSync(fixture('rpm/rpm-4.18-wal.rpmdb.sqlite.gz')) },
      { name: 'var/lib/rpm/rpmdb.sqlite-wal', content: gunzipSync(fixture('rpm/rpm-4.18-wal.rpmdb.sqlite-wal.gz')) },
    ]);
    const { unread } = await inventoryImage(image.source, image.manifest);
    assert.equal(unread.length, 1);
    assert.match(unread[0]!.reason, /^\/var\/lib\/rpm\/rpmdb\.sqlite-wal: 1 rpm transaction \(13 pages\) not yet in rpmdb\.sqlite/);
  });

  it('reads an Azure Linux or CBL-Mariner distroless image\'s package list (var/lib/rpmmanifest/container-manifest-2: rpm -qa, 10 tab-separated columns), by source for OSV', async () => {
    const line = (...c: string[]) => c.join('\t');
    const manifest = [
      line('openssl-libs', '3.3.2-1.azl3', '1727000000', '1726000000', 'Microsoft Corporation', '(none)', '5000000', 'x86_64', '0', 'openssl-3.3.2-1.azl3.src.rpm'),
      line('perl-Time-Local', '1.300-250.azl3', '1727000000', '1726000000', 'Microsoft Corporation', '2', '60000', 'noarch', '2', 'perl-Time-Local-1.300-250.azl3.src.rpm'),
      line('gpg-pubkey', '3135ce90-5e6fda74', '1727000000', '1726000000', '(none)', '(none)', '0', '(none)', '0', '(none)'),
      '',
    ].join('\n');
    const azl = 'NAME="Microsoft Azure Linux"\nID=azurelinux\nVERSION_ID="3.0"\nPRETTY_NAME="Microsoft Azure Linux 3.0"\n';
    const image = new InventoryImage();
    await image.layer([{ name: 'etc/os-release', content: azl }, { name: 'var/lib/rpmmanifest/container-manifest-2', content: manifest }]);
    const inventory = await inventoryImage(image.source, image.manifest);
    assert.deepEqual(inventory.unread, []);
    assert.deepEqual(inventory.packages.map((p) => [p.name, p.version, p.sourceName, p.sourceVersion, p.ecosystem, p.path]), [
      ['openssl-libs', '3.3.2-1.azl3', 'openssl', '3.3.2-1.azl3', 'Azure Linux:3', '/var/lib/rpmmanifest/container-manifest-2'],
      ['perl-Time-Local', '2:1.300-250.azl3', 'perl-Time-Local', '2:1.300-250.azl3', 'Azure Linux:3', '/var/lib/rpmmanifest/container-manifest-2'],
    ]);
    const broken = new InventoryImage();
    await broken.layer([{ name: 'etc/os-release', content: azl }, { name: 'var/lib/rpmmanifest/container-manifest-2', content: 'openssl-libs\t3.3.2-1.azl3\n' }]);
    const unread = (await inventoryImage(broken.source, broken.manifest)).unread;
    assert.match(unread[0]?.reason ?? '', /container-manifest-2: line 1/, 'a line that is not rpm -qa output stops the scan');
    const both = new InventoryImage();
    await both.layer([{ name: 'etc/os-release', content: azl }, { name: 'var/lib/rpm/rpmdb.sqlite', content: gunzipSync(fixture('rpm/rpm-4.18-justdb.rpmdb.sqlite.gz')) },
      { name: 'var/lib/rpmmanifest/container-manifest-2', content: manifest }]);
    const fromDb = (await inventoryImage(both.source, both.manifest)).packages;
    assert.ok(fromDb.every((p) => p.path === '/var/lib/rpm/rpmdb.sqlite'), 'with an rpm database, the database is the list');
  });

  it('a chiselled Ubuntu image whose only package list is Chisel\'s manifest stops the scan (its packages are unknown); with chisel-wrapper\'s dpkg status it is read', async () => {
    const ubuntu = { name: 'etc/os-release', content: 'NAME="Ubuntu"\nID=ubuntu\nVERSION_ID="24.04"\nVERSION="24.04.1 LTS (Noble Numbat)"\n' };
    const wall = { name: 'var/lib/chisel/manifest.wall', content: Buffer.from([0x28, 0xb5, 0x2f, 0xfd, 0, 0, 0, 0]) };
    const bare = new InventoryImage();
    await bare.layer([ubuntu, wall]);
    const inventory = await inventoryImage(bare.source, bare.manifest);
    assert.match(inventory.unread[0]?.reason ?? '', /\/var\/lib\/chisel\/manifest\.wall/);
    assert.match(inventory.unread[0]?.hint ?? '', /dpkg status/);
    const wrapped = new InventoryImage();
    await wrapped.layer([ubuntu, wall, { name: 'var/lib/dpkg/status', content: STANZAS.slice(0, 3).join('\n\n') }]);
    const read = await inventoryImage(wrapped.source, wrapped.manifest);
    assert.deepEqual(read.unread, []);
    assert.equal(read.packages.length, 3);
  });

  it('lists OS packages of an image without os-release, unmatched, and says why', async () => {
    const image = new InventoryImage();
    await image.layer([{ name: 'var/lib/dpkg/status', content: STANZAS.slice(0, 3).join('\n\n') }]);
    const inventory = await inventoryImage(image.source, image.manifest);
    assert.equal(inventory.os, undefined);
    assert.equal(inventory.packages.length, 3);
    assert.ok(inventory.packages.every((p) => p.ecosystem === '' && p.purl?.startsWith('pkg:deb/debian/')));
    assert.match(inventory.notes.join('\n'), /No \/etc\/os-release/);
  });

  it('finds os-release when the link and its target come from different layers', async () => {
    const image = new InventoryImage();
    await image.layer([{ name: 'etc/os-release', type: 'symlink', linkname: '../usr/lib/os-release' }]);
    await image.layer([{ name: 'usr/lib/os-release', content: DEBIAN }]);
    const inventory = await inventoryImage(image.source, image.manifest);
    assert.equal(inventory.os?.id, 'debian');
  });
});

describe('what cannot be read becomes a note, or for a package database a reason to stop', () => {
  it('notes oversized, malformed and linked metadata files; lists unsupported, damaged and linked databases as not read', async () => {
    const image = new InventoryImage();
    await image.layer([
      ...debianRoot,
      { name: 'var/lib/rpm/Packages', content: Buffer.alloc(1000) },
      { name: 'usr/lib/sysimage/rpm/rpmdb.sqlite', content: 'SQLite format 3\0 but nothing else' },
      { name: 'lib/apk/db/installed', content: 'P:half\n\nP:ok\nV:1-r0\n' },
      { name: 'var/lib/dpkg/status', type: 'symlink', linkname: '/elsewhere/status' },
      { name: 'app/node_modules/broken/package.json', content: '{"name":' },
      { name: 'usr/lib/python3/dist-packages/big-1.0.dist-info/METADATA', content: Buffer.alloc(2048, 'x') },
      { name: 'usr/lib/python3/dist-packages/copy-1.0.dist-info/METADATA', type: 'link', linkname: 'usr/lib/python3/dist-packages/small-1.0.dist-info/METADATA' },
    ]);
    await image.layer([{ name: 'usr/lib/python3/dist-packages/small-1.0.dist-info/METADATA', content: 'Name: small\nVersion: 1.0\n' }]);
    const logger = new MemoryLogger();
    const inventory = await inventoryImage(image.source, image.manifest, { maxFileBytes: 1024, logger });
    assert.deepEqual(inventory.packages.map((p) => p.name).sort(), ['ok', 'small']);
    const notes = inventory.notes.join('\n');
    const unread = inventory.unread.map((u) => u.reason).join('\n');
    assert.equal(inventory.unread.length, 3);
    assert.match(unread, /\/var\/lib\/rpm\/Packages: not a readable rpm BerkeleyDB database \(not a BerkeleyDB hash or btree database/);
    assert.match(unread, /\/usr\/lib\/sysimage\/rpm\/rpmdb\.sqlite: not a readable rpm SQLite database/);
    assert.match(unread, /\/var\/lib\/dpkg\/status is a symlink to "\/elsewhere\/status"; not followed/);
    assert.match(notes, /\/lib\/apk\/db\/installed: 1 entries without/);
    assert.match(notes, /\/app\/node_modules\/broken\/package\.json: not valid JSON/);
    assert.match(notes, /big-1\.0\.dist-info\/METADATA is 2 KiB, over the 1 KiB per-file limit/);
    assert.match(notes, /copy-1\.0\.dist-info\/METADATA is a hard link to .*small-1\.0.*, which was not read/);
    assert.ok(logger.lines.some((line) => /layer sha256:[0-9a-f]{64}: gzip, \d+ entries/.test(line)));
  });

  it('says nothing about a symlinked database whose target it read', async () => {
    const image = new InventoryImage();
    await image.layer([
      { name: 'etc/os-release', content: fixture('os-release/alpine-3.14') },
      { name: 'usr/lib/apk/db/installed', content: 'P:musl\nV:1.2.2-r3\n' },
      { name: 'lib/apk/db/installed', type: 'symlink', linkname: '../../../usr/lib/apk/db/installed' },
    ]);
    const inventory = await inventoryImage(image.source, image.manifest);
    assert.deepEqual(inventory.packages.map((p) => [p.name, p.path]), [['musl', '/usr/lib/apk/db/installed']]);
    assert.deepEqual(inventory.notes, []);
  });

  it('reads a hard link to a database file read earlier in the same layer', async () => {
    const image = new InventoryImage();
    await image.layer([
      { name: 'opt/a/node_modules/left-pad/package.json', content: '{"name":"left-pad","version":"1.3.0"}' },
      { name: 'opt/b/node_modules/left-pad/package.json', type: 'link', linkname: 'opt/a/node_modules/left-pad/package.json' },
    ]);
    const { packages } = await inventoryImage(image.source, image.manifest);
    assert.deepEqual(packages.map((p) => p.path), ['/opt/a/node_modules/left-pad/package.json', '/opt/b/node_modules/left-pad/package.json']);
  });

  it('notes layers of an artifact (not an image config) that are not filesystem layers, and reads the rest', async () => {
    const image = new InventoryImage();
    await image.layer([...debianRoot]);
    const blob = image.source.add(Buffer.from('{"predicateType":"x"}'), 'application/vnd.in-toto+json');
    image.layers.push(blob);
    const config = image.source.add(Buffer.from('{}'), 'application/vnd.example.artifact.v1+json');
    const inventory = await inventoryImage(image.source, { ...image.manifest, config });
    assert.equal(inventory.os?.id, 'debian');
    assert.match(inventory.notes.join('\n'), new RegExp(`${blob.digest} \\(application/vnd.in-toto\\+json\\) was not scanned`));
  });
});

describe('refusals', () => {
  it('stops a bomb in any layer at maxTotalBytes', async () => {
    const image = new InventoryImage();
    await image.layer([...debianRoot]);
    const zeros = Buffer.alloc(1024 * 1024);
    const bomb = Buffer.concat([ustarHeader('usr/share/zeros', 8 * 1024 ** 3), zeros, ...Array.from({ length: 40 }, () => zeros)]);
    image.layers.push(image.source.add(compress(bomb, 'zstd'), MediaType.ociLayerZstd));
    await assert.rejects(inventoryImage(image.source, image.manifest, { maxTotalBytes: 16 * 1024 * 1024 }), { code: 'LIMIT_EXCEEDED' });
  });

  it('refuses the image when a layer does not match its digest, before reading it', async () => {
    const image = new InventoryImage();
    await image.layer([...debianRoot]);
    const tampered = await image.layer([{ name: 'var/lib/dpkg/status', content: STATUS }]);
    image.source.tamper(tampered, compress(await buildTar([{ name: 'var/lib/dpkg/status', content: 'Package: evil\n' }]), 'gzip'));
    await assert.rejects(inventoryImage(image.source, image.manifest), (err: unknown) => {
      assert.ok(err instanceof ImmutagError);
      assert.equal(err.code, 'DIGEST_MISMATCH');
      return true;
    });
  });
});
