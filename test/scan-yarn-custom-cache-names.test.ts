// Found by a review, fixed since: in a Yarn cache outside `.yarn/cache` and
// `.yarn/berry/cache` (a cacheFolder or globalFolder setting), a zip was read only when
// its name held `-npm-`; Yarn names patched packages `<name>-patch-<hash>-<key>.zip`
// (it patches resolve, typescript and fsevents in every project itself) and tarball or
// git dependencies `<name>-https-…`, and the Plug'n'Play loader loads only those, so the
// package was never listed or asked of OSV. The fixtures were written by Yarn 4.18.1.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { it } from 'node:test';
import { inventoryImage } from '../src/scan/inventory.ts';
import { InventoryImage } from './support/inventory-image.ts';

const fixture = (name: string): Buffer => readFileSync(new URL(`./fixtures/yarn-custom-cache/${name}`, import.meta.url));

it('a patched package\'s zip (resolve-patch-….zip) that the Plug\'n\'Play loader registers in a custom cacheFolder is an installed package', async () => {
  const image = new InventoryImage();
  await image.layer([
    { name: 'srv/app/.pnp.cjs', content: '/* pnp: data in .pnp.data.json */\n' },
    { name: 'srv/app/.pnp.data.json', content: fixture('pnp.data.json') },
    { name: 'var/cache/yarn/path-parse-npm-1.0.7-09564527b7-11ce261f9d.zip', content: fixture('path-parse-npm-1.0.7-09564527b7-11ce261f9d.zip') },
    { name: 'var/cache/yarn/resolve-patch-179efdd17a-0b6884d7e4.zip', content: fixture('resolve-patch-179efdd17a-0b6884d7e4.zip') },
  ]);
  const { packages } = await inventoryImage(image.source, image.manifest);
  const found = packages.map((p) => `${p.ecosystem} ${p.name}@${p.version}`).sort();
  // path-parse (named -npm-) is found; resolve, which the loader loads from the -patch- zip, was not.
  assert.deepEqual(found, ['npm path-parse@1.0.7', 'npm resolve@1.22.0']);
});

it('a tarball-URL dependency\'s zip (minimist-https-….zip, minimist 1.2.5: CVE-2021-44906) that the loader registers in a custom cacheFolder is an installed package', async () => {
  const image = new InventoryImage();
  await image.layer([
    { name: 'srv/app/.pnp.cjs', content: '/* pnp: data in .pnp.data.json */\n' },
    { name: 'srv/app/.pnp.data.json', content: fixture('pnp.data.json') },
    { name: 'var/cache/yarn/minimist-https-117badf2d7-c143b0c199.zip', content: fixture('minimist-https-117badf2d7-c143b0c199.zip') },
  ]);
  const { packages } = await inventoryImage(image.source, image.manifest);
  assert.deepEqual(packages.map((p) => `${p.ecosystem} ${p.name}@${p.version}`), ['npm minimist@1.2.5']);
});
