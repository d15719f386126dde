// Found by a review: var/lib/dpkg is a symlinked directory (followed by the scanner), and the
// status file in the directory it reaches is itself a symlink to the real database.
// In the container /var/lib/dpkg/status resolves through both links to the file.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { inventoryOfLayers as inventory } from './support/inventory-image.ts';
import type { TarMember } from './support/layer-tar.ts';

const status = (v: string) => `Package: apparmor\nStatus: install ok installed\nArchitecture: amd64\nVersion: ${v}\n\n`;
const OS_RELEASE: TarMember = { name: 'etc/os-release', content: 'ID=debian\nVERSION_ID="12"\n' };

describe('a file link inside a linked database directory', () => {
  it('a link at the literal var/lib/dpkg/status to a file named status is read through', async () => {
    const inv = await inventory([
      OS_RELEASE,
      { name: 'srv/db/status', content: status('2.10.95-1') },
      { name: 'var/lib/dpkg/status', type: 'symlink', linkname: '/srv/db/status' },
    ]);
    assert.deepEqual(inv.packages.map((p) => [p.name, p.version]), [['apparmor', '2.10.95-1']]);
    assert.deepEqual(inv.unread, []);
  });

  it('var/lib/dpkg -> /opt/dpkg, opt/dpkg/status -> /srv/db/status: read through both links', async () => {
    const inv = await inventory([
      OS_RELEASE,
      { name: 'srv/db/status', content: status('2.10.95-1') },
      { name: 'opt/dpkg/status', type: 'symlink', linkname: '/srv/db/status' },
      { name: 'var/lib/dpkg', type: 'symlink', linkname: '/opt/dpkg' },
    ]);
    assert.deepEqual(inv.packages.map((p) => [p.name, p.version]), [['apparmor', '2.10.95-1']], JSON.stringify({ unread: inv.unread, notes: inv.notes }));
    assert.deepEqual(inv.unread, []);
  });

  it('a link that renames the file (opt/dpkg/status -> /srv/db/pkgs.txt) stops the scan, naming both', async () => {
    const inv = await inventory([
      OS_RELEASE,
      { name: 'srv/db/pkgs.txt', content: status('2.10.95-1') },
      { name: 'opt/dpkg/status', type: 'symlink', linkname: '/srv/db/pkgs.txt' },
      { name: 'var/lib/dpkg', type: 'symlink', linkname: '/opt/dpkg' },
    ]);
    assert.deepEqual(inv.unread.map((u) => u.reason), ['/var/lib/dpkg/status leads through a symlink to /srv/db/pkgs.txt, whose content was not kept (only files named as a package database are)']);
  });
});
