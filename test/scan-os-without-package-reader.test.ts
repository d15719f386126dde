// Found by a review, fixed since: an image of a distribution whose package database immutag
// does not read (Arch Linux's pacman, Gentoo's portage) said nothing: no packages, no note, and
// the scan passed as "no vulnerabilities". README says of an OS OSV publishes nothing for that
// its packages are listed and "the report says so in one line"; for these the packages were
// not even listed, and the report said nothing at all, because inventory.ts added the OS note
// only inside its per-package loop. The note is now decided once per image: an os-release with
// no dpkg, apk or rpm package read gets one line naming the distribution (a note, not a
// failure: the verdict stays as it was). The os-release files below are the real ones
// (archlinux:latest ships `NAME="Arch Linux" PRETTY_NAME="Arch Linux" ID=arch BUILD_ID=rolling`;
// gentoo/stage3 `NAME=Gentoo ID=gentoo PRETTY_NAME="Gentoo Linux"`); the databases are laid
// out as pacman (var/lib/pacman/local/<name>-<version>/desc) and portage
// (var/db/pkg/<category>/<name>-<version>/) write them.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { inventoryOfLayers, scanOfLayers } from './support/inventory-image.ts';

const ARCH = [
  { name: 'etc/os-release', content: 'NAME="Arch Linux"\nPRETTY_NAME="Arch Linux"\nID=arch\nBUILD_ID=rolling\nANSI_COLOR="38;2;23;147;209"\nHOME_URL="https://archlinux.org/"\n' },
  { name: 'var/lib/pacman/local/ALPM_DB_VERSION', content: '9\n' },
  { name: 'var/lib/pacman/local/openssl-3.0.0-1/desc', content: '%NAME%\nopenssl\n\n%VERSION%\n3.0.0-1\n\n%ARCH%\nx86_64\n' },
  { name: 'var/lib/pacman/local/openssl-3.0.0-1/files', content: '%FILES%\nusr/\nusr/lib/\nusr/lib/libssl.so.3\n' },
];

const GENTOO = [
  { name: 'etc/os-release', content: 'NAME=Gentoo\nID=gentoo\nPRETTY_NAME="Gentoo Linux"\nANSI_COLOR="1;32"\nHOME_URL="https://www.gentoo.org/"\n' },
  { name: 'var/db/pkg/dev-libs/openssl-3.0.0/PF', content: 'openssl-3.0.0\n' },
  { name: 'var/db/pkg/dev-libs/openssl-3.0.0/CATEGORY', content: 'dev-libs\n' },
  { name: 'var/db/pkg/dev-libs/openssl-3.0.0/CONTENTS', content: 'obj /usr/lib64/libssl.so.3 0123456789abcdef0123456789abcdef 1700000000\n' },
];

describe('an image whose package database the scanner does not read is not a silent pass', () => {
  for (const [distro, members] of [['Arch Linux', ARCH], ['Gentoo Linux', GENTOO]] as const) {
    it(`${distro}: the inventory says its OS packages were not read or matched`, async () => {
      const inventory = await inventoryOfLayers([...members]);
      assert.ok(inventory.os, 'os-release was read');
      assert.ok(inventory.notes.some((n) => n.includes(distro)), `a note names ${distro}; notes: ${JSON.stringify(inventory.notes)}, packages: ${inventory.packages.length}`);
    });

    it(`${distro}: the scan's report carries that note`, async () => {
      const outcome = await scanOfLayers([[...members]], 'low');
      const notes = outcome.result.platforms.flatMap((p) => p.notes);
      assert.ok(notes.some((n) => n.includes(distro)), `verdict ${outcome.verdict} with notes ${JSON.stringify(notes)}`);
    });
  }
});

it('Arch Linux: the one line a user reads, and the verdict is unchanged (a note, not a failure)', async () => {
  const outcome = await scanOfLayers([[...ARCH]], 'low');
  assert.equal(outcome.verdict, 'pass');
  assert.deepEqual(outcome.result.platforms.flatMap((p) => p.notes), [
    'Arch Linux (ID=arch): no dpkg, apk or rpm package was found, so its OS packages were neither listed nor matched against advisories; only language packages were checked.',
  ]);
});
