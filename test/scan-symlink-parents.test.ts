// A member written below a path that is a symlink. Every runtime resolves the parent
// of each member inside the root it unpacks into (containerd: fs.RootPath on the
// parent; moby: os.Root / resolveArchivePath; umoci: securejoin), so:
//  - a link written earlier in the same layer is followed: `tmp/l -> /var/lib/dpkg`
//    then `tmp/l/status` writes the runtime's var/lib/dpkg/status (the layer is refused);
//  - a link from a lower layer is not in the layer's own upper directory, so the
//    overlay snapshotters create a real directory there (mkparent /
//    createImpliedDirectories), which hides the lower link in the merged view; the
//    naive appliers (native/vfs, umoci) follow the link instead. Either way the
//    member is what the container reads at its path.
// The scan must see the vulnerable apparmor (2.10.95-1) the container's dpkg sees, or
// stop; here it reads the fixed one (2.11.0-3) the runtime replaced or never shows.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ImmutagError } from '../src/errors.ts';
import { type Descriptor, MediaType } from '../src/oci.ts';
import { inventoryImage } from '../src/scan/inventory.ts';
import { MemoryBlobSource } from './support/blob-source.ts';
import { InventoryImage } from './support/inventory-image.ts';
import { buildTar, compress, type TarMember } from './support/layer-tar.ts';

const status = (v: string) => `Package: apparmor\nStatus: install ok installed\nArchitecture: amd64\nVersion: ${v}\n\n`;
const OS_RELEASE: TarMember = { name: 'etc/os-release', content: 'ID=debian\nVERSION_ID="12"\n' };
const VULNERABLE = '2.10.95-1';
const FIXED = '2.11.0-3';

async function inventory(...layers: TarMember[][]) {
  const source = new MemoryBlobSource();
  const descriptors: Descriptor[] = [];
  for (const members of layers) descriptors.push(source.add(compress(await buildTar(members), 'gzip'), MediaType.ociLayerGzip));
  const config = source.add(Buffer.from('{}'), MediaType.ociConfig);
  return inventoryImage(source, { schemaVersion: 2, mediaType: MediaType.ociManifest, config, layers: descriptors });
}

function assertSeesVulnerable(inv: Awaited<ReturnType<typeof inventory>>): void {
  const seen = inv.packages.map((p) => `${p.name} ${p.version} ${p.path}`);
  assert.ok(inv.unread.length > 0 || seen.some((p) => p.startsWith(`apparmor ${VULNERABLE} `)),
    `the container's /var/lib/dpkg/status holds apparmor ${VULNERABLE}; the scan saw ${JSON.stringify(seen)}`);
}

describe('members written below a symlinked directory', () => {
  it('refuses a layer that writes below a link it made itself: every runtime follows it, no builder writes it', async () => {
    // umoci unpack of this layer: var/lib/dpkg/status is 2.10.95-1.
    await assert.rejects(inventory([
      OS_RELEASE,
      { name: 'var/lib/dpkg/status', content: status(FIXED) },
      { name: 'tmp/l', type: 'symlink', linkname: '/var/lib/dpkg' },
      { name: 'tmp/l/status', content: status(VULNERABLE) },
    ]), (err: unknown) => {
      assert.ok(err instanceof ImmutagError);
      assert.equal(err.code, 'IMAGE_INVALID');
      assert.match(err.message, /writes a file below a symlink the same layer made \("\/tmp\/l\/status" below "\/tmp\/l"\)/);
      return true;
    });
  });

  it('refuses it too when the directory had members before it became the link', async () => {
    await assert.rejects(inventory([
      OS_RELEASE,
      { name: 'var/lib/dpkg/status', content: status(FIXED) },
      { name: 'tmp/d/readme', content: 'x' },
      { name: 'tmp/d', type: 'symlink', linkname: '/var/lib/dpkg' },
      { name: 'tmp/d/status', content: status(VULNERABLE) },
    ]), /writes a file below a symlink the same layer made \("\/tmp\/d\/status" below "\/tmp\/d"\)/);
  });

  it('does not let the file a lower link leads to stand in for the file a later layer writes below that link', async () => {
    // overlayfs (kernel mount): var/lib/dpkg is the upper layer's directory, status 2.10.95-1;
    // umoci (naive): written through the link, opt/dpkg/status is 2.10.95-1. The scan read 2.11.0-3.
    assertSeesVulnerable(await inventory(
      [OS_RELEASE, { name: 'opt/dpkg/status', content: status(FIXED) }, { name: 'var/lib', type: 'directory' }, { name: 'var/lib/dpkg', type: 'symlink', linkname: '/opt/dpkg' }],
      [{ name: 'var/lib/dpkg/status', content: status(VULNERABLE) }],
    ));
  });
});

// A later layer writes a file below a lower layer's symlinked database directory, but
// not the database itself. The overlay snapshotters make the link a directory (the upper
// layer's real directory hides it, so dpkg finds no status at all); the naive appliers
// (vfs/native snapshotters, umoci; containerd's rootless fallback applies on the merged
// mount) write through the link, so the container's /var/lib/dpkg/status is the lower
// layer's file, here apparmor 2.10.95-1 (checked with umoci unpack). Which database the
// container has depends on the runtime: the scan stops.
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
    assert.match(inv.unread[0]!.reason, /^the package database "\/opt\/dpkg\/status" is reached through "\/var\/lib\/dpkg", a symlink from a lower layer that a later layer writes below/);
  });
});

// A hard link whose target path passes through a symlink the same layer made. Every
// runtime resolves the link name's parent inside the root it unpacks into
// (containerd's hardlinkRootPath: fs.RootPath on the parent; moby: link(2) on the
// joined path; umoci: securejoin), so `opt/l -> a` then a hard link to
// `opt/l/node_modules/lodash/package.json` is a second name for opt/a's file. Checked
// with umoci 0.4 unpack: after a later layer deletes opt/a, /opt/b/.../package.json
// still holds lodash 4.17.20. A member written below such a link is refused
// (database-links.ts enterParentsOf), and so is a hard link whose target is below one.
describe('hard links whose target passes through a same-layer symlink', () => {
  it('refuses the layer, as it refuses a member written below such a link', async () => {
    const image = new InventoryImage();
    await image.layer([
      { name: 'opt/a/node_modules/lodash/package.json', content: '{"name":"lodash","version":"4.17.20"}' },
      { name: 'opt/l', type: 'symlink', linkname: 'a' },
      { name: 'opt/b/node_modules/lodash/package.json', type: 'link', linkname: 'opt/l/node_modules/lodash/package.json' },
    ]);
    await image.layer([{ name: 'opt/.wh.a' }]);
    await assert.rejects(inventoryImage(image.source, image.manifest), (err: unknown) => {
      assert.ok(err instanceof ImmutagError && err.code === 'IMAGE_INVALID', String(err));
      assert.match(err.message, /hard-links a file to a path below a symlink the same layer made \("\/opt\/b\/node_modules\/lodash\/package\.json" to "\/opt\/l\/node_modules\/lodash\/package\.json", below "\/opt\/l"\)/);
      return true;
    });
  });
});
