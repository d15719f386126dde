// What a symlink reaches in a package cache, when the image's links are stale or
// hostile (found by a review helper in the first repair, 59599a0): a symlink a later
// layer removed, or one overlay storage turns into a directory when a later layer writes
// below it, must not send the resolution elsewhere; and following links is bounded,
// falling back to leaving nothing out as cache.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { inventoryImage } from '../src/scan/inventory.ts';
import { PackageCaches } from '../src/scan/inventory/package-cache.ts';
import { InventoryImage } from './support/inventory-image.ts';

const UBUNTU = 'PRETTY_NAME="Ubuntu 22.04.4 LTS"\nNAME="Ubuntu"\nVERSION_ID="22.04"\nID=ubuntu\n';
const metadata = (name: string, version: string): string => `Metadata-Version: 2.1\nName: ${name}\nVersion: ${version}\n`;
const index = (name: string, version: string): string => JSON.stringify({ name, version, build: 'py311h06a4308_0', subdir: 'linux-64' });
const listed = async (image: InventoryImage): Promise<{ pkgs: string[]; notes: string[] }> => {
  const { packages, notes } = await inventoryImage(image.source, image.manifest);
  return { pkgs: packages.filter((p) => p.type !== 'deb').map((p) => `${p.type}:${p.name}@${p.version} ${p.path}`).sort(), notes };
};
const cached = 'pkgs/idna-3.4-pyhd8ed1ab_0/site-packages/idna-3.4.dist-info/METADATA';
const cacheFiles = [
  { name: 'opt/conda/pkgs/idna-3.4-pyhd8ed1ab_0/info/index.json', content: index('idna', '3.4') },
  { name: `opt/conda/${cached}`, content: metadata('idna', '3.4') },
  { name: 'opt/conda/lib/python3.11/site-packages/idna-3.4.dist-info/METADATA', type: 'symlink' as const, linkname: `/opt/conda/${cached}` },
];

describe('stale symlinks (removed, or turned into directories) still reach the cache file the environment links to', () => {
  it('a lower layer symlink /opt/conda removed (whiteout) and replaced by a real directory', async () => {
    const image = new InventoryImage();
    await image.layer([{ name: 'etc/os-release', content: UBUNTU }, { name: 'opt/conda', type: 'symlink', linkname: '/opt/old' }]);
    await image.layer([{ name: 'opt/.wh.conda', content: '' }, ...cacheFiles]);
    const { pkgs, notes } = await listed(image);
    assert.deepEqual(pkgs.filter((p) => p.startsWith('pypi:')).map((p) => p.split(' ')[0]), ['pypi:idna@3.4'], notes.join('\n'));
  });
  it('a lower layer symlink /opt/conda that a later layer writes below (overlay makes it a directory)', async () => {
    const image = new InventoryImage();
    await image.layer([{ name: 'etc/os-release', content: UBUNTU }, { name: 'opt/conda', type: 'symlink', linkname: '/opt/old' }]);
    await image.layer(cacheFiles);
    const { pkgs, notes } = await listed(image);
    assert.deepEqual(pkgs.filter((p) => p.startsWith('pypi:')).map((p) => p.split(' ')[0]), ['pypi:idna@3.4'], notes.join('\n'));
  });
  it('a stale deeper link (opt/conda/pkgs -> /mnt/pkgs, later gone) shadows a live /opt/conda -> miniconda3', async () => {
    const image = new InventoryImage();
    await image.layer([{ name: 'etc/os-release', content: UBUNTU }, { name: 'opt/conda/pkgs', type: 'symlink', linkname: '/mnt/pkgs' }]);
    await image.layer([
      { name: 'opt/.wh.conda', content: '' },
      { name: 'opt/conda', type: 'symlink', linkname: 'miniconda3' },
      { name: 'opt/miniconda3/pkgs/idna-3.4-pyhd8ed1ab_0/info/index.json', content: index('idna', '3.4') },
      { name: `opt/miniconda3/${cached}`, content: metadata('idna', '3.4') },
      { name: 'opt/miniconda3/lib/python3.11/site-packages/idna-3.4.dist-info/METADATA', type: 'symlink', linkname: `/opt/conda/${cached}` },
    ]);
    const { pkgs, notes } = await listed(image);
    assert.deepEqual(pkgs.filter((p) => p.startsWith('pypi:')).map((p) => p.split(' ')[0]), ['pypi:idna@3.4'], notes.join('\n'));
  });
});

describe('the cost of following symlinks is bounded', () => {
  it('a self-referencing symlink with a 4 KB target (x -> /x/a/a/…/a) is followed only while a path could be opened', async () => {
    // Each round used to rewrite it again, by 4 KB a round, with every prefix copied out: 30 s for one link.
    const deep = Array(2000).fill('a').join('/');
    const image = new InventoryImage();
    await image.layer([
      { name: 'etc/os-release', content: UBUNTU },
      ...cacheFiles,
      { name: 'x', type: 'symlink', linkname: `/x/${deep}` },
    ]);
    const { pkgs } = await listed(image);
    assert.deepEqual(pkgs.filter((p) => p.startsWith('pypi:')).map((p) => p.split(' ')[0]), ['pypi:idna@3.4']);
  });

  it('links too deep or too many to follow within the budget leave nothing out as cache', () => {
    const caches = new PackageCaches();
    caches.add('opt/conda/pkgs/idna-3.4-pyhd8ed1ab_0/info/index.json');
    const component = 'c'.repeat(62);
    const deepDir = Array.from({ length: 63 }, () => component).join('/');
    const many = Array.from({ length: 1000 }, (_, i) => [`l${i}`, `/${deepDir}/${i}`] as const);
    assert.equal(caches.linkedFrom(many), 'all');
    assert.equal(caches.linkedFrom([[`${deepDir}/one/more/level`, '/opt']]), 'all');
    assert.notEqual(caches.linkedFrom([['opt/conda/lib/x', '/opt/conda/pkgs/idna-3.4-pyhd8ed1ab_0/site-packages']]), 'all');
  });
});
