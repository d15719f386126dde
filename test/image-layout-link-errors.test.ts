// Found by a review, fixed since: a layout whose blob (or index.json) was a symlink that
// could not be resolved (a loop, or a target name too long for the kernel) was not refused
// like any other broken layout member. DirectoryFiles.locate let realpath's ELOOP /
// ENAMETOOLONG escape as a bare Node error, which the run reported as REGISTRY_ERROR
// "ELOOP: too many symbolic links encountered, realpath …" with no hint. Every failure to
// follow or open a layout file is now an ImmutagError IMAGE_INVALID naming the file, with a
// hint; one that is not a broken link (EACCES) says the file could not be read, and why.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { cp, rm, symlink, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { ImmutagError } from '../src/errors.ts';
import { unreadableMember } from '../src/image/files.ts';
import { openImage } from '../src/image/open-image.ts';
import type { ImageManifest } from '../src/oci.ts';
import { buildImage, type BuiltImage } from './support/images.ts';
import { blobFile, entryFor, readJsonBlob, tempDir } from './support/image-factory.ts';

let work: Awaited<ReturnType<typeof tempDir>>;
let base: BuiltImage;
let manifest: ImageManifest;
let counter = 0;

before(async () => {
  work = await tempDir('review-img-loop');
  base = await buildImage({ tag: 'v1', layers: [{ '/etc/app.conf': 'x=1\n' }] });
  manifest = await readJsonBlob<ImageManifest>(base.layout, (await entryFor(base.layout, 'v1')).digest);
});

after(async () => {
  await work.cleanup();
  await rm(join(base.layout, '..'), { recursive: true, force: true });
});

async function copyLayout(): Promise<string> {
  const dir = join(work.dir, `case-${++counter}`);
  await cp(base.layout, dir, { recursive: true });
  return dir;
}

async function refusal(path: string): Promise<unknown> {
  try {
    const image = await openImage(path, { names: ['v1'] });
    await image.close();
  } catch (err) {
    return err;
  }
  return assert.fail(`${path} was accepted`);
}

const cases: Array<[string, (layout: string) => Promise<void>]> = [
  ['a layer blob that is a symlink to itself', async (l) => {
    const file = blobFile(l, manifest.layers[0]!.digest);
    await unlink(file);
    await symlink(file, file);
  }],
  ['a layer blob that is a symlink with a 300-byte target name', async (l) => {
    const file = blobFile(l, manifest.layers[0]!.digest);
    await unlink(file);
    await symlink('x'.repeat(300), file);
  }],
  ['index.json that is a symlink to itself', async (l) => {
    const file = join(l, 'index.json');
    await unlink(file);
    await symlink(file, file);
  }],
];

test('an unresolvable symlink in an OCI layout is refused with IMAGE_INVALID and a hint, not a bare Node error', async (t) => {
  for (const [name, damage] of cases) {
    await t.test(name, async () => {
      const layout = await copyLayout();
      await damage(layout);
      const err = await refusal(layout);
      assert.ok(err instanceof ImmutagError, `a bare ${(err as Error).constructor.name} escaped: ${(err as Error).message}`);
      assert.equal(err.code, 'IMAGE_INVALID', err.message);
      assert.ok(err.hint.length > 0, 'the refusal says what to do');
    });
  }
});

test('a layout file that cannot be read for another reason (EACCES) is said to be unreadable, with the reason, not missing', () => {
  // Tests run as root, where chmod cannot make a file unreadable: the refusal is built from the error itself.
  const denied = Object.assign(new Error("EACCES: permission denied, open '/layout/blobs/sha256/ab'"), { code: 'EACCES' });
  const err = unreadableMember('blobs/sha256/ab', '/layout', denied);
  assert.equal(err.code, 'IMAGE_INVALID');
  assert.match(err.message, /blobs\/sha256\/ab in \/layout could not be read \(EACCES: permission denied/);
  assert.doesNotMatch(err.message, /missing/);
  assert.match(err.hint, /can read/);
});
