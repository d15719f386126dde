// virtualenv (20+) seeds a new environment from an unpacked image of each wheel it keeps
// in its app-data directory (~/.cache/virtualenv, older releases ~/.local/share/virtualenv):
// wheel/<python>/image/1/CopyPipInstall/pip-24.2-py3-none-any/pip-24.2.dist-info/...
// By default (via=copy) it copies that image into the venv and never puts it on a sys.path:
// the copy is a seed, not an installed distribution. `virtualenv --pip 24.2 /venv` then
// `/venv/bin/pip install -U pip` left pip 24.2 there while the venv (and importlib.metadata,
// pip list) has 26.2.1; pip 24.2 was reported as installed (found by a review helper
// comparing with importlib.metadata). With --symlink-app-data the venv links into
// SymlinkPipInstall/ instead, and that image is what Python loads.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { pythonAnalyzer } from '../src/scan/inventory/python.ts';
import { inventoryImage } from '../src/scan/inventory.ts';
import { InventoryImage } from './support/inventory-image.ts';

const read = (path: string): Buffer => readFileSync(new URL(`./fixtures/inventory/python/${path}`, import.meta.url));
const pip242 = read('pip-24.2.METADATA');
const pip2621 = read('pip-26.2.1.METADATA');
const site = 'venv/lib/python3.11/site-packages';
const image = (via: 'CopyPipInstall' | 'SymlinkPipInstall') => `root/.cache/virtualenv/wheel/3.11/image/1/${via}/pip-24.2-py3-none-any`;

describe("virtualenv's app-data wheel images", () => {
  it('a copied seed (CopyPipInstall) is not installed: only the venv\'s upgraded pip is', async () => {
    const img = new InventoryImage();
    await img.layer([
      { name: `${image('CopyPipInstall')}/pip-24.2.dist-info/METADATA`, content: pip242 },
      { name: `${image('CopyPipInstall')}/pip-24.2.virtualenv`, content: '' },
      { name: `${site}/pip-26.2.1.dist-info/METADATA`, content: pip2621 },
    ]);
    const { packages } = await inventoryImage(img.source, img.manifest);
    assert.deepEqual(packages.map((p) => [p.name, p.version, p.path]), [
      ['pip', '26.2.1', `/${site}/pip-26.2.1.dist-info/METADATA`],
    ]);
  });

  it('a linked one (SymlinkPipInstall, --symlink-app-data) is what the venv loads, and is reported', async () => {
    const img = new InventoryImage();
    await img.layer([
      { name: `${image('SymlinkPipInstall')}/pip-24.2.dist-info/METADATA`, content: pip242 },
      { name: `${site}/pip-24.2.dist-info`, type: 'symlink', linkname: `/${image('SymlinkPipInstall')}/pip-24.2.dist-info` },
    ]);
    const { packages } = await inventoryImage(img.source, img.manifest);
    assert.deepEqual(packages.map((p) => [p.name, p.version]), [['pip', '24.2']]);
  });

  const paths: Array<[string, boolean]> = [
    ['root/.cache/virtualenv/wheel/3.11/image/1/CopyPipInstall/pip-24.2-py3-none-any/pip-24.2.dist-info/METADATA', false],
    ['root/.cache/virtualenv/wheel/3.11/image/1/CopyPipInstall/setuptools-84.0.0-py3-none-any/setuptools/_vendor/packaging-26.0.dist-info/METADATA', false],
    // virtualenv 20.0's layout (real paths from its debug log).
    ['root/.local/share/virtualenv/seed-app-data/v1.0.1.debian/3.6/image/CopyPipInstall/six-1.14.0-py2.py3-none-any/six-1.14.0.dist-info/METADATA', false],
    ['root/.cache/virtualenv/wheel/3.11/image/1/SymlinkPipInstall/pip-24.2-py3-none-any/pip-24.2.dist-info/METADATA', true],
    ['venv/lib/python3.11/site-packages/setuptools/_vendor/packaging-26.0.dist-info/METADATA', true],
  ];
  for (const [path, read] of paths) {
    it(`${path}: ${read ? 'read' : 'ignored'}`, () => assert.equal(pythonAnalyzer.interest(path), read ? 'read' : undefined));
  }
});
