// (False positive, the inverse case.) A file read by its content (a jar, a Go binary)
// that a later layer replaces with a symlink (`ln -sf /opt/tool-2/tool /usr/local/bin/tool`,
// `ln -sf log4j-core-2.17.1.jar app/lib/log4j-core.jar`) or truncates to an empty file
// is gone from the final filesystem, but its packages were still reported at that path:
// the walk wrote the overlay for a symlink only when an analyser tracked its name, and
// an empty file was never offered to the content readers. Now any entry at a path a
// lower layer left a node at replaces that node.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { inventoryOfLayers } from './support/inventory-image.ts';
import { buildZip } from './support/zip-writer.ts';

const jar = (version: string): Buffer => buildZip([
  { name: 'META-INF/maven/org.apache.logging.log4j/log4j-core/pom.properties', data: `groupId=org.apache.logging.log4j\nartifactId=log4j-core\nversion=${version}\n` },
]);

describe('a jar a later layer replaced', () => {
  it('by a symlink to a newer jar: only the newer one is reported', async () => {
    const inventory = await inventoryOfLayers(
      [{ name: 'app/lib/log4j-core.jar', content: jar('2.14.1') }],
      [{ name: 'opt/log4j/log4j-core-2.17.1.jar', content: jar('2.17.1') }, { name: 'app/lib/log4j-core.jar', type: 'symlink', linkname: '/opt/log4j/log4j-core-2.17.1.jar' }],
    );
    assert.deepEqual(inventory.packages.map((p) => `${p.version} ${p.path}`), ['2.17.1 /opt/log4j/log4j-core-2.17.1.jar']);
  });

  it('by an empty file: nothing is reported', async () => {
    const inventory = await inventoryOfLayers(
      [{ name: 'app/lib/log4j-core.jar', content: jar('2.14.1') }],
      [{ name: 'app/lib/log4j-core.jar', content: '' }],
    );
    assert.deepEqual(inventory.packages.map((p) => `${p.version} ${p.path}`), []);
  });
});
