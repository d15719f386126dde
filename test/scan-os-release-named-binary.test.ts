// Found by a review of de8d39e: track() answered { interest: 'read' } for every file whose
// name ends in os-release, before any analyser was asked. A tracked file is never offered
// to the content analysers (walk.ts stream(): writtenInLayer), so a Go binary that happens
// to be named like that (a helper such as /usr/local/bin/check-os-release) lost its modules
// and its stdlib. Such files are now kept by DatabaseLinks, beside the analysers.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { inventoryImage } from '../src/scan/inventory.ts';
import { buildGoBinaries } from './support/go-fixture.ts';
import { InventoryImage } from './support/inventory-image.ts';

const DEBIAN = readFileSync(new URL('./fixtures/inventory/os-release/debian-12', import.meta.url));

async function goPackagesAt(name: string): Promise<string[]> {
  const { plain } = await buildGoBinaries();
  const image = new InventoryImage();
  await image.layer([{ name: 'etc/os-release', content: DEBIAN }, { name, content: readFileSync(plain) }]);
  const { packages } = await inventoryImage(image.source, image.manifest);
  return packages.map((p) => `${p.name}@${p.version}`).sort();
}

describe('a Go binary whose name ends in os-release', () => {
  it('is inventoried as the same binary under another name is', async () => {
    const control = await goPackagesAt('usr/local/bin/check-release');
    assert.ok(control.length > 0, 'control: the binary is recognised');
    assert.deepEqual(await goPackagesAt('usr/local/bin/check-os-release'), control);
  });
});
