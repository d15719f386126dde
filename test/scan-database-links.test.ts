// A package database behind a symlinked directory: the runtime's /var/lib/dpkg may be
// a link to another directory, and what it reaches is the database the container has.
// A database reached that way and not read stops the scan; a link to a place the
// scanner reads anyway (Fedora's /var/lib/rpm, merged /lib) changes nothing.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { type Descriptor, MediaType } from '../src/oci.ts';
import { inventoryImage } from '../src/scan/inventory.ts';
import { MemoryBlobSource } from './support/blob-source.ts';
import { buildTar, compress, type TarMember } from './support/layer-tar.ts';

const status = (v: string) => `Package: apparmor\nStatus: install ok installed\nArchitecture: amd64\nVersion: ${v}\n\n`;
const OS_RELEASE: TarMember = { name: 'etc/os-release', content: 'ID=debian\nVERSION_ID="12"\n' };

async function inventory(...layers: TarMember[][]) {
  const source = new MemoryBlobSource();
  const descriptors: Descriptor[] = [];
  for (const members of layers) descriptors.push(source.add(compress(await buildTar(members), 'gzip'), MediaType.ociLayerGzip));
  const config = source.add(Buffer.from('{}'), MediaType.ociConfig);
  return inventoryImage(source, { schemaVersion: 2, mediaType: MediaType.ociManifest, config, layers: descriptors });
}

describe('package databases behind symlinked directories', () => {
  it('stops the scan when var/lib/dpkg links to a directory holding a status file it did not read', async () => {
    const inv = await inventory([
      OS_RELEASE,
      { name: 'opt/dpkg', type: 'directory' },
      { name: 'opt/dpkg/status', content: status('2.10.95-1') },
      { name: 'var/lib', type: 'directory' },
      { name: 'var/lib/dpkg', type: 'symlink', linkname: '../../opt/dpkg' },
    ]);
    assert.equal(inv.unread.length, 1, JSON.stringify(inv));
    assert.match(inv.unread[0]!.reason, /\/var\/lib\/dpkg/);
    assert.match(inv.unread[0]!.reason, /\/opt\/dpkg\/status/);
  });

  it('follows a link on a parent directory, set in a later layer than the database', async () => {
    const inv = await inventory(
      [OS_RELEASE, { name: 'srv/root/lib/dpkg/status', content: status('2.10.95-1') }],
      [{ name: 'var/lib', type: 'symlink', linkname: '/srv/root/lib' }],
    );
    assert.equal(inv.unread.length, 1, JSON.stringify(inv));
    assert.match(inv.unread[0]!.reason, /\/srv\/root\/lib\/dpkg\/status/);
  });

  it('stops the scan for apk and rpm databases reached the same way', async () => {
    const apk = await inventory([{ name: 'lib/apk', type: 'directory' }, { name: 'lib/apk/db', type: 'symlink', linkname: '/data/apk' }, { name: 'data/apk/installed', content: 'P:musl\nV:1.2.3-r0\n\n' }]);
    assert.equal(apk.unread.length, 1, JSON.stringify(apk));
    const rpm = await inventory([{ name: 'var/lib/rpm', type: 'symlink', linkname: '../../data/rpm' }, { name: 'data/rpm/rpmdb.sqlite', content: 'x' }]);
    assert.equal(rpm.unread.length, 1, JSON.stringify(rpm));
  });

  it('changes nothing when the link leads to a database the scanner reads, or to nothing', async () => {
    const fedora = await inventory([
      { name: 'usr/lib/sysimage/rpm', type: 'directory' },
      { name: 'var/lib/rpm', type: 'symlink', linkname: '../../usr/lib/sysimage/rpm' },
    ]);
    assert.deepEqual(fedora.unread, []);
    const merged = await inventory([OS_RELEASE, { name: 'lib', type: 'symlink', linkname: 'usr/lib' }, { name: 'var/lib/dpkg/status', content: status('2.10.95-1') }]);
    assert.deepEqual(merged.unread, []);
    assert.deepEqual(merged.packages.map((p) => p.version), ['2.10.95-1']);
    const dangling = await inventory([OS_RELEASE, { name: 'var/lib/dpkg', type: 'symlink', linkname: '/nowhere' }]);
    assert.deepEqual(dangling.unread, []);
  });

  it('forgets a link a later layer replaced with a real directory', async () => {
    const inv = await inventory(
      [OS_RELEASE, { name: 'opt/dpkg/status', content: status('2.10.95-1') }, { name: 'var/lib/dpkg', type: 'symlink', linkname: '/opt/dpkg' }],
      [{ name: 'var/lib/.wh.dpkg', content: '' }, { name: 'var/lib/dpkg', type: 'directory' }, { name: 'var/lib/dpkg/status', content: status('2.11.0-3') }],
    );
    assert.deepEqual(inv.unread, []);
    assert.deepEqual(inv.packages.map((p) => p.version), ['2.11.0-3']);
  });
});
