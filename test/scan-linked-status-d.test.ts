// Found by a review: a distroless dpkg database (var/lib/dpkg/status.d/<pkg>) whose status.d
// DIRECTORY is a symlink to a directory of another name. In the container,
// /var/lib/dpkg/status.d/apparmor is the file the link reaches, exactly as with a
// link at var/lib/dpkg (which the scanner follows). The scan must read it, or stop.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { inventoryOfLayers as inventory, scanOfLayers } from './support/inventory-image.ts';
import type { TarMember } from './support/layer-tar.ts';

const control = (v: string) => `Package: apparmor\nArchitecture: amd64\nVersion: ${v}\n\n`;
const OS_RELEASE: TarMember = { name: 'etc/os-release', content: 'ID=debian\nVERSION_ID="12"\n' };

describe('review: status.d itself a symlinked directory', () => {
  it('control: a link at var/lib/dpkg is followed', async () => {
    const inv = await inventory([
      OS_RELEASE,
      { name: 'opt/pkgs/status.d/apparmor', content: control('2.10.95-1') },
      { name: 'var/lib/dpkg', type: 'symlink', linkname: '/opt/pkgs' },
    ]);
    assert.deepEqual(inv.packages.map((p) => [p.name, p.version]), [['apparmor', '2.10.95-1']]);
  });

  it('a link at var/lib/dpkg/status.d is read or stops the scan (same layer)', async () => {
    const inv = await inventory([
      OS_RELEASE,
      { name: 'opt/pkgs/apparmor', content: control('2.10.95-1') },
      { name: 'var/lib/dpkg', type: 'directory' },
      { name: 'var/lib/dpkg/status.d', type: 'symlink', linkname: '/opt/pkgs' },
    ]);
    const read = inv.packages.some((p) => p.name === 'apparmor' && p.version === '2.10.95-1');
    assert.ok(read || inv.unread.length > 0, `apparmor 2.10.95-1 neither inventoried nor unread: ${JSON.stringify({ packages: inv.packages, unread: inv.unread, notes: inv.notes })}`);
  });

  it('a link at var/lib/dpkg/status.d set in a later layer is read or stops the scan', async () => {
    const inv = await inventory(
      [OS_RELEASE, { name: 'opt/pkgs/apparmor', content: control('2.10.95-1') }],
      [{ name: 'var/lib/dpkg/status.d', type: 'symlink', linkname: '../../../opt/pkgs' }],
    );
    const read = inv.packages.some((p) => p.name === 'apparmor' && p.version === '2.10.95-1');
    assert.ok(read || inv.unread.length > 0, `apparmor 2.10.95-1 neither inventoried nor unread: ${JSON.stringify({ packages: inv.packages, unread: inv.unread, notes: inv.notes })}`);
  });
});


const verdict = (members: TarMember[]) => scanOfLayers([members], 'medium');

describe('review: verdict', () => {
  it('control: the vulnerable apparmor at the literal status.d fails the policy', async () => {
    const outcome = await verdict([OS_RELEASE, { name: 'var/lib/dpkg/status.d/apparmor', content: control('2.10.95-1') }]);
    assert.equal(outcome.verdict, 'violation');
  });

  it('the same apparmor behind a status.d directory link does not pass: the scan stops, naming the link', async () => {
    // Only files named as a package database are kept while the layers stream by, and
    // /opt/pkgs/apparmor is not; so the scan cannot read it, and says so.
    await assert.rejects(verdict([
      OS_RELEASE,
      { name: 'opt/pkgs/apparmor', content: control('2.10.95-1') }, // DEBIAN-CVE-2017-6507, fixed in 2.11.0-3
      { name: 'var/lib/dpkg', type: 'directory' },
      { name: 'var/lib/dpkg/status.d', type: 'symlink', linkname: '/opt/pkgs' },
    ]), (err: Error & { code?: string }) => {
      console.log(err.message);
      assert.equal(err.code, 'SCANNER_FAILED');
      assert.match(err.message, /\/var\/lib\/dpkg\/status\.d leads through a symlink to \/opt\/pkgs, whose content was not kept/);
      return true;
    });
  });

  it('a status.d directory linked to another status.d is read through the link', async () => {
    const outcome = await verdict([
      OS_RELEASE,
      { name: 'opt/pkgs/status.d/apparmor', content: control('2.10.95-1') },
      { name: 'var/lib/dpkg', type: 'directory' },
      { name: 'var/lib/dpkg/status.d', type: 'symlink', linkname: '/opt/pkgs/status.d' },
    ]);
    assert.equal(outcome.verdict, 'violation');
  });
});
