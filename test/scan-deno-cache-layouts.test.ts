// Found by a review of 4677da4 (npm.ts isDenoCachePackage). Deno's npm cache (denoland/deno_cache_dir
// rs_lib/src/npm.rs, NpmCacheDir::package_name_folder / registry_folder):
// - a package name with capitals (JSONStream, which npm still serves) is stored as
//   `_<base32 of the name>` ("prefix it with an underscore since npm packages can't start with that");
// - the registry folder is root_url_to_safe_local_dirname(registry): `<host>_<port>` for a
//   registry with a port (a Verdaccio at http://verdaccio:4873/), followed by the URL's path
//   segments (GitLab's https://gitlab.example.com/api/v4/packages/npm/).
// Each is a package Deno loads from that folder, yet none is inventoried.
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { inventoryOfLayers } from './support/inventory-image.ts';

const pkg = (name: string, version: string) => JSON.stringify({ name, version });

it('a mixed-case npm package in Deno\'s cache (folder _<base32>) is inventoried', async () => {
  const { packages, notes } = await inventoryOfLayers([
    { name: 'deno-dir/npm/registry.npmjs.org/_jjju6tstorzgkyln/1.3.5/package.json', content: pkg('JSONStream', '1.3.5') },
  ]);
  assert.deepEqual(packages.map((p) => `${p.name}@${p.version}`), ['JSONStream@1.3.5'], JSON.stringify(notes));
});

it('a package from a registry with a port (host_port folder) is inventoried', async () => {
  const { packages, notes } = await inventoryOfLayers([
    { name: 'deno-dir/npm/verdaccio_4873/express/4.17.1/package.json', content: pkg('express', '4.17.1') },
  ]);
  assert.deepEqual(packages.map((p) => `${p.name}@${p.version}`), ['express@4.17.1'], JSON.stringify(notes));
});

it('a package from a registry URL with a path (GitLab npm endpoint) is inventoried', async () => {
  const { packages, notes } = await inventoryOfLayers([
    { name: 'deno-dir/npm/gitlab.example.com/api/v4/packages/npm/express/4.17.1/package.json', content: pkg('express', '4.17.1') },
  ]);
  assert.deepEqual(packages.map((p) => `${p.name}@${p.version}`), ['express@4.17.1'], JSON.stringify(notes));
});
