// dpkg keeps a package's .md5sums as its .deb shipped it. When another package takes a
// file over (Replaces:), dpkg drops the path from the old package's .list but not from
// its .md5sums (checked with dpkg 1.21 in a --root: python3-b replacing python3-a's
// METADATA leaves python3-a.md5sums naming the old MD5). The file on disk is exactly what
// the new owner installed, so the language package stays the distribution's.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, it } from 'node:test';
import { inventoryImage } from '../src/scan/inventory.ts';
import { InventoryImage } from './support/inventory-image.ts';

const DEBIAN = 'PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\nNAME="Debian GNU/Linux"\nVERSION_ID="12"\nVERSION="12 (bookworm)"\nID=debian\n';
const META = 'usr/lib/python3/dist-packages/foo-1.0.dist-info/METADATA';
const OLD = 'Metadata-Version: 2.1\nName: foo\nVersion: 1.0\n';
const NEW = 'Metadata-Version: 2.1\nName: foo\nVersion: 1.0\nSummary: debian patched\n';
const md5 = (text: string): string => createHash('md5').update(text).digest('hex');
const stanza = (name: string) => `Package: ${name}\nStatus: install ok installed\nArchitecture: all\nVersion: 1\nMaintainer: x <x@x>\nDescription: t\n`;

describe('a metadata file taken over by another .deb', () => {
  it('stays the distribution\'s: the stale MD5 in the old owner\'s .md5sums is not what dpkg installed there now', async () => {
    const image = new InventoryImage();
    // What dpkg wrote (dpkg --root, python3-a 1 with Replaces: python3-b installed over python3-b 1).
    await image.layer([
      { name: 'etc/os-release', content: DEBIAN },
      { name: 'var/lib/dpkg/status', content: `${stanza('python3-a')}\n${stanza('python3-b')}` },
      { name: 'var/lib/dpkg/info/python3-a.list', content: `/.\n/usr\n/usr/lib\n/usr/lib/python3\n/usr/lib/python3/dist-packages\n/usr/lib/python3/dist-packages/foo-1.0.dist-info\n/${META}\n` },
      { name: 'var/lib/dpkg/info/python3-a.md5sums', content: `${md5(NEW)}  ${META}\n` },
      { name: 'var/lib/dpkg/info/python3-b.list', content: '/.\n/usr\n/usr/lib\n/usr/lib/python3\n/usr/lib/python3/dist-packages\n/usr/lib/python3/dist-packages/foo-1.0.dist-info\n/usr/share\n/usr/share/doc\n/usr/share/doc/python3-b\n/usr/share/doc/python3-b/README\n' },
      { name: 'var/lib/dpkg/info/python3-b.md5sums', content: `49995c85be6f95a1dbef19aafa8f1f53  usr/share/doc/python3-b/README\n${md5(OLD)}  ${META}\n` },
      { name: META, content: NEW },
    ]);
    const { packages } = await inventoryImage(image.source, image.manifest);
    const foo = packages.find((p) => p.name === 'foo');
    assert.equal(foo?.ownedBy?.name, 'python3-a', `foo: ${JSON.stringify(foo)}`);
  });
});
