// rpm's committed-but-not-checkpointed WAL stops the scan (sqlite-wal.ts). When
// /var/lib/rpm is a link to a directory the scanner does not read, database-links.ts
// follows it for rpmdb.sqlite, and the WAL beside the linked database must be read too:
// rpm in the container opens var/lib/rpm/rpmdb.sqlite through the link, WAL included.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { describe, it } from 'node:test';
import { type Descriptor, MediaType } from '../src/oci.ts';
import { inventoryImage } from '../src/scan/inventory.ts';
import { MemoryBlobSource } from './support/blob-source.ts';
import { buildTar, compress, type TarMember } from './support/layer-tar.ts';

const fixture = (name: string) => gunzipSync(readFileSync(new URL(`./fixtures/inventory/rpm/${name}`, import.meta.url)));
const OS_RELEASE: TarMember = { name: 'etc/os-release', content: readFileSync(new URL('./fixtures/inventory/os-release/rocky-9.5', import.meta.url)) };

async function inventory(members: TarMember[]) {
  const source = new MemoryBlobSource();
  const layers: Descriptor[] = [source.add(compress(await buildTar(members), 'gzip'), MediaType.ociLayerGzip)];
  const config = source.add(Buffer.from('{}'), MediaType.ociConfig);
  return inventoryImage(source, { schemaVersion: 2, mediaType: MediaType.ociManifest, config, layers });
}

describe('an rpm WAL next to a database reached through a symlinked directory', () => {
  const db = fixture('rpm-4.18-wal.rpmdb.sqlite.gz');
  const wal = fixture('rpm-4.18-wal.rpmdb.sqlite-wal.gz');

  it('stops the scan at the standard path (as committed)', async () => {
    const inv = await inventory([OS_RELEASE, { name: 'var/lib/rpm/rpmdb.sqlite', content: db }, { name: 'var/lib/rpm/rpmdb.sqlite-wal', content: wal }]);
    assert.match(inv.unread.map((u) => u.reason).join('\n'), /rpmdb\.sqlite-wal: 1 rpm transaction/);
  });

  it('stops the scan the same way when var/lib/rpm links to the directory holding both files', async () => {
    const inv = await inventory([
      OS_RELEASE,
      { name: 'var/lib', type: 'directory' },
      { name: 'var/lib/rpm', type: 'symlink', linkname: '/opt/rpmdb' },
      { name: 'opt/rpmdb/rpmdb.sqlite', content: db },
      { name: 'opt/rpmdb/rpmdb.sqlite-wal', content: wal },
    ]);
    assert.deepEqual(inv.packages.map((p) => p.name), ['immutag-small'], 'the database file alone was read through the link');
    assert.match(inv.unread.map((u) => u.reason).join('\n'), /rpmdb\.sqlite-wal: 1 rpm transaction/,
      `immutag-late, committed in the WAL, is what rpm in the container also lists; unread: ${JSON.stringify(inv.unread)}`);
  });
});
