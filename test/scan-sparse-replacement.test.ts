// Found by a review, fixed since: A file stored as a GNU/pax sparse member is kind 'other' (layers.ts kindOf: never read).
// Since 36fba6c any non-directory entry at a path a lower layer left a node at hides that
// node (walk.ts hideLower), so a Go binary rewritten by a later layer as a sparse member
// (GNU tar -S, `cp --sparse` then tar) drops out of the inventory altogether, without a
// note: before, the lower layer's binary stayed reported.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, it } from 'node:test';
import { inventoryImage } from '../src/scan/inventory.ts';
import { buildGoBinaries } from './support/go-fixture.ts';
import { InventoryImage } from './support/inventory-image.ts';
import { MediaType } from '../src/oci.ts';

const work = mkdtempSync(join(tmpdir(), 'immutag-review-sparse-'));
after(() => rmSync(work, { recursive: true, force: true }));
let binary: string;
before(async () => { binary = (await buildGoBinaries()).plain; });

it('a Go binary a later layer rewrites as a sparse member is not silently dropped', async () => {
  const root = join(work, 'root');
  mkdirSync(join(root, 'usr/local/bin'), { recursive: true });
  execFileSync('cp', ['--sparse=always', binary, join(root, 'usr/local/bin/app')]);
  const sparse = execFileSync('tar', ['--sparse', '--format=pax', '-C', root, '-cf', '-', 'usr/local/bin/app'], { maxBuffer: 1 << 28 });
  assert.match(execFileSync('tar', ['-tvf', '-'], { input: sparse, maxBuffer: 1 << 28 }).toString(), /usr\/local\/bin\/app/);
  assert.ok(sparse.includes('GNU.sparse'), 'tar stored the file as a sparse member');
  const image = new InventoryImage();
  await image.layer([{ name: 'usr/local/bin/app', content: readFileSync(binary) }]);
  const plain = await inventoryImage(image.source, image.manifest);
  const lower = plain.packages.filter((p) => p.path === '/usr/local/bin/app').length;
  assert.ok(lower > 0, 'the binary is read as a plain file');
  image.layers.push(image.source.add(sparse, MediaType.ociLayer));
  const { packages, notes } = await inventoryImage(image.source, image.manifest);
  const found = packages.filter((p) => p.path === '/usr/local/bin/app');
  assert.ok(found.length > 0 || notes.some((n) => n.includes('usr/local/bin/app')), `the binary vanished without a note: ${JSON.stringify(notes)}`);
});
