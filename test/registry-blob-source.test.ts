// The scanner's BlobSource over `repo@digest`: layers come from the real registry
// spooled to a private file while hashed, and are handed over only when verified.
// A blob whose stored bytes were tampered with is refused before a byte is handed
// over and leaves no file behind; a redirect to blob storage on another host gets
// no credentials.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { watch } from 'node:fs';
import { mkdtemp, readdir, readlink, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import type { Descriptor, ImageManifest } from '../src/oci.ts';
import { RegistryBlobSource } from '../src/registry/registry-blob-source.ts';
import { startFaultProxy } from './support/fault-proxy.ts';
import { flipByte } from './support/image-factory.ts';
import { buildImage, pushImage, removeLayout, type BuiltImage } from './support/images.ts';
import { registryFor, useRegistry, type TestRegistry } from './support/registry.ts';
import { clientFor } from './support/registry-client.ts';

const reg = await useRegistry();
let image: BuiltImage;
let top: Descriptor;
let spool: string;

before(async () => {
  image = await buildImage({ layers: [{ '/etc/os-release': 'ID=test\n' }, { '/usr/bin/tool': 'x'.repeat(200_000) }] });
  const digest = await pushImage(reg, image.ociRef, 'source/app:1.0');
  top = { mediaType: 'application/vnd.oci.image.manifest.v1+json', digest, size: 0 };
  spool = await mkdtemp(join(tmpdir(), 'immutag-spool-test-'));
});

after(async () => {
  await removeLayout(image);
  await rm(spool, { recursive: true, force: true });
});

async function sha256Of(stream: Readable): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of stream) hash.update(chunk as Buffer);
  return `sha256:${hash.digest('hex')}`;
}

async function filesUnder(dir: string): Promise<string[]> {
  return (await readdir(dir, { recursive: true, withFileTypes: true })).filter((e) => e.isFile()).map((e) => e.name);
}

function sourceFor(registry: TestRegistry, client: ReturnType<typeof clientFor>['client'], host = registry.host): RegistryBlobSource {
  return new RegistryBlobSource({ transport: client.transport, registry: host, repository: 'source/app', tempDir: spool });
}

async function manifestOf(source: RegistryBlobSource): Promise<ImageManifest> {
  const { client } = clientFor(reg);
  try {
    const fetched = await client.getManifest({ registry: reg.host, repository: 'source/app', digest: top.digest });
    top = { ...top, size: fetched.size };
    return JSON.parse((await source.read(top)).toString('utf8')) as ImageManifest;
  } finally {
    await client.close();
  }
}

test('layers and config of repo@digest are handed over verified; spool files vanish once read', async () => {
  const { client } = clientFor(reg);
  const source = sourceFor(reg, client);
  try {
    const manifest = await manifestOf(source);
    const config = JSON.parse((await source.read(manifest.config)).toString('utf8')) as { rootfs: { diff_ids: string[] } };
    assert.equal(config.rootfs.diff_ids.length, 2);
    for (const layer of manifest.layers) {
      const stream = await source.open(layer);
      assert.deepEqual(await filesUnder(spool), [], 'the spool file has no name once handed over');
      assert.equal(await sha256Of(stream), layer.digest);
    }
  } finally {
    await source.close();
    await client.close();
  }
  assert.deepEqual(await readdir(spool), [], 'close removes the spool directory');
});

test('a blob tampered with in registry storage: DIGEST_MISMATCH before any byte, no file left', async () => {
  const { client } = clientFor(reg);
  const source = sourceFor(reg, client);
  try {
    const manifest = await manifestOf(source);
    const layer = manifest.layers[1]!;
    const hex = layer.digest.slice('sha256:'.length);
    await flipByte(join(reg.storage, 'docker', 'registry', 'v2', 'blobs', 'sha256', hex.slice(0, 2), hex, 'data'), 100);

    await assert.rejects(source.open(layer), (err: Error & { code?: string }) => {
      assert.equal(err.code, 'DIGEST_MISMATCH');
      assert.ok(err.message.includes(layer.digest), err.message);
      return true;
    });
    assert.deepEqual(await filesUnder(spool), []);
    await assert.rejects(source.open({ ...manifest.layers[0]!, size: manifest.layers[0]!.size + 1 }), { code: 'DIGEST_MISMATCH' });
  } finally {
    await source.close();
    await client.close();
  }
});

test('a tampered blob refused while its spool file is still being opened leaves no file', async () => {
  // All of a small blob arrives and fails its digest while the spool file's open is in
  // flight (held back here for a second); the refusal must not remove the path before
  // the file exists, or the open creates it afterwards and it stays. (The spool now
  // makes the file itself before the pipeline, through fs/promises, which this hook
  // does not slow: the test holds the write stream's own open to that.)
  const fs = process.getBuiltinModule('node:fs');
  const realOpen = fs.open;
  const slowOpen = (...args: unknown[]): void => {
    const path = String(args[0]);
    if (path.includes('immutag-blobs-')) setTimeout(() => Reflect.apply(realOpen, fs, args), 1000);
    else Reflect.apply(realOpen, fs, args);
  };
  const { client } = clientFor(reg);
  const source = sourceFor(reg, client);
  const layer = (await manifestOf(source)).layers[0]!;
  const hex = layer.digest.slice('sha256:'.length);
  const stored = join(reg.storage, 'docker', 'registry', 'v2', 'blobs', 'sha256', hex.slice(0, 2), hex, 'data');
  await flipByte(stored, 20);
  try {
    (fs as { open: unknown }).open = slowOpen;
    await assert.rejects(source.open(layer), (err: Error & { code?: string }) => {
      assert.equal(err.code, 'DIGEST_MISMATCH');
      assert.match(err.message, /content hashes to/);
      return true;
    });
    (fs as { open: unknown }).open = realOpen;
    await new Promise((resolve) => setTimeout(resolve, 1500));
    assert.deepEqual(await filesUnder(spool), []);
  } finally {
    (fs as { open: unknown }).open = realOpen;
    await flipByte(stored, 20);
    await source.close();
    await client.close();
  }
});

test('a layer descriptor with a malformed digest is refused before a file is named after it or opened', async (t) => {
  // The descriptor comes from a manifest the registry sent; one that answers 200 for
  // anything (here a proxy in front of the real registry) must not get a file made
  // from `sha256:/../../escape` (outside the private spool directory), nor a file
  // handle left open on the way to the refusal.
  const registry = await registryFor(t);
  const hostile = await startFaultProxy(registry.url, [{ method: 'GET', path: /escape|NOT-HEX/, action: { kind: 'status', status: 200, body: 'layer bytes' } }]);
  const { client } = clientFor(registry, { via: hostile.host });
  const dir = await mkdtemp(join(tmpdir(), 'immutag-spool-digest-'));
  const made: string[] = [];
  const watcher = watch(dir, { recursive: true }, (_event, name) => { if (name !== null) made.push(String(name)); });
  const source = new RegistryBlobSource({ transport: client.transport, registry: hostile.host, repository: 'source/app', tempDir: dir });
  try {
    for (const digest of ['sha256:/../../escape', 'sha256:NOT-HEX']) {
      await assert.rejects(source.open({ mediaType: 'application/vnd.oci.image.layer.v1.tar', digest, size: 11 }), { code: 'INVALID_REFERENCE' });
    }
    await new Promise((resolve) => setTimeout(resolve, 300));
    assert.deepEqual(made.filter((name) => /escape|NOT-HEX/.test(name)), []);
    assert.deepEqual(await openFilesUnder(dir), []);
  } finally {
    watcher.close();
    await source.close();
    await client.close();
    await hostile.stop();
    await rm(dir, { recursive: true, force: true });
  }
});

/** The files this process holds open under `dir` (Linux: /proc/self/fd). */
async function openFilesUnder(dir: string): Promise<string[]> {
  const open: string[] = [];
  for (const fd of await readdir('/proc/self/fd')) {
    const target = await readlink(`/proc/self/fd/${fd}`).catch(() => '');
    if (target.startsWith(dir)) open.push(target);
  }
  return open;
}

test('a redirect to blob storage on another host carries no credentials', async (t) => {
  const [guarded, storage] = await Promise.all([registryFor(t, { auth: 'htpasswd' }), registryFor(t)]);
  const storageProxy = await startFaultProxy(storage.url);
  const front = await startFaultProxy(guarded.url, [{ method: 'GET', path: /\/blobs\/sha256:/, action: { kind: 'redirect', base: storageProxy.url } }]);
  const { client } = clientFor(guarded, { via: front.host });
  const source = new RegistryBlobSource({ transport: client.transport, registry: front.host, repository: 'source/app', tempDir: spool });
  try {
    await pushImage(guarded, image.ociRef, 'source/app:1.0');
    await pushImage(storage, image.ociRef, 'source/app:1.0');
    const manifest = JSON.parse((await client.getManifest({ registry: front.host, repository: 'source/app', digest: top.digest })).bytes.toString('utf8')) as ImageManifest;

    for (const layer of manifest.layers) assert.equal(await sha256Of(await source.open(layer)), layer.digest);

    assert.ok(front.seen.some((s) => /\/blobs\//.test(s.path) && s.authorization), 'the registry itself got the credentials');
    assert.equal(storageProxy.count('GET', /\/blobs\//), manifest.layers.length);
    assert.ok(storageProxy.seen.every((s) => !s.authorization), 'the storage host never saw Authorization');
  } finally {
    await source.close();
    await client.close();
    await front.stop();
    await storageProxy.stop();
  }
});
