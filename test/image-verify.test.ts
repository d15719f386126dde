// Nothing from an image is used before it matches its digest and size: each way a
// real image file can be corrupt, tampered with or hostile is refused with the error
// that says so, and a file that changes after verification is not served.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { appendFile, mkdir, readdir, readFile, rm, symlink, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { ImmutagError } from '../src/errors.ts';
import { openImage } from '../src/image/open-image.ts';
import type { ImageManifest } from '../src/oci.ts';
import { run } from './support/exec.ts';
import { buildImage, type BuiltImage } from './support/images.ts';
import {
  blobFile, dockerArchive, entryFor, flipByte, readIndex, readJsonBlob, sha256, tarDirectory, tempDir, writeBlob, writeIndex,
} from './support/image-factory.ts';

let work: Awaited<ReturnType<typeof tempDir>>;
let base: BuiltImage;
let manifestDigest: string;
let manifest: ImageManifest;
let counter = 0;

before(async () => {
  work = await tempDir('image-verify');
  base = await buildImage({ tag: 'v1', layers: [{ '/big.bin': randomBytes(1_200_000) }, { '/etc/app.conf': 'x=1\n' }] });
  manifestDigest = (await entryFor(base.layout, 'v1')).digest;
  manifest = await readJsonBlob<ImageManifest>(base.layout, manifestDigest);
});

after(async () => {
  await work.cleanup();
  await rm(join(base.layout, '..'), { recursive: true, force: true });
});

/** A private copy of the base layout for one case to damage. */
async function copyLayout(): Promise<string> {
  const dir = join(work.dir, `case-${++counter}`);
  await run('cp', ['-a', base.layout, dir]);
  return dir;
}

/** Rewrites the tagged manifest with `edit` applied, stores it under its new digest and repoints index.json. */
async function rewriteManifest(layout: string, edit: (m: ImageManifest) => unknown): Promise<string> {
  const copy = JSON.parse(JSON.stringify(manifest)) as ImageManifest;
  const desc = await writeBlob(layout, 'application/vnd.oci.image.manifest.v1+json', JSON.stringify(edit(copy) ?? copy));
  await writeIndex(layout, { schemaVersion: 2, manifests: [{ ...desc, annotations: { 'org.opencontainers.image.ref.name': 'v1' } }] });
  return desc.digest;
}

async function refusal(path: string): Promise<ImmutagError> {
  try {
    const image = await openImage(path, { names: ['v1'] });
    await image.close();
  } catch (err) {
    assert.ok(err instanceof ImmutagError, String(err));
    assert.ok(err.hint.length > 0, 'every refusal says what to do');
    return err;
  }
  assert.fail(`${path} was accepted`);
}

const layer0 = () => manifest.layers[0]!;

const layoutCases: Array<[string, (layout: string) => Promise<unknown>, string, RegExp[]]> = [
  ['a layer with one byte flipped', async (l) => flipByte(blobFile(l, layer0().digest), 100), 'DIGEST_MISMATCH',
    [/layer 1 of manifest/, /blobs\/sha256\//]],
  ['the config edited in place', async (l) => flipByte(blobFile(l, manifest.config.digest), 1), 'DIGEST_MISMATCH', [/config of manifest/]],
  ['the manifest edited in place', async (l) => appendFile(blobFile(l, manifestDigest), ' '), 'DIGEST_MISMATCH', [/expected \d+ bytes/]],
  ['the manifest tampered with at the same size', async (l) => {
    const file = blobFile(l, manifestDigest);
    const text = await readFile(file, 'utf8');
    assert.ok(text.includes('layer.v1.tar+gzip'));
    await writeFile(file, text.replace('layer.v1.tar+gzip', 'layer.v1.tar+zstd'));
  }, 'DIGEST_MISMATCH', [/manifest sha256:/, /expected digest sha256:[a-f0-9]{64} but the content hashes to sha256:[a-f0-9]{64}/]],
  ['index.json claims a wrong manifest size', async (l) => {
    const index = await readIndex(l);
    index.manifests[0]!.size += 1;
    await writeIndex(l, index);
  }, 'DIGEST_MISMATCH', [/expected \d+ bytes but got \d+/]],
  ['the manifest claims a wrong layer size', async (l) => rewriteManifest(l, (m) => { m.layers[0]!.size -= 1; }), 'DIGEST_MISMATCH',
    [/expected \d+ bytes but got \d+/]],
  ['a layer file is missing', async (l) => unlink(blobFile(l, layer0().digest)), 'IMAGE_INVALID', [/is missing/]],
  ['a layer is a symlink out of the layout', async (l) => {
    await unlink(blobFile(l, layer0().digest));
    await symlink('/etc/hostname', blobFile(l, layer0().digest));
  }, 'IMAGE_INVALID', [/is missing/]],
  ['index.json names a path as a digest', async (l) => {
    const index = await readIndex(l);
    index.manifests[0]!.digest = 'sha256:../../../../etc/passwd';
    await writeIndex(l, index);
  }, 'IMAGE_INVALID', [/sha256:\.\.\/\.\.\//]],
  ['a manifest names a path as a layer digest', async (l) => rewriteManifest(l, (m) => { m.layers[0]!.digest = 'sha256:../../etc/passwd'; }),
    'IMAGE_INVALID', [/layer 1 of manifest/]],
  ['a descriptor with a negative size', async (l) => rewriteManifest(l, (m) => { m.layers[0]!.size = -1; }), 'IMAGE_INVALID', [/not a byte count/]],
  ['index.json calls the manifest an index', async (l) => {
    const index = await readIndex(l);
    index.manifests[0]!.mediaType = 'application/vnd.oci.image.index.v1+json';
    await writeIndex(l, index);
  }, 'IMAGE_INVALID', [/does not have the fields|document says/]],
  ['the oci-layout marker is missing', async (l) => unlink(join(l, 'oci-layout')), 'IMAGE_INVALID', [/oci-layout/]],
  ['index.json is not JSON', async (l) => writeFile(join(l, 'index.json'), '{"manifests": ['), 'IMAGE_INVALID', [/not valid JSON/]],
];

test('a damaged OCI layout is refused before anything uses it', async (t) => {
  for (const [name, damage, code, patterns] of layoutCases) {
    await t.test(name, async () => {
      const layout = await copyLayout();
      await damage(layout);
      const err = await refusal(layout);
      assert.equal(err.code, code, err.message);
      for (const pattern of patterns) assert.match(err.message, pattern);
    });
  }
});

test('DIGEST_MISMATCH names the blob, the digest it should have and the digest it has', async () => {
  const layout = await copyLayout();
  const file = blobFile(layout, layer0().digest);
  await flipByte(file, 7);
  const actual = sha256(await readFile(file));
  for (const path of [layout, await tarDirectory(layout, join(work.dir, 'corrupt.tar'))]) {
    const err = await refusal(path);
    assert.equal(err.code, 'DIGEST_MISMATCH');
    assert.ok(err.message.includes(layer0().digest), err.message);
    assert.ok(err.message.includes(actual), err.message);
  }
});

/** Extracts a legacy docker save archive, lets `edit` damage it, and packs it again. */
async function editLegacy(edit: (dir: string, manifestJson: Array<{ Config: string; Layers: string[] }>) => Promise<void>): Promise<string> {
  const source = await dockerArchive(base, join(work.dir, `legacy-${++counter}.tar`), 'acme/app:v1');
  const dir = join(work.dir, `legacy-${counter}`);
  await mkdir(dir);
  await run('tar', ['-C', dir, '-xf', source]);
  const list = JSON.parse(await readFile(join(dir, 'manifest.json'), 'utf8')) as Array<{ Config: string; Layers: string[] }>;
  await edit(dir, list);
  await writeFile(join(dir, 'manifest.json'), JSON.stringify(list));
  return tarDirectory(dir, join(work.dir, `legacy-${counter}-edited.tar`), 'gnu');
}

test('a damaged legacy docker save archive is refused: layers are checked against the config diff_ids', async (t) => {
  const cases: Array<[string, Parameters<typeof editLegacy>[0], string, RegExp]> = [
    ['a layer with one byte flipped', async (dir, list) => flipByte(join(dir, list[0]!.Layers[0]!), 600), 'DIGEST_MISMATCH', /rootfs\.diff_ids/],
    ['the config edited', async (dir, list) => flipByte(join(dir, list[0]!.Config), 3), 'DIGEST_MISMATCH', /config .*\.json/],
    ['a layer path that leaves the archive', async (_dir, list) => { list[0]!.Layers[0] = '../../etc/passwd'; }, 'IMAGE_INVALID', /not a path inside/],
    ['a layer missing', async (dir, list) => unlink(join(dir, list[0]!.Layers[1]!)), 'IMAGE_INVALID', /missing/],
    ['a layer dropped from the list', async (_dir, list) => { list[0]!.Layers.pop(); }, 'IMAGE_INVALID', /diff_ids/],
  ];
  for (const [name, edit, code, pattern] of cases) {
    await t.test(name, async () => {
      const err = await refusal(await editLegacy(edit));
      assert.equal(err.code, code, err.message);
      assert.match(err.message, pattern);
    });
  }
});

test('files that are not an image are refused with a hint', async (t) => {
  const layoutTar = await tarDirectory(base.layout, join(work.dir, 'whole.tar'));
  const bytes = await readFile(layoutTar);
  const cases: Array<[string, () => Promise<string>, string, RegExp]> = [
    ['a path that does not exist', async () => join(work.dir, 'nope.tar'), 'IMAGE_NOT_FOUND', /does not exist/],
    ['a gzip-compressed OCI archive', async () => write('image.tar.gz', gzipSync(bytes)), 'IMAGE_INVALID', /gzip/],
    ['random bytes', async () => write('random.bin', randomBytes(4096)), 'IMAGE_INVALID', /not a readable tar/],
    ['an archive cut at a header', async () => write('short.tar', bytes.subarray(0, 2048 + 512)), 'IMAGE_INVALID', /truncated/],
    ['an archive cut inside a member', async () => write('cut.tar', bytes.subarray(0, bytes.length - 5000)), 'IMAGE_INVALID', /truncated/],
    ['a directory with neither index.json nor manifest.json', async () => {
      const dir = join(work.dir, 'empty-dir');
      await mkdir(dir, { recursive: true });
      return dir;
    }, 'IMAGE_INVALID', /neither index\.json/],
  ];
  for (const [name, make, code, pattern] of cases) {
    await t.test(name, async () => {
      const err = await refusal(await make());
      assert.equal(err.code, code, err.message);
      assert.match(err.message, pattern);
    });
  }
});

async function write(name: string, data: Buffer): Promise<string> {
  const file = join(work.dir, name);
  await writeFile(file, data);
  return file;
}

test('a blob file rewritten after verification is not served, even with the same bytes', async () => {
  const layout = await copyLayout();
  const image = await openImage(layout, { names: ['v1'] });
  const layer = image.platforms[0]!.manifest.layers[0]!;
  await writeFile(blobFile(layout, layer.digest), await readFile(blobFile(layout, layer.digest)));
  await assert.rejects(image.source.open(layer), (e: ImmutagError) => e.code === 'DIGEST_MISMATCH' && /changed after/.test(e.message));
  await assert.rejects(image.openRaw(layer), { code: 'DIGEST_MISMATCH' });
  await image.close();
});

test('a tar archive touched after verification is not served', async () => {
  const tar = await tarDirectory(await copyLayout(), join(work.dir, `touched-${++counter}.tar`));
  const image = await openImage(tar, { names: ['v1'] });
  await appendFile(tar, Buffer.alloc(1024));
  await assert.rejects(image.openRaw(image.blobs[1]!), { code: 'DIGEST_MISMATCH' });
  await image.close();
});

test('a change in the middle of a read fails the stream before it ends', async () => {
  const layout = await copyLayout();
  const image = await openImage(layout, { names: ['v1'] });
  const big = image.blobs.reduce((a, b) => (b.size > a.size ? b : a));
  const stream = await image.source.open(big);
  let seen = 0;
  const reading = (async () => {
    for await (const chunk of stream) {
      if (seen === 0) await appendFile(blobFile(layout, big.digest), 'x');
      seen += (chunk as Buffer).length;
    }
  })();
  await assert.rejects(reading, { code: 'DIGEST_MISMATCH' });
  assert.ok(seen < big.size + 1);
  await image.close();
});

test('rehashOnOpen hashes again before serving', async () => {
  const layout = await copyLayout();
  const image = await openImage(layout, { names: ['v1'], rehashOnOpen: true });
  const layer = image.platforms[0]!.manifest.layers[1]!;
  const chunks: Buffer[] = [];
  for await (const chunk of await image.source.open(layer)) chunks.push(chunk as Buffer);
  assert.equal(sha256(Buffer.concat(chunks)), layer.digest);
  await flipByte(blobFile(layout, layer.digest));
  await assert.rejects(image.source.open(layer), { code: 'DIGEST_MISMATCH' });
  await image.close();
});

test('verification leaves no file open: the layout can be removed right after', async () => {
  const layout = await copyLayout();
  await flipByte(blobFile(layout, layer0().digest), 5);
  await assert.rejects(openImage(layout, { names: ['v1'] }), { code: 'DIGEST_MISMATCH' });
  const fds = await readdir('/proc/self/fd');
  const open = await Promise.all(fds.map((fd) => run('readlink', [`/proc/self/fd/${fd}`]).then((r) => r.stdout.trim(), () => '')));
  assert.deepEqual(open.filter((p) => p.startsWith(layout)), []);
});

// A manifest document that is also an index (CVE-2021-41190, "ambiguous OCI manifest"):
// without a mediaType field, one carrying both `config`/`layers` and `manifests` is an
// image to a reader that takes it as a manifest and a list of other images to one that
// takes it as an index. The descriptor's type picked one reading for immutag and the other
// half was never verified (found by a review); image-spec (since 1.0.2) and distribution
// refuse such documents, and so does immutag now.
const OCI_MANIFEST = 'application/vnd.oci.image.manifest.v1+json';
const OCI_INDEX = 'application/vnd.oci.image.index.v1+json';
/** A manifest that is not in the layout at all: never read, never verified. */
const ABSENT = { mediaType: OCI_MANIFEST, digest: `sha256:${'e'.repeat(64)}`, size: 1234, platform: { architecture: 'amd64', os: 'linux' } };

/** The image manifest with no mediaType field and a `manifests` list naming an image that is not in the file. */
function ambiguous(): string {
  const { mediaType: _drop, ...rest } = manifest;
  return JSON.stringify({ ...rest, manifests: [ABSENT] });
}

test('a manifest (by its descriptor) whose document also has a manifests list is refused', async () => {
  const layout = await copyLayout();
  const desc = await writeBlob(layout, OCI_MANIFEST, ambiguous());
  await writeIndex(layout, { schemaVersion: 2, manifests: [{ ...desc, annotations: { 'org.opencontainers.image.ref.name': 'v1' } }] });
  assert.equal((await refusal(layout)).code, 'IMAGE_INVALID');
});

test('an index (by its descriptor) whose document also has config and layers is refused', async () => {
  const layout = await copyLayout();
  const inner = await writeBlob(layout, OCI_MANIFEST, JSON.stringify(manifest));
  const { mediaType: _drop, ...rest } = manifest;
  const desc = await writeBlob(layout, OCI_INDEX, JSON.stringify({ ...rest, manifests: [{ ...inner, platform: { architecture: 'amd64', os: 'linux' } }] }));
  await writeIndex(layout, { schemaVersion: 2, manifests: [{ ...desc, annotations: { 'org.opencontainers.image.ref.name': 'v1' } }] });
  assert.equal((await refusal(layout)).code, 'IMAGE_INVALID');
});

test('one document listed twice in an index, once as a manifest and once as an index, is refused', async () => {
  const layout = await copyLayout();
  const both = await writeBlob(layout, OCI_MANIFEST, ambiguous());
  const top = await writeBlob(layout, OCI_INDEX, JSON.stringify({
    schemaVersion: 2,
    mediaType: OCI_INDEX,
    manifests: [
      { ...both, mediaType: OCI_MANIFEST, platform: { architecture: 'amd64', os: 'linux' } },
      { ...both, mediaType: OCI_INDEX },
    ],
  }));
  await writeIndex(layout, { schemaVersion: 2, manifests: [{ ...top, annotations: { 'org.opencontainers.image.ref.name': 'v1' } }] });
  assert.equal((await refusal(layout)).code, 'IMAGE_INVALID');
});

test('a plain manifest (mediaType set) listed a second time under an index type is refused, as it is when listed once', async () => {
  const layout = await copyLayout();
  const plain = await writeBlob(layout, OCI_MANIFEST, JSON.stringify({ ...manifest, mediaType: OCI_MANIFEST }));
  // Listed once as an index, checkDocument refuses it ("descriptor says … but the document says …").
  const once = await writeBlob(layout, OCI_INDEX, JSON.stringify({ schemaVersion: 2, mediaType: OCI_INDEX, manifests: [{ ...plain, mediaType: OCI_INDEX }] }));
  await writeIndex(layout, { schemaVersion: 2, manifests: [{ ...once, annotations: { 'org.opencontainers.image.ref.name': 'v1' } }] });
  await assert.rejects(openImage(layout, { names: ['v1'] }), { code: 'IMAGE_INVALID', message: /descriptor says .*index.* but the document says/ });
  // Listed first as a manifest, the second listing is skipped by digest and never type-checked.
  const twice = await writeBlob(layout, OCI_INDEX, JSON.stringify({
    schemaVersion: 2,
    mediaType: OCI_INDEX,
    manifests: [{ ...plain, platform: { architecture: 'amd64', os: 'linux' } }, { ...plain, mediaType: OCI_INDEX }],
  }));
  await writeIndex(layout, { schemaVersion: 2, manifests: [{ ...twice, annotations: { 'org.opencontainers.image.ref.name': 'v1' } }] });
  assert.equal((await refusal(layout)).code, 'IMAGE_INVALID');
});
