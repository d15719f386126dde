// Found by a review: a manifest saved as UTF-16 (Windows PowerShell 5's `kubectl get -o yaml >
// deploy.yaml`, `Out-File` default) is read by kubectl: go-yaml detects UTF-16 from the
// BOM (yaml_parser_determine_encoding). pin reads it as "not a text file (it holds NUL
// bytes)", adds a note and skips it, and `pin --check` PASSES while the manifest
// deploys redis:7 by tag: a file given to a required check was not checked, and
// nothing failed.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { useRegistry } from './support/registry.ts';
import { buildImage, pushImage, removeLayout, type BuiltImage } from './support/images.ts';
import { pinnedDeployment } from './support/pin-tree.ts';
import { clientFor } from './support/registry-client.ts';
import { runPin } from '../src/pin/pin.ts';
import { readTextFile } from '../src/pin/find/text-file.ts';
import { MemoryLogger } from '../src/log.ts';

const reg = await useRegistry();
let image: BuiltImage;
let appDigest: string;
let redisDigest: string;

before(async () => {
  image = await buildImage();
  appDigest = await pushImage(reg, image.ociRef, 'team/app:1.0');
  redisDigest = await pushImage(reg, image.ociRef, 'library/redis:7');
});
after(async () => removeLayout(image));

test('--check: a UTF-16 manifest kubectl applies is checked, or the check fails', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'rev-pin-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  await mkdir(join(dir, 'deploy'));
  await writeFile(join(dir, 'deploy/app.yaml'), pinnedDeployment(reg, 'team/app:1.0', appDigest));
  const pod = `apiVersion: v1\nkind: Pod\nmetadata: {name: cache}\nspec:\n  containers:\n  - name: c\n    image: ${reg.host}/library/redis:7\n`;
  await writeFile(join(dir, 'deploy/cache.yaml'), Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(pod, 'utf16le')]));
  const { client } = clientFor(reg);
  try {
    const r = await runPin({ paths: ['deploy'], cwd: dir, check: true, mutableTags: [], logger: new MemoryLogger(), client });
    assert.notEqual(r.result, 'pass', `notes: ${JSON.stringify(r.notes)} rows: ${JSON.stringify(r.rows.map((x) => `${x.file} ${x.reference} ${x.state}`))}`);
  } finally {
    await client.close();
  }
});

// '€' is one UTF-16 unit but three UTF-8 bytes, and the emoji a surrogate pair: an
// offset counted in UTF-8 bytes would splice the digest into the wrong place.
const podText = (host: string, image: string) =>
  `# cache \u20ac \u{1f600}\r\napiVersion: v1\r\nkind: Pod\r\nmetadata: {name: cache}\r\nspec:\r\n  containers:\r\n  - name: c\r\n    image: ${host}/${image}\r\n`;

function utf16(text: string, encoding: 'le' | 'be'): Buffer {
  const le = Buffer.from(`\ufeff${text}`, 'utf16le');
  return encoding === 'le' ? le : le.swap16();
}

for (const encoding of ['le', 'be'] as const) {
  test(`pin: a UTF-16 ${encoding.toUpperCase()} manifest with a BOM is pinned and written back in UTF-16 ${encoding.toUpperCase()}, every other byte as it was`, async (t) => {
    const dir = await mkdtemp(join(tmpdir(), 'rev-pin-'));
    t.after(() => rm(dir, { recursive: true, force: true }));
    await mkdir(join(dir, 'deploy'));
    await writeFile(join(dir, 'deploy/cache.yaml'), utf16(podText(reg.host, 'library/redis:7'), encoding));
    const { client } = clientFor(reg);
    try {
      const r = await runPin({ paths: ['deploy'], cwd: dir, check: false, mutableTags: [], logger: new MemoryLogger(), client });
      assert.deepEqual(r.notes, []);
    } finally {
      await client.close();
    }
    const written = await readFile(join(dir, 'deploy/cache.yaml'));
    assert.deepEqual([...written.subarray(0, 2)], encoding === 'le' ? [0xff, 0xfe] : [0xfe, 0xff]);
    assert.equal(new TextDecoder(`utf-16${encoding}`, { fatal: true }).decode(written), podText(reg.host, `library/redis:7@${redisDigest}`));
    assert.deepEqual(written, utf16(podText(reg.host, `library/redis:7@${redisDigest}`), encoding));
  });
}

test('a UTF-16 file without a BOM is still not read as text, nor a binary file that starts like one', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'rev-pin-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  await writeFile(join(dir, 'no-bom.yaml'), Buffer.from('kind: Pod\n', 'utf16le'));
  await writeFile(join(dir, 'nul.yaml'), utf16('kind: Pod\n\0', 'le'));
  await writeFile(join(dir, 'odd.yaml'), Buffer.concat([utf16('kind: Pod\n', 'be'), Buffer.from([0x41])]));
  assert.deepEqual(readTextFile(join(dir, 'no-bom.yaml')), { ok: false, reason: 'not a text file (it holds NUL bytes)' });
  assert.deepEqual(readTextFile(join(dir, 'nul.yaml')), { ok: false, reason: 'not a text file (it holds NUL bytes)' });
  assert.deepEqual(readTextFile(join(dir, 'odd.yaml')), { ok: false, reason: 'not a text file (not valid UTF-16)' });
});
