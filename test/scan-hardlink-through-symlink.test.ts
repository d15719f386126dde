// A hard link whose target path passes through a symlink the same layer made. Every
// runtime resolves the link name's parent inside the root it unpacks into
// (containerd's hardlinkRootPath: fs.RootPath on the parent; moby: link(2) on the
// joined path; umoci: securejoin), so `opt/l -> a` then a hard link to
// `opt/l/node_modules/lodash/package.json` is a second name for opt/a's file. Checked
// with umoci 0.4 unpack: after a later layer deletes opt/a, /opt/b/.../package.json
// still holds lodash 4.17.20. A member written below such a link is refused
// (database-links.ts enterParentsOf), and so is a hard link whose target is below one.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ImmutagError } from '../src/errors.ts';
import { inventoryImage } from '../src/scan/inventory.ts';
import { InventoryImage } from './support/inventory-image.ts';

describe('hard links whose target passes through a same-layer symlink', () => {
  it('refuses the layer, as it refuses a member written below such a link', async () => {
    const image = new InventoryImage();
    await image.layer([
      { name: 'opt/a/node_modules/lodash/package.json', content: '{"name":"lodash","version":"4.17.20"}' },
      { name: 'opt/l', type: 'symlink', linkname: 'a' },
      { name: 'opt/b/node_modules/lodash/package.json', type: 'link', linkname: 'opt/l/node_modules/lodash/package.json' },
    ]);
    await image.layer([{ name: 'opt/.wh.a' }]);
    await assert.rejects(inventoryImage(image.source, image.manifest), (err: unknown) => {
      assert.ok(err instanceof ImmutagError && err.code === 'IMAGE_INVALID', String(err));
      assert.match(err.message, /hard-links \/opt\/b\/node_modules\/lodash\/package\.json to \/opt\/l\/node_modules\/lodash\/package\.json, below \/opt\/l, a symlink the same layer made/);
      return true;
    });
  });
});
