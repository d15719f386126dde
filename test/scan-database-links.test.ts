// A package database behind a symlinked directory: the runtime's /var/lib/dpkg may be
// a link to another directory, and what it reaches is the database the container has.
// A database reached that way is analysed as if at its standard path; one that could
// not be read stops the scan; a link to a place the scanner reads anyway (Fedora's
// /var/lib/rpm, merged /lib) changes nothing.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'node:test';
import { type Descriptor, MediaType } from '../src/oci.ts';
import { inventoryImage } from '../src/scan/inventory.ts';
import { scanImage } from '../src/scan/scan.ts';
import { MemoryBlobSource } from './support/blob-source.ts';
import { buildTar, compress, type TarMember } from './support/layer-tar.ts';

const status = (v: string) => `Package: apparmor\nStatus: install ok installed\nArchitecture: amd64\nVersion: ${v}\n\n`;
const OS_RELEASE: TarMember = { name: 'etc/os-release', content: 'ID=debian\nVERSION_ID="12"\n' };

async function inventory(...layers: TarMember[][]) {
  return inventoryWith({}, ...layers);
}

async function inventoryWith(options: { maxFileBytes?: number }, ...layers: TarMember[][]) {
  const source = new MemoryBlobSource();
  const descriptors: Descriptor[] = [];
  for (const members of layers) descriptors.push(source.add(compress(await buildTar(members), 'gzip'), MediaType.ociLayerGzip));
  const config = source.add(Buffer.from('{}'), MediaType.ociConfig);
  return inventoryImage(source, { schemaVersion: 2, mediaType: MediaType.ociManifest, config, layers: descriptors }, options);
}

describe('package databases behind symlinked directories', () => {
  it('reads the status file var/lib/dpkg links to, as the container\'s /var/lib/dpkg/status', async () => {
    const inv = await inventory([
      OS_RELEASE,
      { name: 'opt/dpkg', type: 'directory' },
      { name: 'opt/dpkg/status', content: status('2.10.95-1') },
      { name: 'var/lib', type: 'directory' },
      { name: 'var/lib/dpkg', type: 'symlink', linkname: '../../opt/dpkg' },
    ]);
    assert.deepEqual(inv.unread, []);
    assert.deepEqual(inv.packages.map((p) => [p.name, p.version, p.path, p.ecosystem]), [['apparmor', '2.10.95-1', '/var/lib/dpkg/status', 'Debian:12']]);
  });

  it('follows a link on a parent directory, set in a later layer than the database', async () => {
    const inv = await inventory(
      [OS_RELEASE, { name: 'srv/root/lib/dpkg/status', content: status('2.10.95-1') }, { name: 'var/lib/dpkg/status', content: status('2.11.0-3') }],
      [{ name: 'var/lib', type: 'symlink', linkname: '/srv/root/lib' }],
    );
    assert.deepEqual(inv.unread, []);
    assert.deepEqual(inv.packages.map((p) => [p.version, p.path]), [['2.10.95-1', '/var/lib/dpkg/status']]);
  });

  it('reads apk databases reached the same way; one it cannot read stops the scan', async () => {
    const apk = await inventory([{ name: 'lib/apk', type: 'directory' }, { name: 'lib/apk/db', type: 'symlink', linkname: '/data/apk' }, { name: 'data/apk/installed', content: 'P:musl\nV:1.2.3-r0\n\n' }]);
    assert.deepEqual(apk.unread, []);
    assert.deepEqual(apk.packages.map((p) => [p.name, p.version, p.path]), [['musl', '1.2.3-r0', '/lib/apk/db/installed']]);
    const rpm = await inventory([{ name: 'var/lib/rpm', type: 'symlink', linkname: '../../data/rpm' }, { name: 'data/rpm/rpmdb.sqlite', content: 'not sqlite' }]);
    assert.equal(rpm.unread.length, 1, JSON.stringify(rpm));
  });

  it('reads a distroless status.d a link reaches, its sidecar files aside', async () => {
    const inv = await inventory([
      OS_RELEASE,
      { name: 'opt/dpkg/status.d/apparmor', content: status('2.10.95-1') },
      { name: 'opt/dpkg/status.d/apparmor.md5sums', content: 'd41d8cd98f00b204e9800998ecf8427e  usr/bin/x\n' },
      { name: 'var/lib/dpkg', type: 'symlink', linkname: '/opt/dpkg' },
    ]);
    assert.deepEqual(inv.unread, []);
    assert.deepEqual(inv.packages.map((p) => [p.version, p.path]), [['2.10.95-1', '/var/lib/dpkg/status.d/apparmor']]);
  });

  it('stops the scan when the database a link reaches is over the per-file limit', async () => {
    const inv = await inventoryWith({ maxFileBytes: 64 }, [
      OS_RELEASE,
      { name: 'opt/dpkg/status', content: status('2.10.95-1') },
      { name: 'var/lib/dpkg', type: 'symlink', linkname: '/opt/dpkg' },
    ]);
    assert.equal(inv.unread.length, 1, JSON.stringify(inv));
    assert.match(inv.unread[0]!.reason, /\/var\/lib\/dpkg\/status is reached through a symlink at \/opt\/dpkg\/status/);
  });

  it('still recognises an executable by content when its name is one a database could have', async () => {
    const inv = await inventory([{ name: 'usr/bin/status', content: readFileSync('/usr/bin/umoci') }]);
    assert.ok(inv.packages.some((p) => p.type === 'golang'), JSON.stringify(inv.packages));
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

it('the scan of an image whose var/lib/dpkg links to a vulnerable database fails the policy', async () => {
  const source = new MemoryBlobSource();
  const layer = source.add(compress(await buildTar([
    OS_RELEASE,
    { name: 'opt/dpkg/status', content: status('2.10.95-1') }, // DEBIAN-CVE-2017-6507, fixed in 2.11.0-3
    { name: 'var/lib/dpkg', type: 'symlink', linkname: '../../opt/dpkg' },
  ]), 'gzip'), MediaType.ociLayerGzip);
  const config = source.add(Buffer.from('{}'), MediaType.ociConfig);
  const bytes = Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType: MediaType.ociManifest, config, layers: [layer] }));
  const top = source.add(bytes, MediaType.ociManifest);
  const outcome = await scanImage({
    source, top, manifests: new Map([[top.digest, bytes]]), engine: 'osv',
    vulnDb: fileURLToPath(new URL('./fixtures/scan/osv/', import.meta.url)), policy: { failOn: 'medium', ignoreUnfixed: false },
  });
  assert.equal(outcome.verdict, 'violation');
  assert.ok(outcome.result.platforms[0]!.findings.some((f) => f.id === 'DEBIAN-CVE-2017-6507'));
});
