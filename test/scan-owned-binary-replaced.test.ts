// A Go binary a .deb installed, then replaced at the same path by another build:
// `apt-get install runc` (or containerd, kubectl, helm…) and then
// `curl -Lo /usr/sbin/runc https://github.com/opencontainers/runc/releases/…` or
// `COPY --from=build /out/runc /usr/sbin/runc`. dpkg's .list still names the path and
// its .md5sums still hold the md5 of the binary dpkg installed; the file there now is
// something else (`dpkg --verify runc`: ??5??????). A replaced package.json was told
// apart this way (scan-npm-owned-upgraded), but binaries were never hashed, and a file
// without a digest read as unchanged: the replacement's modules and toolchain stayed
// "owned by deb:runc", were not asked of OSV's Go advisories, and Debian's advisories
// were matched against the .deb's version, which is not what runs. Now a binary or
// archive a package database claims is read again from its layer after the walk,
// hashed in the algorithm the database recorded, and compared; a layer holding no
// claimed binary is never read twice.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { before, describe, it } from 'node:test';
import { inventoryImage } from '../src/scan/inventory.ts';
import { buildQueries } from '../src/scan/osv/match.ts';
import { buildGoBinaries } from './support/go-fixture.ts';
import { InventoryImage } from './support/inventory-image.ts';
import type { TarMember } from './support/layer-tar.ts';

const DEBIAN = 'PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\nNAME="Debian GNU/Linux"\nVERSION_ID="12"\nVERSION="12 (bookworm)"\nID=debian\n';
const STATUS = 'Package: runc\nStatus: install ok installed\nArchitecture: amd64\nVersion: 1.1.5+ds1-1+deb12u1\nDescription: x\n\n';

describe('a Go binary a .deb installed, replaced at the same path', () => {
  let installed: Buffer;
  let replacement: Buffer;
  before(async () => {
    const built = await buildGoBinaries();
    installed = readFileSync(built.stripped);
    replacement = readFileSync(built.plain);
    assert.notDeepEqual(installed, replacement);
  });

  it('its Go modules are not left to Debian once the file is no longer what dpkg installed', async () => {
    const image = new InventoryImage();
    const md5 = createHash('md5').update(installed).digest('hex');
    await image.layer([
      { name: 'etc/os-release', content: DEBIAN },
      { name: 'var/lib/dpkg/status', content: STATUS },
      { name: 'var/lib/dpkg/info/runc.list', content: '/.\n/usr\n/usr/sbin\n/usr/sbin/runc\n' },
      { name: 'var/lib/dpkg/info/runc.md5sums', content: `${md5}  usr/sbin/runc\n` },
      { name: 'usr/sbin/runc', content: installed },
    ]);
    await image.layer([{ name: 'usr/sbin/runc', content: replacement }]);
    const { packages } = await inventoryImage(image.source, image.manifest);
    const go = packages.filter((p) => p.path === '/usr/sbin/runc');
    assert.ok(go.length > 0, 'the replacement binary is read');
    assert.deepEqual(go.filter((p) => p.ownedBy !== undefined).map((p) => `${p.name}@${p.version} ${p.ownedBy?.type}:${p.ownedBy?.name}`), [],
      'modules of a binary dpkg did not install are left to Debian');
    assert.ok(buildQueries(go).length > 0, 'asked of OSV');
  });

  it('(control) the binary dpkg installed, unchanged, stays Debian\'s', async () => {
    const image = new InventoryImage();
    const md5 = createHash('md5').update(installed).digest('hex');
    await image.layer([
      { name: 'etc/os-release', content: DEBIAN },
      { name: 'var/lib/dpkg/status', content: STATUS },
      { name: 'var/lib/dpkg/info/runc.list', content: '/.\n/usr\n/usr/sbin\n/usr/sbin/runc\n' },
      { name: 'var/lib/dpkg/info/runc.md5sums', content: `${md5}  usr/sbin/runc\n` },
      { name: 'usr/sbin/runc', content: installed },
    ]);
    const { packages } = await inventoryImage(image.source, image.manifest);
    const go = packages.filter((p) => p.path === '/usr/sbin/runc');
    assert.ok(go.length > 0 && go.every((p) => p.ownedBy?.name === 'runc'));
  });

  const dpkgLayer = (md5: string): TarMember[] => [
    { name: 'etc/os-release', content: DEBIAN },
    { name: 'var/lib/dpkg/status', content: STATUS },
    { name: 'var/lib/dpkg/info/runc.list', content: '/.\n/usr\n/usr/sbin\n/usr/sbin/runc\n' },
    { name: 'var/lib/dpkg/info/runc.md5sums', content: `${md5}  usr/sbin/runc\n` },
  ];

  it('replaced in the same RUN that installed it: one layer, the .md5sums of the old binary, the new one at the path', async () => {
    const image = new InventoryImage();
    const md5 = createHash('md5').update(installed).digest('hex');
    await image.layer([...dpkgLayer(md5), { name: 'usr/sbin/runc', content: replacement }]);
    const { packages } = await inventoryImage(image.source, image.manifest);
    const go = packages.filter((p) => p.path === '/usr/sbin/runc');
    assert.ok(go.length > 0);
    assert.deepEqual(go.filter((p) => p.ownedBy !== undefined).map((p) => p.name), []);
  });

  it('a hard link at the claimed path is checked by the bytes of the member it names', async () => {
    const md5 = createHash('md5').update(installed).digest('hex');
    const owners = async (content: Buffer): Promise<Array<string | undefined>> => {
      const image = new InventoryImage();
      await image.layer(dpkgLayer(md5));
      await image.layer([
        { name: 'opt/runc', content },
        { name: 'usr/sbin/runc', type: 'link', linkname: 'opt/runc' },
      ]);
      const { packages } = await inventoryImage(image.source, image.manifest);
      const go = packages.filter((p) => p.path === '/usr/sbin/runc');
      assert.ok(go.length > 0, 'the link is read as its target');
      return [...new Set(go.map((p) => p.ownedBy?.name))];
    };
    assert.deepEqual(await owners(replacement), [undefined], 'another build behind the link');
    assert.deepEqual(await owners(installed), ['runc'], 'the very bytes dpkg installed');
  });

  it('a layer is read again only when it holds a binary a package database claims', async () => {
    const md5 = createHash('md5').update(installed).digest('hex');
    const image = new InventoryImage();
    const base = await image.layer([...dpkgLayer(md5), { name: 'usr/sbin/runc', content: installed }]);
    const tools = await image.layer([{ name: 'usr/local/bin/tool', content: replacement }]);
    await inventoryImage(image.source, image.manifest);
    const opened = (layer: { digest: string }): number => image.source.opened.filter((d) => d === layer.digest).length;
    assert.equal(opened(tools), 1, 'an unclaimed Go binary is never hashed');
    assert.equal(opened(base), 2, 'the claimed one is read once more, from its own layer');
  });
});
