// npm upgraded in place over the npm a distribution package installed: NodeSource's
// nodejs .deb puts npm and its bundled packages in /usr/lib/node_modules/npm, and
// `npm install -g npm@latest` (what npm's own update notice says to run) replaces
// those files. dpkg's file list still names the paths, but dpkg's md5sums show the
// content is no longer what dpkg installed (`dpkg --verify nodejs`: ??5?????? for
// each): no distribution advisory covers npm 11's packages, and they must be asked
// about. Real data: the nodejs stanza, .list and .md5sums lines of NodeSource's
// nodejs 20.20.2-1nodesource1+repack1 on Debian 12, and npm 11.19.1's files after
// `npm install -g npm@11.19.1` over it (archy 1.0.0 is byte for byte the same in
// both npm releases: still dpkg's).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { inventoryImage } from '../src/scan/inventory.ts';
import { buildQueries } from '../src/scan/osv/match.ts';
import { InventoryImage } from './support/inventory-image.ts';

const fixture = (name: string): Buffer => readFileSync(new URL(`./fixtures/inventory/npm/nodesource/${name}`, import.meta.url));
const DEBIAN = 'PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\nNAME="Debian GNU/Linux"\nVERSION_ID="12"\nVERSION="12 (bookworm)"\nID=debian\n';
const NPM = 'usr/lib/node_modules/npm';

describe('npm upgraded over the npm of a .deb', () => {
  it('packages whose package.json is not what dpkg installed are not left to the distribution', async () => {
    const image = new InventoryImage();
    await image.layer([
      { name: 'etc/os-release', content: DEBIAN },
      { name: 'var/lib/dpkg/status', content: fixture('status') },
      { name: 'var/lib/dpkg/info/nodejs.list', content: fixture('nodejs.list') },
      { name: 'var/lib/dpkg/info/nodejs.md5sums', content: fixture('nodejs.md5sums') },
      { name: `${NPM}/package.json`, content: fixture('npm.package.json') },
      { name: `${NPM}/node_modules/tar/package.json`, content: fixture('tar.package.json') },
      { name: `${NPM}/node_modules/archy/package.json`, content: fixture('archy.package.json') },
    ]);
    const { packages } = await inventoryImage(image.source, image.manifest);
    const npm = packages.filter((p) => p.type === 'npm');
    assert.deepEqual(npm.map((p) => `${p.name}@${p.version} ${p.ownedBy?.name ?? 'asked'}`).sort(), [
      'archy@1.0.0 nodejs',
      'npm@11.19.1 asked',
      'tar@7.5.22 asked',
    ]);
    assert.deepEqual(buildQueries(npm).map((q) => JSON.stringify(q)).filter((q) => q.includes('"npm"')).length, 2);
  });
});
