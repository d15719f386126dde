// Found by a review, fixed since: A tar may hold one path twice (`tar -r`, `crane append`, a layer rewritten by a tool
// that appends); extraction leaves the LAST member. The walk reads only the first member
// of a path no lower layer holds (stream(): writtenInLayer; hideLower asks lower layers
// only), so the claimed-content pass hashes that first member: a binary dpkg installed
// and then replaced in the same layer (or a hard link to a name written twice) still
// matches dpkg's md5 and its Go modules stay "owned by deb:runc", never asked of OSV.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { before, describe, it } from 'node:test';
import { inventoryImage } from '../src/scan/inventory.ts';
import { buildGoBinaries } from './support/go-fixture.ts';
import { InventoryImage } from './support/inventory-image.ts';
import type { TarMember } from './support/layer-tar.ts';

const DEBIAN = 'PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\nID=debian\nVERSION_ID="12"\n';
const STATUS = 'Package: runc\nStatus: install ok installed\nArchitecture: amd64\nVersion: 1.1.5+ds1-1+deb12u1\nDescription: x\n\n';

describe('a path written twice in one layer is what its last member holds', () => {
  let installed: Buffer;
  let replacement: Buffer;
  before(async () => {
    const built = await buildGoBinaries();
    installed = readFileSync(built.stripped);
    replacement = readFileSync(built.plain);
  });
  const dpkg = (): TarMember[] => [
    { name: 'etc/os-release', content: DEBIAN },
    { name: 'var/lib/dpkg/status', content: STATUS },
    { name: 'var/lib/dpkg/info/runc.list', content: '/.\n/usr\n/usr/sbin\n/usr/sbin/runc\n' },
    { name: 'var/lib/dpkg/info/runc.md5sums', content: `${createHash('md5').update(installed).digest('hex')}  usr/sbin/runc\n` },
  ];
  const owners = async (layers: TarMember[][]): Promise<Array<string | undefined>> => {
    const image = new InventoryImage();
    for (const layer of layers) await image.layer(layer);
    const { packages } = await inventoryImage(image.source, image.manifest);
    const go = packages.filter((p) => p.path === '/usr/sbin/runc');
    assert.ok(go.length > 0, 'the binary is read');
    return [...new Set(go.map((p) => p.ownedBy?.name))];
  };

  it('installed, then replaced, in one layer: the replacement is not dpkg\'s', async () => {
    assert.deepEqual(await owners([[...dpkg(), { name: 'usr/sbin/runc', content: installed }, { name: 'usr/sbin/runc', content: replacement }]]), [undefined]);
  });

  it('a hard link to a name written twice holds the second member', async () => {
    assert.deepEqual(await owners([dpkg(), [
      { name: 'opt/runc', content: installed }, { name: 'opt/runc', content: replacement },
      { name: 'usr/sbin/runc', type: 'link', linkname: 'opt/runc' },
    ]]), [undefined]);
  });

  it('(control) a lower layer holding the path: the last member already wins', async () => {
    assert.deepEqual(await owners([[...dpkg(), { name: 'usr/sbin/runc', content: installed }], [{ name: 'usr/sbin/runc', content: replacement }, { name: 'usr/sbin/runc', content: replacement }]]), [undefined]);
  });
});
