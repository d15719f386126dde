// A hard link whose target is itself a symlink is a second name for the symlink: link(2)
// does not follow its old path, and containerd (os.Link after hardlinkRootPath, which
// resolves only the target's parent), moby and umoci all call it that way. Checked with
// GNU tar 1.34, bsdtar and umoci unpack: `x -> /opt/dpkg` then a hard link
// `var/lib/dpkg` to `x` leaves /var/lib/dpkg a symlink to /opt/dpkg (link count 2). So
// the container's dpkg database is /opt/dpkg/status, exactly as if var/lib/dpkg were
// written as the symlink, which the scan follows (database-links.ts). Spelt as a hard
// link, the scan sees neither the link nor the database it leads to.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { inventoryImage } from '../src/scan/inventory.ts';
import { InventoryImage } from './support/inventory-image.ts';
import type { TarMember } from './support/layer-tar.ts';

const status = (v: string) => `Package: apparmor\nStatus: install ok installed\nArchitecture: amd64\nVersion: ${v}\n\n`;

async function scan(dpkgLink: TarMember) {
  const image = new InventoryImage();
  await image.layer([
    { name: 'etc/os-release', content: 'ID=debian\nVERSION_ID="12"\n' },
    { name: 'var/lib/dpkg/status', content: status('3.0.8-3') },
  ]);
  await image.layer([
    { name: 'opt/dpkg/status', content: status('2.10.95-1') },
    { name: 'x', type: 'symlink', linkname: '/opt/dpkg' },
    dpkgLink,
  ]);
  const inv = await inventoryImage(image.source, image.manifest);
  return { versions: inv.packages.filter((p) => p.name === 'apparmor').map((p) => p.version), unread: inv.unread.length };
}

describe('a database directory made a symlink by a hard link to a symlink', () => {
  it('is followed as the symlink it is (or stops the scan), not dropped', async () => {
    const asSymlink = await scan({ name: 'var/lib/dpkg', type: 'symlink', linkname: '/opt/dpkg' });
    assert.deepEqual(asSymlink, { versions: ['2.10.95-1'], unread: 0 });
    const asHardLink = await scan({ name: 'var/lib/dpkg', type: 'link', linkname: 'x' });
    assert.ok(asHardLink.unread > 0 || asHardLink.versions.includes('2.10.95-1'), `the container's apparmor is 2.10.95-1; the scan saw ${JSON.stringify(asHardLink)}`);
  });
});
