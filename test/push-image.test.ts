// Pushing the verified image to the real registry, watched through a forwarding
// proxy that records every request: the digest is what skopeo sees, the bytes come
// back identical, a re-run sends nothing, a foreign image on an immutable tag is
// refused before any upload session opens, and bytes that change between
// verification and upload never complete a blob or a tag.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { checkTags } from '../src/gate.ts';
import { openImage, type LocalImage } from '../src/image/open-image.ts';
import { bytesInMemory, type BlobBytes, type Descriptor } from '../src/oci.ts';
import { blobExists } from '../src/registry/blob.ts';
import type { RegistryClient } from '../src/registry/client.ts';
import { pushImage } from '../src/registry/push.ts';
import { readBlobBytes } from './support/blob-source.ts';
import { startFaultProxy, type FaultProxy } from './support/fault-proxy.ts';
import { buildImage, inspectDigest, pushImage as skopeoPush, removeLayout, type BuiltImage } from './support/images.ts';
import { assertPullsBackIdentical } from './support/pull-back.ts';
import { useRegistry } from './support/registry.ts';
import { clientFor, refs } from './support/registry-client.ts';
import { QUICK_SETTLE } from './support/virtual-clock.ts';

const reg = await useRegistry();
let proxy: FaultProxy;
let client: RegistryClient;
let logger: ReturnType<typeof clientFor>['logger'];
const built: BuiltImage[] = [];
const opened: LocalImage[] = [];

before(async () => {
  proxy = await startFaultProxy(reg.url);
  ({ client, logger } = clientFor(reg, { via: proxy.host }));
});

after(async () => {
  for (const image of opened) await image.close();
  await client.close();
  await proxy.stop();
  for (const image of built) await removeLayout(image);
});

async function image(files: Record<string, string>[]): Promise<{ built: BuiltImage; local: LocalImage }> {
  const b = await buildImage({ layers: files });
  built.push(b);
  const local = await openImage(b.layout);
  opened.push(local);
  return { built: b, local };
}

const blobRequests = (from: number) => proxy.seen.slice(from).filter((s) => /\/blobs\//.test(s.path));
const writes = (from: number) => proxy.seen.slice(from).filter((s) => s.method === 'POST' || s.method === 'PUT' || s.method === 'PATCH');

test('an OCI layout: the digest is what skopeo sees, the bytes come back identical; a re-run sends no blob and writes nothing', async () => {
  const { local } = await image([{ '/a.txt': 'first layer\n' }, { '/b.txt': 'second layer\n' }]);
  const tags = refs(proxy.host, 'push/one:1.0', 'push/one:1.0.0');

  const first = await pushImage({ client, image: local, refs: tags, logger, settle: QUICK_SETTLE });

  assert.equal(first.digest, local.top.digest);
  assert.deepEqual(first.pushed, { [`${proxy.host}/push/one:1.0`]: 'created', [`${proxy.host}/push/one:1.0.0`]: 'created' });
  assert.deepEqual(first.images, [`${proxy.host}/push/one@${local.top.digest}`]);
  assert.equal(first.stats.blobsUploaded, local.blobs.length);
  assert.equal(first.stats.bytesUploaded, local.blobs.reduce((sum, b) => sum + b.size, 0));
  assert.equal(await inspectDigest(reg, 'push/one:1.0'), first.digest);
  assert.equal(await inspectDigest(reg, 'push/one:1.0.0'), first.digest);
  await assertPullsBackIdentical(reg, 'push/one', local);

  const mark = proxy.seen.length;
  const requestsBefore = client.requestCount;
  const again = await pushImage({ client, image: local, refs: tags, logger, settle: QUICK_SETTLE });

  assert.equal(again.digest, first.digest);
  assert.deepEqual(Object.values(again.pushed), ['unchanged', 'unchanged']);
  assert.deepEqual(again.stats, { blobsUploaded: 0, bytesUploaded: 0, blobsSkipped: 0, blobsMounted: 0, manifestsPushed: 0, requests: client.requestCount - requestsBefore });
  assert.deepEqual(writes(mark), [], 'no POST, PATCH or PUT on a re-run');
  assert.deepEqual(blobRequests(mark), [], 'no blob requests either: the tags already name the digest');
  assert.equal(again.stats.requests, 8, 'per tag: the gate GET, the check of every tag before the first write, the re-check before its own write, and the settle read S later');
});

test('a different image on an immutable tag is refused before any upload session opens', async () => {
  const a = await image([{ '/which': 'A\n' }]);
  const b = await image([{ '/which': 'B\n' }]);
  const tag = refs(proxy.host, 'push/immutable:2.0');
  await pushImage({ client, image: a.local, refs: tag, logger, settle: QUICK_SETTLE });

  for (const gate of [undefined, await checkTags({ refs: tag, client, logger, expectedDigest: b.local.top.digest })]) {
    const mark = proxy.seen.length;
    await assert.rejects(pushImage({ client, image: b.local, refs: tag, logger, settle: QUICK_SETTLE, ...(gate ? { gate } : {}) }), (err: Error & { code?: string }) => {
      assert.equal(err.code, 'TAG_EXISTS');
      assert.ok(err.message.includes(a.local.top.digest), err.message);
      assert.match(err.message, /nothing was pushed/);
      return true;
    });
    assert.deepEqual(writes(mark), []);
    assert.deepEqual(blobRequests(mark), []);
  }
  assert.equal(await inspectDigest(reg, 'push/immutable:2.0'), a.local.top.digest);
});

test('a mutable tag moves to the new image and says so; an immutable one next to it is created', async () => {
  const a = await image([{ '/which': 'A\n' }]);
  const b = await image([{ '/which': 'B\n' }]);
  await skopeoPush(reg, a.built.ociRef, 'push/mutable:latest');

  const result = await pushImage({ client, image: b.local, refs: refs(proxy.host, 'push/mutable:latest', 'push/mutable:3.0'), mutablePatterns: ['latest'], logger, settle: QUICK_SETTLE });

  assert.deepEqual(Object.values(result.pushed), ['moved', 'created']);
  assert.equal(await inspectDigest(reg, 'push/mutable:latest'), b.local.top.digest);
  assert.equal(await inspectDigest(reg, 'push/mutable:3.0'), b.local.top.digest);
});

// The file is verified once when opened; what is read for the upload is hashed again
// on the way, so bytes that changed since (same size or not) never complete a blob.
const tampering: { name: string; alter: (bytes: Buffer) => Buffer }[] = [
  { name: 'one byte flipped', alter: (bytes) => Buffer.concat([bytes.subarray(0, 10), Buffer.from([bytes[10]! ^ 0xff]), bytes.subarray(11)]) },
  { name: 'truncated', alter: (bytes) => bytes.subarray(0, bytes.length - 1) },
  { name: 'one byte longer', alter: (bytes) => Buffer.concat([bytes, Buffer.from([0])]) },
];

/** The push fails with DIGEST_MISMATCH naming `blob`; the blob is not stored and the tag not written. */
async function assertRefusedNothingStored(local: LocalImage, tag: ReturnType<typeof refs>, blob: Descriptor, repository: string): Promise<void> {
  await assert.rejects(pushImage({ client, image: local, refs: tag, logger, settle: QUICK_SETTLE }), (err: Error & { code?: string }) => {
    assert.equal(err.code, 'DIGEST_MISMATCH');
    assert.ok(err.message.includes(blob.digest), err.message);
    return true;
  });
  assert.equal((await client.manifestState(tag[0]!)).kind, 'absent');
  assert.equal((await blobExists(client.transport, { registry: proxy.host, repository }, blob)).exists, false);
}

for (const { name, alter } of tampering) {
  test(`bytes that changed after verification (${name}): DIGEST_MISMATCH, the blob is not stored and no tag is written`, async () => {
    const { local } = await image([{ '/payload': `tamper ${name}\n`.repeat(50) }]);
    const victim = local.blobs.reduce((big, b) => (b.size > big.size ? b : big));
    const altered = alter(await readBlobBytes(await local.openRaw(victim)));
    const lying: LocalImage = { ...local, openRaw: async (desc: Descriptor) => (desc.digest === victim.digest ? bytesInMemory(altered) : local.openRaw(desc)) };
    const tag = refs(proxy.host, `push/tampered:${name.replaceAll(' ', '-')}`);

    await assertRefusedNothingStored(lying, tag, victim, 'push/tampered');
  });
}

test('a file that fails while it is read: its own error is reported, not a network failure; nothing tagged', async () => {
  const { local } = await image([{ '/payload': 'read failure\n'.repeat(50) }]);
  const victim = local.blobs.reduce((big, b) => (b.size > big.size ? b : big));
  // The first read gives 10 bytes, the next fails as a disk would.
  let reads = 0;
  const failing: BlobBytes = {
    size: victim.size,
    async read(buf) {
      if (reads++ > 0) throw Object.assign(new Error('i/o error'), { code: 'EIO' });
      buf.fill(0, 0, 10);
      return 10;
    },
    async checkUnchanged() {},
    async close() {},
  };
  const broken: LocalImage = { ...local, openRaw: async (desc: Descriptor) => (desc.digest === victim.digest ? failing : local.openRaw(desc)) };
  const tag = refs(proxy.host, 'push/unreadable:1.0');

  await assert.rejects(pushImage({ client, image: broken, refs: tag, logger, settle: QUICK_SETTLE }), { code: 'IMAGE_INVALID', message: /reading the image file failed while uploading \(EIO: i\/o error\)/ });
  assert.equal((await client.manifestState(tag[0]!)).kind, 'absent');
});

test('a layer left to the upload to hash (no scan): a corrupt file fails the push with DIGEST_MISMATCH, nothing stored or tagged', async () => {
  const b = await buildImage({ layers: [{ '/payload': 'deferred layer\n'.repeat(500) }] });
  built.push(b);
  const plain = await openImage(b.layout);
  const layer = plain.platforms[0]!.manifest.layers[0]!;
  await plain.close();
  const file = join(b.layout, 'blobs', 'sha256', layer.digest.slice('sha256:'.length));
  const bytes = await readFile(file);
  const middle = bytes.length >> 1;
  bytes[middle] = (bytes[middle] ?? 0) ^ 0xff;
  await writeFile(file, bytes);

  await assert.rejects(openImage(b.layout), { code: 'DIGEST_MISMATCH' }, 'hashed when opened: refused at once');
  const local = await openImage(b.layout, { deferLayerHashing: true });
  opened.push(local);
  // Any read but the upload's hashes a deferred layer first.
  await assert.rejects(local.source.open(layer), { code: 'DIGEST_MISMATCH' });
  const tag = refs(proxy.host, 'push/deferred:1.0');
  await assertRefusedNothingStored(local, tag, layer, 'push/deferred');
});

test('a layer left to the upload to hash: an intact image pushes and pulls back identical', async () => {
  const b = await buildImage({ layers: [{ '/payload': 'deferred and intact\n'.repeat(500) }] });
  built.push(b);
  const local = await openImage(b.layout, { deferLayerHashing: true });
  opened.push(local);
  const tag = refs(proxy.host, 'push/deferred-ok:1.0');
  const result = await pushImage({ client, image: local, refs: tag, logger, settle: QUICK_SETTLE });
  assert.equal(result.digest, local.top.digest);
  assert.equal(await inspectDigest(reg, 'push/deferred-ok:1.0'), local.top.digest);
  await assertPullsBackIdentical(reg, 'push/deferred-ok', local);
});

test('a blob the registry says it has, at another size, is not taken as present: the push fails naming both sizes, no tag written', async () => {
  const { local } = await image([{ '/sized': 'size check\n' }]);
  const tag = refs(proxy.host, 'push/sized:1.0');
  // Every blob "exists", 1 byte long: a registry or cache holding other bytes under these digests.
  proxy.setRules([{ method: 'HEAD', path: /\/blobs\/sha256:/, action: { kind: 'status', status: 200, headers: { 'content-length': '1' } } }]);
  try {
    await assert.rejects(pushImage({ client, image: local, refs: tag, logger, settle: QUICK_SETTLE }), (err: Error & { code?: string }) => {
      assert.equal(err.code, 'REGISTRY_ERROR', err.message);
      assert.match(err.message, /Content-Length of 1,/);
      assert.match(err.message, new RegExp(`${local.blobs[0]!.size} bytes|${local.blobs[1]!.size} bytes`));
      return true;
    });
  } finally {
    proxy.setRules([]);
  }
  assert.equal((await client.manifestState(tag[0]!)).kind, 'absent');
});
