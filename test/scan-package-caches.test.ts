// Package caches are not installed packages (src/scan/inventory/package-cache.ts).
// conda keeps every package it downloaded, unpacked, in its package cache
// (`<root>/pkgs/<name>-<version>-<build>/`, each with `info/index.json`) until
// `conda clean`; environments get hard links to those files. Python and Node load only
// from an environment, never from the cache, and after `conda update` the cache still
// holds the old builds: read as installed, their advisories failed images that do not
// run them. The layout is conda's (miniconda3 images keep /opt/conda/pkgs).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { inventoryImage } from '../src/scan/inventory.ts';
import { InventoryImage } from './support/inventory-image.ts';

const UBUNTU = 'PRETTY_NAME="Ubuntu 22.04.4 LTS"\nNAME="Ubuntu"\nVERSION_ID="22.04"\nID=ubuntu\n';
const metadata = (name: string, version: string): string => `Metadata-Version: 2.1\nName: ${name}\nVersion: ${version}\n`;
const index = (name: string, version: string): string => JSON.stringify({ name, version, build: 'py311h06a4308_0', subdir: 'linux-64' });

describe("conda's package cache", () => {
  it('is not read as installed; the environment is, and the report says what was left out', async () => {
    const image = new InventoryImage();
    await image.layer([
      { name: 'etc/os-release', content: UBUNTU },
      // The base environment, as `conda update requests` left it.
      { name: 'opt/conda/lib/python3.11/site-packages/requests-2.32.3.dist-info/METADATA', content: metadata('requests', '2.32.3') },
      // The cache: the old build (a platform package) and the new one, and a noarch package.
      { name: 'opt/conda/pkgs/requests-2.25.1-py311h06a4308_0/info/index.json', content: index('requests', '2.25.1') },
      { name: 'opt/conda/pkgs/requests-2.25.1-py311h06a4308_0/lib/python3.11/site-packages/requests-2.25.1.dist-info/METADATA', content: metadata('requests', '2.25.1') },
      { name: 'opt/conda/pkgs/requests-2.32.3-py311h06a4308_0/info/index.json', content: index('requests', '2.32.3') },
      { name: 'opt/conda/pkgs/requests-2.32.3-py311h06a4308_0/lib/python3.11/site-packages/requests-2.32.3.dist-info/METADATA', content: metadata('requests', '2.32.3') },
      { name: 'opt/conda/pkgs/idna-3.4-pyhd8ed1ab_0/info/index.json', content: index('idna', '3.4') },
      { name: 'opt/conda/pkgs/idna-3.4-pyhd8ed1ab_0/site-packages/idna-3.4.dist-info/METADATA', content: metadata('idna', '3.4') },
      // A directory called pkgs inside a cached package is still the cache.
      { name: 'opt/conda/pkgs/nodejs-20.9.0-hb753e55_0/info/index.json', content: index('nodejs', '20.9.0') },
      { name: 'opt/conda/pkgs/nodejs-20.9.0-hb753e55_0/lib/node_modules/pkgs/node_modules/semver/package.json', content: '{"name":"semver","version":"7.5.1"}' },
      // An app's own directory that happens to be called pkgs, without conda's index.json: read.
      { name: 'app/pkgs/tool-1.0-0/lib/python3.11/site-packages/urllib3-1.26.0.dist-info/METADATA', content: metadata('urllib3', '1.26.0') },
    ]);
    const { packages, notes } = await inventoryImage(image.source, image.manifest);
    assert.deepEqual(packages.filter((p) => p.type === 'pypi').map((p) => `${p.name}@${p.version} ${p.path}`).sort(), [
      'requests@2.32.3 /opt/conda/lib/python3.11/site-packages/requests-2.32.3.dist-info/METADATA',
      'urllib3@1.26.0 /app/pkgs/tool-1.0-0/lib/python3.11/site-packages/urllib3-1.26.0.dist-info/METADATA',
    ]);
    assert.ok(notes.some((n) => /4 packages in conda's package cache \(\/opt\/conda\/pkgs\) not counted as installed/.test(n)), notes.join('\n'));
  });

  it('is found under any name (CONDA_PKGS_DIRS) by the repodata_record.json conda writes into each package it unpacks there', async () => {
    const record = (name: string, version: string, build: string): string =>
      JSON.stringify({ name, version, build, build_number: 0, channel: 'https://conda.anaconda.org/conda-forge/noarch', subdir: 'noarch', url: `https://conda.anaconda.org/conda-forge/noarch/${name}-${version}-${build}.conda` });
    const condaIndex = (name: string, version: string, build: string): string => JSON.stringify({ name, version, build, subdir: 'noarch' });
    const image = new InventoryImage();
    await image.layer([
      { name: 'etc/os-release', content: UBUNTU },
      { name: 'opt/env/lib/python3.12/site-packages/requests-2.32.3.dist-info/METADATA', content: metadata('requests', '2.32.3') },
      // CONDA_PKGS_DIRS=/var/cache/conda: the cache keeps the build the environment replaced.
      { name: 'var/cache/conda/requests-2.25.1-pyhd8ed1ab_0/info/index.json', content: condaIndex('requests', '2.25.1', 'pyhd8ed1ab_0') },
      { name: 'var/cache/conda/requests-2.25.1-pyhd8ed1ab_0/info/repodata_record.json', content: record('requests', '2.25.1', 'pyhd8ed1ab_0') },
      { name: 'var/cache/conda/requests-2.25.1-pyhd8ed1ab_0/site-packages/requests-2.25.1.dist-info/METADATA', content: metadata('requests', '2.25.1') },
      // A record that names another package than its directory: not conda's doing, read.
      { name: 'srv/plugin-1.0/info/repodata_record.json', content: record('other', '9.9', '0') },
      { name: 'srv/plugin-1.0/site-packages/urllib3-1.26.0.dist-info/METADATA', content: metadata('urllib3', '1.26.0') },
    ]);
    const { packages, notes } = await inventoryImage(image.source, image.manifest);
    assert.deepEqual(packages.filter((p) => p.type === 'pypi').map((p) => `${p.name}@${p.version} ${p.path}`).sort(), [
      'requests@2.32.3 /opt/env/lib/python3.12/site-packages/requests-2.32.3.dist-info/METADATA',
      'urllib3@1.26.0 /srv/plugin-1.0/site-packages/urllib3-1.26.0.dist-info/METADATA',
    ]);
    assert.ok(notes.some((n) => /^1 package in conda's package cache \(\/var\/cache\/conda\) not counted as installed/.test(n)), notes.join('\n'));
  });

  it('a conda archive unpacked by hand and run from PATH (cph x, ADD pkg.tar.bz2: same directory name and index.json, no repodata_record.json) is read', async () => {
    // Found by a review helper: the first cut took the directory name alone for a cache.
    const pkg = 'opt/nodejs-20.9.0-hb753e55_0';
    const image = new InventoryImage();
    await image.layer([
      { name: 'etc/os-release', content: UBUNTU },
      { name: `${pkg}/info/index.json`, content: JSON.stringify({ name: 'nodejs', version: '20.9.0', build: 'hb753e55_0', subdir: 'linux-64' }) },
      { name: `${pkg}/bin/node`, content: 'ELF' },
      { name: `${pkg}/lib/node_modules/npm/package.json`, content: '{"name":"npm","version":"10.1.0"}' },
      { name: `${pkg}/lib/node_modules/npm/node_modules/semver/package.json`, content: '{"name":"semver","version":"7.5.1"}' },
    ]);
    const { packages, notes } = await inventoryImage(image.source, image.manifest);
    assert.deepEqual(packages.filter((p) => p.type === 'npm').map((p) => `${p.name}@${p.version}`).sort(), ['npm@10.1.0', 'semver@7.5.1'], notes.join('\n'));
    assert.ok(!notes.some((n) => /package cache/.test(n)), notes.join('\n'));
  });

  it("is read where an environment links to it (conda's always_softlink): those files are what Python loads", async () => {
    const cached = 'opt/conda/pkgs/idna-3.4-pyhd8ed1ab_0/site-packages/idna-3.4.dist-info/METADATA';
    const image = new InventoryImage();
    await image.layer([
      { name: 'etc/os-release', content: UBUNTU },
      { name: 'opt/conda/pkgs/idna-3.4-pyhd8ed1ab_0/info/index.json', content: index('idna', '3.4') },
      { name: cached, content: metadata('idna', '3.4') },
      { name: 'opt/conda/lib/python3.11/site-packages/idna-3.4.dist-info/METADATA', type: 'symlink', linkname: `/${cached}` },
    ]);
    const { packages, notes } = await inventoryImage(image.source, image.manifest);
    assert.deepEqual(packages.filter((p) => p.type === 'pypi').map((p) => `${p.name}@${p.version}`), ['idna@3.4']);
    assert.ok(!notes.some((n) => /conda's package cache/.test(n)), notes.join('\n'));
  });
});

// uv unpacks every wheel it installs into <cache>/archive-v0/<id>/ (the cache root,
// ~/.cache/uv unless UV_CACHE_DIR, holds CACHEDIR.TAG) and links or copies the files
// into the environment; an image built without --no-cache or a cache mount keeps it,
// with the wheels of earlier lockfiles too.
describe("uv's cache", () => {
  const UV = 'root/.cache/uv';

  it('is not read as installed; the virtual environment is', async () => {
    const image = new InventoryImage();
    await image.layer([
      { name: 'etc/os-release', content: UBUNTU },
      { name: `${UV}/CACHEDIR.TAG`, content: 'Signature: 8a477f597d28d172789f06886806bc55\n' },
      { name: `${UV}/archive-v0/2xHbCBDz8yFfPeCgXqnBO/requests-2.25.1.dist-info/METADATA`, content: metadata('requests', '2.25.1') },
      { name: `${UV}/archive-v0/kYuW9AFG4ofVj1ytAlmE2/requests-2.32.3.dist-info/METADATA`, content: metadata('requests', '2.32.3') },
      { name: 'app/.venv/lib/python3.12/site-packages/requests-2.32.3.dist-info/METADATA', content: metadata('requests', '2.32.3') },
      // Another tool's tagged cache without uv's archive: read as before.
      { name: 'root/.cache/pip/CACHEDIR.TAG', content: 'Signature: 8a477f597d28d172789f06886806bc55\n' },
      { name: 'root/.cache/pip/selfcheck/pip-23.0.dist-info/METADATA', content: metadata('pip', '23.0') },
    ]);
    const { packages, notes } = await inventoryImage(image.source, image.manifest);
    assert.deepEqual(packages.filter((p) => p.type === 'pypi').map((p) => `${p.name}@${p.version} ${p.path}`).sort(), [
      'pip@23.0 /root/.cache/pip/selfcheck/pip-23.0.dist-info/METADATA',
      'requests@2.32.3 /app/.venv/lib/python3.12/site-packages/requests-2.32.3.dist-info/METADATA',
    ]);
    assert.ok(notes.some((n) => /^2 packages in uv's cache \(\/root\/\.cache\/uv\) not counted as installed/.test(n)), notes.join('\n'));
  });

  it("is read where the environment links to it (uv's --link-mode symlink)", async () => {
    const cached = `${UV}/archive-v0/kYuW9AFG4ofVj1ytAlmE2/requests-2.32.3.dist-info/METADATA`;
    const image = new InventoryImage();
    await image.layer([
      { name: 'etc/os-release', content: UBUNTU },
      { name: `${UV}/CACHEDIR.TAG`, content: 'Signature: 8a477f597d28d172789f06886806bc55\n' },
      { name: cached, content: metadata('requests', '2.32.3') },
      { name: 'app/.venv/lib/python3.12/site-packages/requests-2.32.3.dist-info/METADATA', type: 'symlink', linkname: `/${cached}` },
    ]);
    const { packages } = await inventoryImage(image.source, image.manifest);
    assert.deepEqual(packages.filter((p) => p.type === 'pypi').map((p) => `${p.name}@${p.version}`), ['requests@2.32.3']);
  });
});
