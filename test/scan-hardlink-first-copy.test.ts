// A file a layer holds twice, as two names of one inode, is archived once: the first
// name the archiver walks carries the bytes and every later one is a hard link to it.
// Which name comes first is the walk's order, not the file's role: pnpm's store
// (/root/.local/share/pnpm/store, or /home/node/.local/…) sorts before an app in
// /usr/src/app or /home/node/app, so each package.json in node_modules is a link to
// a store file no analyser reads by its name; an rpm-ostree or bootc layer stores
// rpmdb.sqlite under sysroot/ostree/repo/objects and links usr/share/rpm to it. The
// scanner reads such a link's bytes from its target (a second pass over the layer)
// instead of missing the package or stopping on the database.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { linkSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, describe, it } from 'node:test';
import { gunzipSync } from 'node:zlib';
import { inventoryImage } from '../src/scan/inventory.ts';
import { MediaType } from '../src/oci.ts';
import { MemoryBlobSource } from './support/blob-source.ts';
import { InventoryImage } from './support/inventory-image.ts';
import { buildTar } from './support/layer-tar.ts';

const fixture = (path: string): Buffer => readFileSync(new URL(`./fixtures/inventory/${path}`, import.meta.url));
const work = mkdtempSync(join(tmpdir(), 'immutag-hardlink-first-'));
after(() => rmSync(work, { recursive: true, force: true }));

/** A root filesystem written to disk, each group of names one inode, archived by GNU tar in name order (BuildKit's order). */
function gnuTarLayer(name: string, files: Array<{ paths: string[]; content: string | Buffer }>, symlinks: Record<string, string> = {}): Buffer {
  const root = join(work, name);
  for (const [path, target] of Object.entries(symlinks)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    symlinkSync(target, join(root, path));
  }
  for (const { paths, content } of files) {
    const [first, ...others] = paths as [string, ...string[]];
    mkdirSync(dirname(join(root, first)), { recursive: true });
    writeFileSync(join(root, first), content);
    for (const other of others) {
      mkdirSync(dirname(join(root, other)), { recursive: true });
      linkSync(join(root, first), join(root, other));
    }
  }
  return execFileSync('tar', ['--sort=name', '--format=pax', '-C', root, '-cf', '-', '.'], { maxBuffer: 64 * 1024 * 1024 });
}

function imageOf(...tars: Buffer[]) {
  const source = new MemoryBlobSource();
  const layers = tars.map((tar) => source.add(tar, MediaType.ociLayer));
  const config = source.add(Buffer.from('{}'), MediaType.ociConfig);
  return { source, manifest: { schemaVersion: 2 as const, mediaType: MediaType.ociManifest, config, layers } };
}

describe('a hard link whose first copy is at a name no analyser reads', () => {
  it('pnpm: node_modules package.json files linked to the store are read (lodash 4.17.20 was missing, and the scan passed)', async () => {
    const lodash = '{"name":"lodash","version":"4.17.20"}';
    const layer = gnuTarLayer('pnpm', [
      { paths: ['etc/os-release'], content: fixture('os-release/debian-12') },
      { paths: ['root/.local/share/pnpm/store/v3/files/0f/5a6c1e2d', 'usr/src/app/node_modules/.pnpm/lodash@4.17.20/node_modules/lodash/package.json'], content: lodash },
    ]);
    const tarListing = execFileSync('tar', ['-tvf', '-'], { input: layer }).toString();
    assert.match(tarListing, /^h.*usr\/src\/app\/node_modules\/\.pnpm\/lodash@4\.17\.20\/node_modules\/lodash\/package\.json link to \.\/root\/\.local/m);
    const { source, manifest } = imageOf(layer);
    const inventory = await inventoryImage(source, manifest);
    const found = inventory.packages.filter((p) => p.name === 'lodash');
    assert.deepEqual(found.map((p) => [p.version, p.path]), [['4.17.20', '/usr/src/app/node_modules/.pnpm/lodash@4.17.20/node_modules/lodash/package.json']]);
    assert.deepEqual(inventory.notes, ['Debian GNU/Linux 12 (bookworm) (ID=debian): no dpkg, apk or rpm package was found, so its OS packages were neither listed nor matched against advisories; only language packages were checked.']);
  });

  it('bootc and rpm-ostree: usr/share/rpm/rpmdb.sqlite linked to its ostree object is read, not a reason to stop, also where usr/lib/sysimage/rpm links to it', async () => {
    const ostreeFiles = [
      { paths: ['usr/lib/os-release'], content: fixture('os-release/rocky-9.5') },
      { paths: ['sysroot/ostree/repo/objects/8b/7df143d91c716ecfa5fc1730022f6b421b05cedee8fd52b1fc65a96030ad52.file', 'usr/share/rpm/rpmdb.sqlite'],
        content: gunzipSync(fixture('rpm/rpm-4.18-justdb.rpmdb.sqlite.gz')) },
    ];
    const layer = gnuTarLayer('ostree', ostreeFiles);
    const withLink = gnuTarLayer('ostree-linked', ostreeFiles, { 'usr/lib/sysimage/rpm': '../../share/rpm' });
    for (const tars of [[layer], [layer, await buildTar([{ name: 'usr/lib/sysimage/rpm', type: 'symlink', linkname: '../../share/rpm' }])], [withLink]]) {
      const { source, manifest } = imageOf(...tars);
      const inventory = await inventoryImage(source, manifest);
      assert.deepEqual(inventory.unread, [], `layers: ${tars.length}`);
      assert.deepEqual(inventory.packages.filter((p) => p.name === 'immutag-fixture').map((p) => p.path), ['/usr/share/rpm/rpmdb.sqlite']);
    }
  });

  it('counts the layer once against the decompressed-size limit, though it is read twice (an image under the limit was LIMIT_EXCEEDED)', async () => {
    const layer = gnuTarLayer('budget', [
      { paths: ['usr/src/app/dist/bundle.js'], content: Buffer.alloc(2 * 1024 * 1024, 0x20) },
      { paths: ['root/.local/share/pnpm/store/v3/files/0f/5a6c1e2d', 'usr/src/app/node_modules/.pnpm/lodash@4.17.20/node_modules/lodash/package.json'], content: '{"name":"lodash","version":"4.17.20"}' },
    ]);
    const { source, manifest } = imageOf(layer);
    const inventory = await inventoryImage(source, manifest, { maxTotalBytes: Math.ceil(layer.length * 1.25) });
    assert.deepEqual(inventory.packages.map((p) => `${p.name}@${p.version}`), ['lodash@4.17.20']);
    await assert.rejects(inventoryImage(source, manifest, { maxTotalBytes: layer.length - 1 }), { code: 'LIMIT_EXCEEDED' });
  });

  it('takes the bytes the target held when the link was made: a later rewrite of the target does not reach it', async () => {
    const image = new InventoryImage();
    const version = (v: string) => `{"name":"lodash","version":"${v}"}`;
    await image.layer([
      { name: 'store/a', content: version('1.0.0') },
      { name: 'store/a', content: version('4.17.20') },
      { name: 'app/node_modules/lodash/package.json', type: 'link', linkname: 'store/a' },
      { name: 'store/a', content: version('4.17.21') },
    ]);
    const { packages } = await inventoryImage(image.source, image.manifest);
    assert.deepEqual(packages.map((p) => p.version), ['4.17.20']);
  });

  it('still stops on a database linked to a target over the per-file limit, and notes a link to a name the layer never wrote', async () => {
    const image = new InventoryImage();
    await image.layer([
      { name: 'etc/os-release', content: fixture('os-release/rocky-9.5') },
      { name: 'objects/big.file', content: Buffer.alloc(4096) },
      { name: 'var/lib/rpm/rpmdb.sqlite', type: 'link', linkname: 'objects/big.file' },
      { name: 'app/node_modules/x/package.json', type: 'link', linkname: 'objects/never-written' },
    ]);
    const inventory = await inventoryImage(image.source, image.manifest, { maxFileBytes: 1024 });
    assert.equal(inventory.unread.length, 1);
    assert.match(inventory.unread[0]!.reason, /\/var\/lib\/rpm\/rpmdb\.sqlite/);
    assert.match(inventory.notes.join('\n'), /\/app\/node_modules\/x\/package\.json is a hard link to "objects\/never-written", which was not read/);
  });
});

describe('a hard link to a file that was read, whose first name a later layer removes', () => {
  const SLES = 'NAME="SLES"\nVERSION_ID="15.6"\nID="sles"\nPRETTY_NAME="SUSE Linux Enterprise Server 15 SP6"\n';
  const PKG_INFO = 'usr/lib/python3.6/site-packages/idna-2.5-py3.6.egg-info/PKG-INFO';

  it('an rpm database at two of rpm\'s places keeps its file lists: idna stays python3-idna\'s (it was asked about upstream)', async () => {
    for (const removeFirst of [false, true]) {
      const image = new InventoryImage();
      await image.layer([
        { name: 'etc/os-release', content: SLES },
        { name: 'usr/lib/sysimage/rpm/Packages.db', content: gunzipSync(fixture('rpm/rpm-4.18-ndb.Packages.db.gz')) },
        { name: 'var/lib/rpm/Packages.db', type: 'link', linkname: 'usr/lib/sysimage/rpm/Packages.db' },
        { name: PKG_INFO, content: fixture('rpm/make/python3-idna.PKG-INFO') },
      ]);
      if (removeFirst) await image.layer([{ name: 'usr/lib/sysimage/rpm/.wh.Packages.db' }]);
      const { packages, unread } = await inventoryImage(image.source, image.manifest);
      const idna = packages.find((p) => p.type === 'pypi');
      assert.deepEqual([removeFirst, idna?.ownedBy, unread], [removeFirst, { type: 'rpm', name: 'python3-idna' }, []]);
    }
  });

  it('a link to such a link is read too, whatever its chain (it stopped the scan as "not read"), also behind a first copy no analyser reads', async () => {
    for (const first of ['usr/lib/sysimage/rpm/Packages.db', 'sysroot/objects/ab']) {
      const image = new InventoryImage();
      await image.layer([
        { name: 'etc/os-release', content: SLES },
        { name: first, content: gunzipSync(fixture('rpm/rpm-4.18-ndb.Packages.db.gz')) },
        { name: 'var/lib/rpm/Packages.db', type: 'link', linkname: first },
        { name: 'usr/share/rpm/Packages.db', type: 'link', linkname: 'var/lib/rpm/Packages.db' },
      ]);
      const { packages, unread } = await inventoryImage(image.source, image.manifest);
      assert.deepEqual(unread, [], first);
      assert.ok(packages.some((p) => p.type === 'rpm' && p.path === '/usr/share/rpm/Packages.db'), first);
    }
  });

  it('dpkg: a .list linked through another names its package by its own name', async () => {
    const image = new InventoryImage();
    await image.layer([
      { name: 'etc/os-release', content: fixture('os-release/debian-12') },
      { name: 'var/lib/dpkg/status', content: 'Package: python3-idna\nStatus: install ok installed\nVersion: 3.3-1\nArchitecture: all\n\nPackage: other\nStatus: install ok installed\nVersion: 1\nArchitecture: all\n' },
      { name: 'var/lib/dpkg/info/other.list', content: '/.\n/usr/lib/python3/dist-packages/idna-3.3.dist-info\n' },
      { name: 'var/lib/dpkg/info/x.list', type: 'link', linkname: 'var/lib/dpkg/info/other.list' },
      { name: 'var/lib/dpkg/info/python3-idna.list', type: 'link', linkname: 'var/lib/dpkg/info/x.list' },
      { name: 'usr/lib/python3/dist-packages/idna-3.3.dist-info/METADATA', content: 'Metadata-Version: 2.1\nName: idna\nVersion: 3.3\n' },
    ]);
    await image.layer([{ name: 'var/lib/dpkg/info/.wh.other.list' }, { name: 'var/lib/dpkg/info/.wh.x.list' }]);
    const { packages, unread } = await inventoryImage(image.source, image.manifest);
    assert.deepEqual([packages.find((p) => p.type === 'pypi')?.ownedBy, unread], [{ type: 'deb', name: 'python3-idna' }, []]);
  });
});
