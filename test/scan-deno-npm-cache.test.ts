// Found by a review: Deno runs npm: specifiers straight from its global cache when the project has
// no node_modules (the default): `<DENO_DIR>/npm/registry.npmjs.org/<name>/<version>/`
// (denoland/deno cli/npm/cache_dir.rs, NpmCacheDir::package_folder_for_name_and_version;
// the denoland/deno image sets DENO_DIR=/deno-dir and its docs `RUN deno cache main.ts`).
// Those packages are what the app loads, yet npm.ts only knows node_modules/: the image's
// npm packages vanish with no note.
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { inventoryOfLayers } from './support/inventory-image.ts';

it('npm packages in Deno\'s global npm cache are inventoried, scoped ones too', async () => {
  const { packages, notes } = await inventoryOfLayers([
    { name: 'app/main.ts', content: 'import express from "npm:express@4.17.1";\n' },
    { name: 'deno-dir/npm/registry.npmjs.org/express/4.17.1/package.json', content: JSON.stringify({ name: 'express', version: '4.17.1' }) },
    { name: 'deno-dir/npm/registry.npmjs.org/@types/node/18.0.0/package.json', content: JSON.stringify({ name: '@types/node', version: '18.0.0' }) },
  ]);
  assert.deepEqual(packages.map((p) => `${p.name}@${p.version}`).sort(), ['@types/node@18.0.0', 'express@4.17.1'], JSON.stringify(notes));
});

it('a project folder that merely looks alike is not a Deno cache: npm/<no host>/…, or no version folder', async () => {
  const { packages } = await inventoryOfLayers([
    { name: 'src/npm/tools/lint/1.0.0/package.json', content: JSON.stringify({ name: 'lint', version: '1.0.0' }) },
    { name: 'deno-dir/npm/registry.npmjs.org/express/package.json', content: JSON.stringify({ name: 'express', version: '4.17.1' }) },
  ]);
  assert.deepEqual(packages, []);
});
