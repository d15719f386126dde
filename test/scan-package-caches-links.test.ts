// Package caches (package-cache.ts) are left out only where nothing links to them: what
// an environment reaches through a symlink runs, whatever analyser reads it (a jar, a
// binary), through a symlinked directory too, and whichever copy of a hard link the
// walk meets first. A `pkgs/<name>/info/index.json` that is not conda's hides nothing.
// Each case failed on the first version of the cache rule (found by a review helper).
// Stale or hostile links (found in the first repair, 59599a0): a symlink a later layer
// removed, or one overlay storage turns into a directory when a later layer writes
// below it, must not send the resolution elsewhere; following links is bounded, and
// past the bound nothing is left out as cache.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { inventoryImage } from '../src/scan/inventory.ts';
import { PackageCaches } from '../src/scan/inventory/package-cache.ts';
import { InventoryImage } from './support/inventory-image.ts';
import { buildZip } from './support/zip-writer.ts';

const UBUNTU = 'PRETTY_NAME="Ubuntu 22.04.4 LTS"\nNAME="Ubuntu"\nVERSION_ID="22.04"\nID=ubuntu\n';
const TAG = 'Signature: 8a477f597d28d172789f06886806bc55\n';
const metadata = (name: string, version: string): string => `Metadata-Version: 2.1\nName: ${name}\nVersion: ${version}\n`;
const index = (name: string, version: string): string => JSON.stringify({ name, version, build: 'py311h06a4308_0', subdir: 'linux-64' });
const log4j = (): Buffer => buildZip([
  { name: 'META-INF/MANIFEST.MF', data: 'Manifest-Version: 1.0\n' },
  { name: 'META-INF/maven/org.apache.logging.log4j/log4j-core/pom.properties', data: 'groupId=org.apache.logging.log4j\nartifactId=log4j-core\nversion=2.14.1\n' },
  { name: 'org/apache/logging/log4j/core/Logger.class', data: 'x' },
]);
const listed = async (image: InventoryImage): Promise<{ pkgs: string[]; notes: string[] }> => {
  const { packages, notes } = await inventoryImage(image.source, image.manifest);
  return { pkgs: packages.filter((p) => p.type !== 'deb').map((p) => `${p.type}:${p.name}@${p.version} ${p.path}`).sort(), notes };
};

describe('symlinks into a package cache', () => {
  it("a jar in conda's cache that the environment symlinks to (always_softlink) is what the JVM loads", async () => {
    const pkg = 'opt/conda/pkgs/pyspark-3.1.1-pyhd8ed1ab_0';
    const jar = 'site-packages/pyspark/jars/log4j-core-2.14.1.jar';
    const image = new InventoryImage();
    await image.layer([
      { name: 'etc/os-release', content: UBUNTU },
      { name: `${pkg}/info/index.json`, content: index('pyspark', '3.1.1') },
      { name: `${pkg}/site-packages/pyspark-3.1.1.dist-info/METADATA`, content: metadata('pyspark', '3.1.1') },
      { name: `${pkg}/${jar}`, content: log4j() },
      { name: 'opt/conda/lib/python3.11/site-packages/pyspark-3.1.1.dist-info/METADATA', type: 'symlink', linkname: `/${pkg}/site-packages/pyspark-3.1.1.dist-info/METADATA` },
      { name: `opt/conda/lib/python3.11/${jar}`, type: 'symlink', linkname: `/${pkg}/${jar}` },
    ]);
    const { pkgs, notes } = await listed(image);
    assert.ok(pkgs.some((p) => p.startsWith('maven:') && p.includes('log4j-core@2.14.1')), `${pkgs.join('\n')}\n--\n${notes.join('\n')}`);
  });

  it("uv --link-mode symlink: a jar in uv's cache the venv symlinks to is loaded", async () => {
    const cached = 'root/.cache/uv/archive-v0/kYuW9AFG4ofVj1ytAlmE2';
    const jar = 'pyspark/jars/log4j-core-2.14.1.jar';
    const image = new InventoryImage();
    await image.layer([
      { name: 'etc/os-release', content: UBUNTU },
      { name: 'root/.cache/uv/CACHEDIR.TAG', content: TAG },
      { name: `${cached}/pyspark-3.1.1.dist-info/METADATA`, content: metadata('pyspark', '3.1.1') },
      { name: `${cached}/${jar}`, content: log4j() },
      { name: 'app/.venv/lib/python3.12/site-packages/pyspark-3.1.1.dist-info/METADATA', type: 'symlink', linkname: `/${cached}/pyspark-3.1.1.dist-info/METADATA` },
      { name: `app/.venv/lib/python3.12/site-packages/${jar}`, type: 'symlink', linkname: `/${cached}/${jar}` },
    ]);
    const { pkgs, notes } = await listed(image);
    assert.ok(pkgs.some((p) => p.startsWith('maven:') && p.includes('log4j-core@2.14.1')), `${pkgs.join('\n')}\n--\n${notes.join('\n')}`);
  });

  it('a dist-info directory symlinked into the cache is what Python finds', async () => {
    const cached = 'root/.cache/uv/archive-v0/kYuW9AFG4ofVj1ytAlmE2';
    const image = new InventoryImage();
    await image.layer([
      { name: 'etc/os-release', content: UBUNTU },
      { name: 'root/.cache/uv/CACHEDIR.TAG', content: TAG },
      { name: `${cached}/requests-2.25.1.dist-info/METADATA`, content: metadata('requests', '2.25.1') },
      { name: 'app/.venv/lib/python3.12/site-packages/requests-2.25.1.dist-info', type: 'symlink', linkname: `/${cached}/requests-2.25.1.dist-info` },
    ]);
    const { pkgs, notes } = await listed(image);
    assert.deepEqual(pkgs.filter((p) => p.startsWith('pypi:')).map((p) => p.split(' ')[0]), ['pypi:requests@2.25.1'], notes.join('\n'));
  });

  it('a symlink whose target goes through a symlinked directory (/opt/conda -> miniconda3) reaches the cache file', async () => {
    const cached = 'pkgs/idna-3.4-pyhd8ed1ab_0/site-packages/idna-3.4.dist-info/METADATA';
    const image = new InventoryImage();
    await image.layer([
      { name: 'etc/os-release', content: UBUNTU },
      { name: 'opt/conda', type: 'symlink', linkname: 'miniconda3' },
      { name: 'opt/miniconda3/pkgs/idna-3.4-pyhd8ed1ab_0/info/index.json', content: index('idna', '3.4') },
      { name: `opt/miniconda3/${cached}`, content: metadata('idna', '3.4') },
      { name: 'opt/miniconda3/lib/python3.11/site-packages/idna-3.4.dist-info/METADATA', type: 'symlink', linkname: `/opt/conda/${cached}` },
    ]);
    const { pkgs, notes } = await listed(image);
    assert.deepEqual(pkgs.filter((p) => p.startsWith('pypi:')).map((p) => p.split(' ')[0]), ['pypi:idna@3.4'], notes.join('\n'));
  });
});

describe('hard links between environment and cache (same layer)', () => {
  for (const order of ['env first', 'cache first'] as const) {
    it(`the environment's copy is read (${order})`, async () => {
      const env = 'app/.venv/lib/python3.12/site-packages/requests-2.32.3.dist-info/METADATA';
      const cache = 'app/.cache/uv/archive-v0/kYuW9AFG4ofVj1ytAlmE2/requests-2.32.3.dist-info/METADATA';
      const [first, second] = order === 'env first' ? [env, cache] : [cache, env];
      const image = new InventoryImage();
      await image.layer([
        { name: 'etc/os-release', content: UBUNTU },
        { name: 'app/.cache/uv/CACHEDIR.TAG', content: TAG },
        { name: first, content: metadata('requests', '2.32.3') },
        { name: second, type: 'link', linkname: first },
      ]);
      const { pkgs, notes } = await listed(image);
      assert.deepEqual(pkgs.filter((p) => p.startsWith('pypi:')), [`pypi:requests@2.32.3 /${env}`], notes.join('\n'));
    });
  }
});

describe("what makes a directory conda's cache", () => {
  it("an app's own pkgs/<name>/info/index.json (a workspace package's data file) does not hide its node_modules", async () => {
    const image = new InventoryImage();
    await image.layer([
      { name: 'etc/os-release', content: UBUNTU },
      { name: 'app/pkgs/api/package.json', content: '{"name":"@acme/api","version":"1.0.0"}' },
      { name: 'app/pkgs/api/info/index.json', content: '{"title":"API info","routes":[]}' },
      { name: 'app/pkgs/api/node_modules/lodash/package.json', content: '{"name":"lodash","version":"4.17.20"}' },
    ]);
    const { pkgs, notes } = await listed(image);
    assert.deepEqual(pkgs.filter((p) => p.startsWith('npm:')).map((p) => p.split(' ')[0]), ['npm:lodash@4.17.20'], notes.join('\n'));
  });
});

describe('controls', () => {
  it('the jar fixture is read outside any cache', async () => {
    const image = new InventoryImage();
    await image.layer([{ name: 'etc/os-release', content: UBUNTU }, { name: 'opt/app/log4j-core-2.14.1.jar', content: log4j() }]);
    const { pkgs } = await listed(image);
    assert.ok(pkgs.some((p) => p.includes('log4j-core@2.14.1')), pkgs.join('\n'));
  });
  for (const order of ['env first', 'cache first'] as const) {
    it(`a jar hard-linked between conda's cache and the environment is read at the environment (${order})`, async () => {
      const env = 'opt/conda/lib/python3.11/site-packages/pyspark/jars/log4j-core-2.14.1.jar';
      const cache = 'opt/conda/pkgs/pyspark-3.1.1-pyhd8ed1ab_0/site-packages/pyspark/jars/log4j-core-2.14.1.jar';
      const [first, second] = order === 'env first' ? [env, cache] : [cache, env];
      const image = new InventoryImage();
      await image.layer([
        { name: 'etc/os-release', content: UBUNTU },
        { name: 'opt/conda/pkgs/pyspark-3.1.1-pyhd8ed1ab_0/info/index.json', content: index('pyspark', '3.1.1') },
        { name: first, content: log4j() },
        { name: second, type: 'link', linkname: first },
      ]);
      const { pkgs, notes } = await listed(image);
      assert.deepEqual(pkgs.filter((p) => p.includes('log4j')).map((p) => p.split(' ')[1]), [`/${env}`], notes.join('\n'));
    });
  }
});

const idnaCached = 'pkgs/idna-3.4-pyhd8ed1ab_0/site-packages/idna-3.4.dist-info/METADATA';
const cacheFiles = [
  { name: 'opt/conda/pkgs/idna-3.4-pyhd8ed1ab_0/info/index.json', content: index('idna', '3.4') },
  { name: `opt/conda/${idnaCached}`, content: metadata('idna', '3.4') },
  { name: 'opt/conda/lib/python3.11/site-packages/idna-3.4.dist-info/METADATA', type: 'symlink' as const, linkname: `/opt/conda/${idnaCached}` },
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
      { name: `opt/miniconda3/${idnaCached}`, content: metadata('idna', '3.4') },
      { name: 'opt/miniconda3/lib/python3.11/site-packages/idna-3.4.dist-info/METADATA', type: 'symlink', linkname: `/opt/conda/${idnaCached}` },
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
