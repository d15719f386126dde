// The rpm content check held to rpm's own verdicts (`rpm -V`) on real rpm 4.18
// databases (fixtures/inventory/rpm/owned/make-owned.sh):
//  1. FILEDIGESTALGO 9/10/11 (SHA-384, SHA-512, SHA-224): rpmbuild writes them when
//     %_binary_filedigest_algorithm asks, and `rpm -V` checks them ('..5....T.' for a
//     package.json rewritten); the scanner keeps no digest, so the file stays the rpm's.
//  2. --replacefiles: ownera's entry for the path is left in FILESTATES "replaced",
//     ownerb's is "normal"; `rpm -Va` reports nothing changed (replacefiles.rpm-V.txt).
//     In a BerkeleyDB hash (RHEL/CentOS 7-8, UBI 8, Amazon Linux 2) the scanner meets
//     ownerb (instance 2) first and ownera (instance 1) last: the stale, replaced
//     entry's owner and digest decide, and the untouched file is asked about upstream.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { describe, it } from 'node:test';
import { inventoryImage } from '../src/scan/inventory.ts';
import { InventoryImage } from './support/inventory-image.ts';

const fixture = (name: string): Buffer => gunzipSync(readFileSync(new URL(`./fixtures/inventory/rpm/owned/${name}`, import.meta.url)));

async function npmIn(db: { name: string; content: Buffer }, files: Array<{ name: string; content: string }>) {
  const image = new InventoryImage();
  await image.layer([db, ...files]);
  const { packages } = await inventoryImage(image.source, image.manifest);
  return packages.filter((p) => p.type === 'npm');
}

describe('rpm content check, checked against rpm -V', () => {
  const db = { name: 'var/lib/rpm/rpmdb.sqlite', content: fixture('sha-digests.rpmdb.sqlite.gz') };
  const upgraded = '{"name":"foo","version":"2.0.0"}\n';
  for (const [algo, label] of [[8, 'SHA-256'], [9, 'SHA-384'], [10, 'SHA-512'], [11, 'SHA-224']] as const) {
    it(`a package.json rpm recorded in ${label} (FILEDIGESTALGO ${algo}) and rewritten since is asked about (rpm -V: ..5....T.)`, async () => {
      const [foo] = await npmIn(db, [{ name: `usr/lib/node_modules/npm${algo}/node_modules/foo/package.json`, content: upgraded }]);
      assert.deepEqual([foo?.name, foo?.version, foo?.ownedBy], ['foo', '2.0.0', undefined]);
    });
  }

  it('a file ownerb took over with --replacefiles, unchanged, stays ownerb\'s (rpm -Va: nothing changed) in a BerkeleyDB database', async () => {
    const [shared] = await npmIn({ name: 'var/lib/rpm/Packages', content: fixture('replacefiles.Packages.gz') }, [
      { name: 'usr/lib/node_modules/shared/package.json', content: '{"name":"shared","version":"1.0.0","from":"b"}\n' },
    ]);
    assert.deepEqual([shared?.name, shared?.ownedBy], ['shared', { type: 'rpm', name: 'ownerb' }]);
  });
});
