// Found by a review: os-release reached through a link to another path. The container's
// /etc/os-release resolves to the file; the scanner kept content only at the two literal
// os-release paths, found no OS, and listed dpkg packages it could not match: the
// vulnerable apparmor passed the policy with a note saying there was no os-release.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { scanOfLayers } from './support/inventory-image.ts';
import type { TarMember } from './support/layer-tar.ts';

const status = (v: string) => `Package: apparmor\nStatus: install ok installed\nArchitecture: amd64\nVersion: ${v}\n\n`;

const verdict = (members: TarMember[]) => scanOfLayers([members], 'medium');

describe('os-release behind a link', () => {
  it('control: etc/os-release -> ../usr/lib/os-release fails the policy', async () => {
    const outcome = await verdict([
      { name: 'usr/lib/os-release', content: 'ID=debian\nVERSION_ID="12"\n' },
      { name: 'etc/os-release', type: 'symlink', linkname: '../usr/lib/os-release' },
      { name: 'var/lib/dpkg/status', content: status('2.10.95-1') },
    ]);
    assert.equal(outcome.verdict, 'violation');
  });

  it('etc/os-release -> ../usr/share/base/os-release is read there', async () => {
    const outcome = await verdict([
      { name: 'usr/share/base/os-release', content: 'ID=debian\nVERSION_ID="12"\n' },
      { name: 'etc/os-release', type: 'symlink', linkname: '../usr/share/base/os-release' },
      { name: 'var/lib/dpkg/status', content: status('2.10.95-1') },
    ]);
    assert.equal(outcome.verdict, 'violation', JSON.stringify(outcome.result.platforms[0]!.notes));
  });

  it('NixOS-style: etc/static links to a store directory, and the file there is named …-etc-os-release', async () => {
    const outcome = await verdict([
      { name: 'nix/store/abc-etc/etc/os-release', type: 'symlink', linkname: '/nix/store/def-etc-os-release' },
      { name: 'nix/store/def-etc-os-release', content: 'ID=debian\nVERSION_ID="12"\n' },
      { name: 'etc/static', type: 'symlink', linkname: '/nix/store/abc-etc/etc' },
      { name: 'etc/os-release', type: 'symlink', linkname: 'static/os-release' },
      { name: 'var/lib/dpkg/status', content: status('2.10.95-1') },
    ]);
    assert.equal(outcome.verdict, 'violation', JSON.stringify(outcome.result.platforms[0]!.notes));
  });
});
