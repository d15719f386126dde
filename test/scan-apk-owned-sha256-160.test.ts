// apk-tools 3 (src/database.c, apk_db_fdb_read/apk_db_fdb_write): a package installed
// from a v3 (ADB) package is written with `f:S` (ipkg->sha256_160), and its files'
// `Z:Q1…` then hold the first 20 bytes of the file's SHA-256, not its SHA-1
// (apk_blob_push_hash writes any 20-byte digest as Q1). A file unchanged since apk
// installed it must stay the apk package's; read as SHA-1 it always "differs".
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, it } from 'node:test';
import { inventoryImage } from '../src/scan/inventory.ts';
import { InventoryImage } from './support/inventory-image.ts';

const ALPINE = 'NAME="Alpine Linux"\nID=alpine\nVERSION_ID=3.23.0\nPRETTY_NAME="Alpine Linux v3.23"\n';
const PKG = '{"name":"npm","version":"11.6.0"}\n';
const sha256x160 = (data: string): string => `Q1${createHash('sha256').update(data).digest().subarray(0, 20).toString('base64')}`;

describe('apk-tools 3 installed database with f:S (SHA256-160 file digests)', () => {
  async function npmWith(flags: string, checksum: string, content: string) {
    const installed = ['C:Q1AAAAAAAAAAAAAAAAAAAAAAAAAAA=', 'P:npm', 'V:11.6.0-r0', 'A:noarch', 'o:npm', flags,
      'F:usr/lib/node_modules/npm', 'R:package.json', `Z:${checksum}`, '', ''].join('\n');
    const image = new InventoryImage();
    await image.layer([
      { name: 'etc/os-release', content: ALPINE },
      { name: 'lib/apk/db/installed', content: installed },
      { name: 'usr/lib/node_modules/npm/package.json', content },
    ]);
    const { packages } = await inventoryImage(image.source, image.manifest);
    const npm = packages.find((p) => p.type === 'npm');
    return [npm?.name, npm?.ownedBy];
  }

  it('an unchanged package.json stays Alpine\'s', async () => {
    assert.deepEqual(await npmWith('f:S', sha256x160(PKG), PKG), ['npm', { type: 'apk', name: 'npm' }]);
  });

  it('a package.json replaced since is asked about', async () => {
    assert.deepEqual(await npmWith('f:S', sha256x160(PKG), '{"name":"npm","version":"11.7.0"}\n'), ['npm', undefined]);
  });

  it('a Q2 checksum is a whole SHA-256', async () => {
    const q2 = `Q2${createHash('sha256').update(PKG).digest('base64')}`;
    assert.deepEqual(await npmWith('f:', q2, PKG), ['npm', { type: 'apk', name: 'npm' }]);
    assert.deepEqual(await npmWith('f:', q2, '{"name":"npm","version":"11.7.0"}\n'), ['npm', undefined]);
  });
});
