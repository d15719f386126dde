// A package.json that starts with a UTF-8 byte order mark (what Visual Studio and
// PowerShell's Out-File write; paralleljs was published so) is an installed package:
// Node's require() and npm's reader strip the mark, and `npm ls` lists the package.
// Real data: minimist 1.2.0's package.json as npm installed it, with the three bytes
// EF BB BF in front; minimist < 1.2.2 has GHSA-vh95-rmgr-6w4m.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { inventoryImage, NO_OS_NOTE } from '../src/scan/inventory.ts';
import { InventoryImage } from './support/inventory-image.ts';

const manifest = readFileSync(new URL('./fixtures/inventory/npm/minimist-1.2.0.package.json', import.meta.url));
const withBom = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), manifest]);

describe('npm package.json with a byte order mark', () => {
  it('Node loads it', () => {
    const dir = mkdtempSync(join(tmpdir(), 'immutag-npm-bom-'));
    try {
      mkdirSync(join(dir, 'node_modules/minimist'), { recursive: true });
      writeFileSync(join(dir, 'node_modules/minimist/package.json'), withBom);
      const loaded = createRequire(join(dir, 'app.js'))('minimist/package.json') as { name: string; version: string };
      assert.deepEqual([loaded.name, loaded.version], ['minimist', '1.2.0']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('is an installed package, at its version, with no note', async () => {
    const image = new InventoryImage();
    await image.layer([
      { name: 'app/package.json', content: JSON.stringify({ name: 'app', version: '1.0.0', dependencies: { minimist: '1.2.0' } }) },
      { name: 'app/node_modules/minimist/package.json', content: withBom },
    ]);
    const { packages, notes } = await inventoryImage(image.source, image.manifest);
    assert.deepEqual(packages.map((p) => `${p.path} ${p.name}@${p.version}`), ['/app/node_modules/minimist/package.json minimist@1.2.0']);
    assert.deepEqual(notes, [NO_OS_NOTE]);
  });
});
