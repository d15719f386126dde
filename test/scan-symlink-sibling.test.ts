// A later layer writes a file below a lower layer's symlinked database directory, but
// not the database itself. The overlay snapshotters make the link a directory (the upper
// layer's real directory hides it, so dpkg finds no status at all); the naive appliers
// (vfs/native snapshotters, umoci; containerd's rootless fallback applies on the merged
// mount) write through the link, so the container's /var/lib/dpkg/status is the lower
// layer's file, here apparmor 2.10.95-1 (checked with umoci unpack). Which database the
// container has depends on the runtime: the scan stops.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { type Descriptor, MediaType } from '../src/oci.ts';
import { inventoryImage } from '../src/scan/inventory.ts';
import { MemoryBlobSource } from './support/blob-source.ts';
import { buildTar, compress, type TarMember } from './support/layer-tar.ts';

const status = (v: string) => `Package: apparmor\nStatus: install ok installed\nArchitecture: amd64\nVersion: ${v}\n\n`;

async function inventory(...layers: TarMember[][]) {
  const source = new MemoryBlobSource();
  const descriptors: Descriptor[] = [];
  for (const members of layers) descriptors.push(source.add(compress(await buildTar(members), 'gzip'), MediaType.ociLayerGzip));
  const config = source.add(Buffer.from('{}'), MediaType.ociConfig);
  return inventoryImage(source, { schemaVersion: 2, mediaType: MediaType.ociManifest, config, layers: descriptors });
}

describe('a file written below a lower layer\'s symlinked database directory', () => {
  it('stops: overlay snapshotters hide the database, naive unpackers keep it', async () => {
    const inv = await inventory(
      [
        { name: 'etc/os-release', content: 'ID=debian\nVERSION_ID="12"\n' },
        { name: 'opt/dpkg/status', content: status('2.10.95-1') },
        { name: 'var/lib', type: 'directory' },
        { name: 'var/lib/dpkg', type: 'symlink', linkname: '/opt/dpkg' },
      ],
      [{ name: 'var/lib/dpkg/info/hello.list', content: '/usr/bin/hello\n' }],
    );
    assert.equal(inv.unread.length, 1, JSON.stringify(inv.unread));
    assert.match(inv.unread[0]!.reason, /^\/var\/lib\/dpkg is a symlink from a lower layer on the path to a package database, and a later layer writes below it/);
  });
});
