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
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { inventoryImage } from '../src/scan/inventory.ts';
import { parseApkInstalled } from '../src/scan/inventory/apk.ts';
import type { Package } from '../src/scan/model.ts';
import { buildQueries } from '../src/scan/osv/match.ts';
import { InventoryImage } from './support/inventory-image.ts';

const fixture = (name: string): Buffer => readFileSync(new URL(`./fixtures/inventory/npm/nodesource/${name}`, import.meta.url));
const DEBIAN = 'PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\nNAME="Debian GNU/Linux"\nVERSION_ID="12"\nVERSION="12 (bookworm)"\nID=debian\n';
const NPM = 'usr/lib/node_modules/npm';
/** npm 11.19.1 as `npm install -g npm@11.19.1` leaves it, over a distribution's npm. */
const UPGRADED_NPM = [
  { name: `${NPM}/package.json`, content: fixture('npm.package.json') },
  { name: `${NPM}/node_modules/tar/package.json`, content: fixture('tar.package.json') },
  { name: `${NPM}/node_modules/archy/package.json`, content: fixture('archy.package.json') },
];

/** Each npm package of the image and who it is left to (`asked`: matched upstream). */
async function npmOwners(files: Parameters<InventoryImage['layer']>[0]): Promise<{ owners: string[]; npm: Package[] }> {
  const image = new InventoryImage();
  await image.layer(files);
  const { packages } = await inventoryImage(image.source, image.manifest);
  const npm = packages.filter((p) => p.type === 'npm');
  return { owners: npm.map((p) => `${p.name}@${p.version} ${p.ownedBy?.name ?? 'asked'}`).sort(), npm };
}

describe('npm upgraded over the npm of a .deb', () => {
  it('packages whose package.json is not what dpkg installed are not left to the distribution', async () => {
    const { owners, npm } = await npmOwners([
      { name: 'etc/os-release', content: DEBIAN },
      { name: 'var/lib/dpkg/status', content: fixture('status') },
      { name: 'var/lib/dpkg/info/nodejs.list', content: fixture('nodejs.list') },
      { name: 'var/lib/dpkg/info/nodejs.md5sums', content: fixture('nodejs.md5sums') },
      ...UPGRADED_NPM,
    ]);
    assert.deepEqual(owners, ['archy@1.0.0 nodejs', 'npm@11.19.1 asked', 'tar@7.5.22 asked']);
    assert.deepEqual(buildQueries(npm).map((q) => JSON.stringify(q)).filter((q) => q.includes('"npm"')).length, 2);
  });
});

// The same upgrade on Alpine: `apk add npm` puts npm in /usr/lib/node_modules/npm, and
// `npm install -g npm@latest` replaces its files. apk's installed database still
// lists them (R: lines), and next to each the SHA-1 of what apk installed there
// (`Z:Q1` + base64, as in the real Alpine 3.14 database in fixtures/inventory/apk):
// a package.json whose content differs was put there by npm, and no Alpine advisory
// covers it. Files apk installed and nothing replaced stay Alpine's. The package.json
// files are npm 11.19.1's real ones (fixtures/inventory/npm/nodesource); apk's npm
// installed an older npm.
const ALPINE = 'NAME="Alpine Linux"\nID=alpine\nVERSION_ID=3.20.3\nPRETTY_NAME="Alpine Linux v3.20"\n';

/** apk's `Z:` value for content: Q1 and the base64 SHA-1. */
function apkChecksum(content: Buffer | string): string {
  return `Q1${createHash('sha1').update(content).digest('base64')}`;
}

/** An installed database whose npm package installed `files` (path → the content apk put there). */
function installedDb(files: Record<string, Buffer | string>): string {
  const lines = ['C:Q1bmBXUBU4I8SxUwNBiC2pjjD2YZ8=', 'P:npm', 'V:10.8.0-r0', 'A:x86_64', 'S:1', 'I:1', 'T:the npm package manager', 'L:Artistic-2.0', 'o:npm'];
  const byDir = new Map<string, string[]>();
  for (const path of Object.keys(files)) {
    const dir = path.slice(0, path.lastIndexOf('/'));
    byDir.set(dir, [...(byDir.get(dir) ?? []), path]);
  }
  for (const [dir, paths] of byDir) {
    lines.push(`F:${dir}`, 'M:0:0:755');
    for (const path of paths) lines.push(`R:${path.slice(dir.length + 1)}`, 'a:0:0:644', `Z:${apkChecksum(files[path]!)}`);
  }
  return `${lines.join('\n')}\n\n`;
}

const OLD_NPM = '{"name":"npm","version":"10.8.0"}\n';
const OLD_TAR = '{"name":"tar","version":"6.2.1"}\n';

describe('npm upgraded over the npm of an apk', () => {
  it('packages whose package.json is not what apk installed are not left to Alpine', async () => {
    const { owners } = await npmOwners([
      { name: 'etc/os-release', content: ALPINE },
      { name: 'lib/apk/db/installed', content: installedDb({
        [`${NPM}/package.json`]: OLD_NPM,
        [`${NPM}/node_modules/tar/package.json`]: OLD_TAR,
        [`${NPM}/node_modules/archy/package.json`]: fixture('archy.package.json'),
      }) },
      ...UPGRADED_NPM,
    ]);
    assert.deepEqual(owners, ['archy@1.0.0 npm', 'npm@11.19.1 asked', 'tar@7.5.22 asked']);
  });

  it('keeps each R: file\'s Z: checksum, and none for a Z: that is not a SHA-1', () => {
    const analysis = parseApkInstalled(installedDb({ [`${NPM}/package.json`]: OLD_NPM }) +
      'P:odd\nV:1-r0\nF:usr/share/odd\nR:a.json\nZ:Q2AAAA\nR:b.json\nZ:Q1notbase64!\n\n', 'lib/apk/db/installed');
    const installed = analysis.owned?.installed;
    assert.equal(installed?.get(`/${NPM}/package.json`), `sha1:${createHash('sha1').update(OLD_NPM).digest('hex')}`);
    assert.equal(installed?.has('/usr/share/odd/a.json'), false);
    assert.equal(installed?.has('/usr/share/odd/b.json'), false);
    assert.equal(analysis.owned?.files.get('/usr/share/odd/b.json'), 'odd');
  });

  it('reads a Z: for every R: of the real Alpine 3.14 database', () => {
    const real = parseApkInstalled(readFileSync(new URL('./fixtures/inventory/apk/installed', import.meta.url), 'utf8'), 'lib/apk/db/installed');
    assert.equal(real.owned?.files.size, 292);
    assert.equal(real.owned?.installed?.size, 292);
    // ld-musl's line: Z:Q1OR21cpf2INrOZXtXeMnWdqhkld4=
    assert.equal(real.owned?.installed?.get('/lib/ld-musl-armhf.so.1'), 'sha1:391db57297f620dace657b5778c9d676a86495de');
  });
});
