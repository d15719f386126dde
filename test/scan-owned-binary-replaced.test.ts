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

/** A Debian layer's dpkg database saying it installed `installed` at /usr/sbin/runc (the binary itself not included). */
function dpkgRunc(installed: Buffer): TarMember[] {
  return [
    { name: 'etc/os-release', content: DEBIAN },
    { name: 'var/lib/dpkg/status', content: STATUS },
    { name: 'var/lib/dpkg/info/runc.list', content: '/.\n/usr\n/usr/sbin\n/usr/sbin/runc\n' },
    { name: 'var/lib/dpkg/info/runc.md5sums', content: `${createHash('md5').update(installed).digest('hex')}  usr/sbin/runc\n` },
  ];
}

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
    await image.layer([
      ...dpkgRunc(installed),
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
    await image.layer([
      ...dpkgRunc(installed),
      { name: 'usr/sbin/runc', content: installed },
    ]);
    const { packages } = await inventoryImage(image.source, image.manifest);
    const go = packages.filter((p) => p.path === '/usr/sbin/runc');
    assert.ok(go.length > 0 && go.every((p) => p.ownedBy?.name === 'runc'));
  });

  it('replaced in the same RUN that installed it: one layer, the .md5sums of the old binary, the new one at the path', async () => {
    const image = new InventoryImage();
    await image.layer([...dpkgRunc(installed), { name: 'usr/sbin/runc', content: replacement }]);
    const { packages } = await inventoryImage(image.source, image.manifest);
    const go = packages.filter((p) => p.path === '/usr/sbin/runc');
    assert.ok(go.length > 0);
    assert.deepEqual(go.filter((p) => p.ownedBy !== undefined).map((p) => p.name), []);
  });

  it('a hard link at the claimed path is checked by the bytes of the member it names', async () => {
    const owners = async (content: Buffer): Promise<Array<string | undefined>> => {
      const image = new InventoryImage();
      await image.layer(dpkgRunc(installed));
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
    const image = new InventoryImage();
    const base = await image.layer([...dpkgRunc(installed), { name: 'usr/sbin/runc', content: installed }]);
    const tools = await image.layer([{ name: 'usr/local/bin/tool', content: replacement }]);
    await inventoryImage(image.source, image.manifest);
    const opened = (layer: { digest: string }): number => image.source.opened.filter((d) => d === layer.digest).length;
    assert.equal(opened(tools), 1, 'an unclaimed Go binary is never hashed');
    assert.equal(opened(base), 2, 'the claimed one is read once more, from its own layer');
  });
});

// Found by a review, fixed since: a tar may hold one path twice (`tar -r`, `crane append`, a layer rewritten by a tool
// that appends); extraction leaves the LAST member. The walk reads only the first member
// of a path no lower layer holds (stream(): writtenInLayer; hideLower asks lower layers
// only), so the claimed-content pass hashes that first member: a binary dpkg installed
// and then replaced in the same layer (or a hard link to a name written twice) still
// matches dpkg's md5 and its Go modules stay "owned by deb:runc", never asked of OSV.
describe('a path written twice in one layer is what its last member holds', () => {
  let installed: Buffer;
  let replacement: Buffer;
  before(async () => {
    const built = await buildGoBinaries();
    installed = readFileSync(built.stripped);
    replacement = readFileSync(built.plain);
  });
  const owners = async (layers: TarMember[][]): Promise<Array<string | undefined>> => {
    const image = new InventoryImage();
    for (const layer of layers) await image.layer(layer);
    const { packages } = await inventoryImage(image.source, image.manifest);
    const go = packages.filter((p) => p.path === '/usr/sbin/runc');
    assert.ok(go.length > 0, 'the binary is read');
    return [...new Set(go.map((p) => p.ownedBy?.name))];
  };

  it('installed, then replaced, in one layer: the replacement is not dpkg\'s', async () => {
    assert.deepEqual(await owners([[...dpkgRunc(installed), { name: 'usr/sbin/runc', content: installed }, { name: 'usr/sbin/runc', content: replacement }]]), [undefined]);
  });

  it('a hard link to a name written twice holds the second member', async () => {
    assert.deepEqual(await owners([dpkgRunc(installed), [
      { name: 'opt/runc', content: installed }, { name: 'opt/runc', content: replacement },
      { name: 'usr/sbin/runc', type: 'link', linkname: 'opt/runc' },
    ]]), [undefined]);
  });

  it('(control) a lower layer holding the path: the last member already wins', async () => {
    assert.deepEqual(await owners([[...dpkgRunc(installed), { name: 'usr/sbin/runc', content: installed }], [{ name: 'usr/sbin/runc', content: replacement }, { name: 'usr/sbin/runc', content: replacement }]]), [undefined]);
  });
});
