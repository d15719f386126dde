// rpm records the digest of every file a package installed (FILEDIGESTS, in the
// algorithm FILEDIGESTALGO names: SHA-256 on rpm 4.18). A language package's metadata
// file at a path rpm lists, but with other content, was put there by another installer
// (npm install -g npm@latest over the nodejs package's npm, a pip install over the
// rpm's egg-info): it is not the distribution's, and is asked about upstream. The
// database is the real rpm 4.18 NDB one of scan-rpm-formats, whose python3-idna
// installed make/python3-idna.PKG-INFO.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { describe, it } from 'node:test';
import { inventoryImage } from '../src/scan/inventory.ts';
import { parseRpmNdb } from '../src/scan/inventory/rpm.ts';
import { InventoryImage } from './support/inventory-image.ts';

const fixture = (name: string): Buffer => readFileSync(new URL(`./fixtures/inventory/rpm/${name}`, import.meta.url));
const SLES = 'NAME="SLES"\nVERSION_ID="15.6"\nID="sles"\nPRETTY_NAME="SUSE Linux Enterprise Server 15 SP6"\n';
const PKG_INFO = 'usr/lib/python3.6/site-packages/idna-2.5-py3.6.egg-info/PKG-INFO';
const DB = gunzipSync(fixture('rpm-4.18-ndb.Packages.db.gz'));

async function idnaIn(pkgInfo: Buffer | string) {
  const image = new InventoryImage();
  await image.layer([
    { name: 'etc/os-release', content: SLES },
    { name: 'usr/lib/sysimage/rpm/Packages.db', content: DB },
    { name: PKG_INFO, content: pkgInfo },
  ]);
  const { packages } = await inventoryImage(image.source, image.manifest);
  return packages.find((p) => p.type === 'pypi');
}

describe('a metadata file at a path rpm installed', () => {
  it('is the rpm package\'s while its content is what rpm installed', async () => {
    const idna = await idnaIn(fixture('make/python3-idna.PKG-INFO'));
    assert.deepEqual([idna?.name, idna?.version, idna?.ownedBy], ['idna', '2.5', { type: 'rpm', name: 'python3-idna' }]);
  });

  it('is asked about upstream once its content differs', async () => {
    const replaced = fixture('make/python3-idna.PKG-INFO').toString('utf8').replace('Summary: ', 'Summary: (reinstalled) ');
    const idna = await idnaIn(replaced);
    assert.deepEqual([idna?.name, idna?.version, idna?.ownedBy], ['idna', '2.5', undefined]);
  });

  it('keeps the SHA-256 rpm recorded for the file', () => {
    const owned = parseRpmNdb(DB, 'Packages.db').owned;
    const expected = createHash('sha256').update(fixture('make/python3-idna.PKG-INFO')).digest('hex');
    assert.equal(owned?.installed?.get(`/${PKG_INFO}`), `sha256:${expected}`);
  });
});
