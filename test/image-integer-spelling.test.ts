// Found by a review, fixed since: descriptor sizes are int64 to every Go reader of an
// image (the registry's manifest parser, containerd, skopeo, docker), and `"size": 136.0`
// or `136e0` fails encoding/json ("cannot unmarshal number 136.0 into Go struct field
// Descriptor.layers.size of type int64"; skopeo inspect said so of this very layout);
// so does `"schemaVersion": 2.0`. JSON.parse read them as integers and checkDescriptor
// accepted any safe integer value, so immutag verified, scanned and reported as
// deployable a manifest that no runtime can read, and a push failed only at the
// registry's manifest PUT, after the blobs. oci-json.ts now marks the integer fields Go
// decodes and refuses such a spelling as IMAGE_INVALID (MANIFEST_INVALID when a registry
// serves it) before anything uses the document.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { cp, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { ImmutagError } from '../src/errors.ts';
import { openImage } from '../src/image/open-image.ts';
import { MemoryLogger } from '../src/log.ts';
import type { ImageManifest } from '../src/oci.ts';
import { runImmutag } from '../src/run.ts';
import { parseReference } from '../src/reference.ts';
import { readSettings } from '../src/settings.ts';
import { run } from './support/exec.ts';
import { buildImage, type BuiltImage } from './support/images.ts';
import { entryFor, readJsonBlob, tempDir, writeBlob, writeIndex } from './support/image-factory.ts';
import { startFaultProxy } from './support/fault-proxy.ts';
import { useRegistry } from './support/registry.ts';
import { clientFor } from './support/registry-client.ts';

const reg = await useRegistry();
let work: Awaited<ReturnType<typeof tempDir>>;
let base: BuiltImage;
let manifest: ImageManifest;
let counter = 0;

before(async () => {
  work = await tempDir('review-img-size');
  base = await buildImage({ tag: 'v1', layers: [{ '/etc/app.conf': 'x=1\n' }] });
  manifest = await readJsonBlob<ImageManifest>(base.layout, (await entryFor(base.layout, 'v1')).digest);
});

after(async () => {
  await work.cleanup();
  await rm(join(base.layout, '..'), { recursive: true, force: true });
});

/** A copy of the layout whose manifest spells layer 1's size as `spelling(size)`. */
async function layoutWithSize(spelling: (size: number) => string): Promise<string> {
  const dir = join(work.dir, `case-${++counter}`);
  await cp(base.layout, dir, { recursive: true });
  const size = manifest.layers[0]!.size;
  const text = JSON.stringify(manifest).replace(`"size":${size},"digest":"${manifest.layers[0]!.digest}"`, `"size":${spelling(size)},"digest":"${manifest.layers[0]!.digest}"`)
    .replace(`"digest":"${manifest.layers[0]!.digest}","size":${size}`, `"digest":"${manifest.layers[0]!.digest}","size":${spelling(size)}`);
  assert.ok(text.includes(spelling(size)), 'the size was respelt');
  const desc = await writeBlob(dir, 'application/vnd.oci.image.manifest.v1+json', text);
  await writeIndex(dir, { schemaVersion: 2, manifests: [{ ...desc, annotations: { 'org.opencontainers.image.ref.name': 'v1' } }] });
  return dir;
}

const spellings: Array<[string, (n: number) => string]> = [['N.0', (n) => `${n}.0`], ['Ne0', (n) => `${n}e0`]];

test('a layer size written as a float (136.0, 136e0) is refused as Go refuses it', async (t) => {
  for (const [name, spelling] of spellings) {
    await t.test(name, async () => {
      const layout = await layoutWithSize(spelling);
      const skopeo = await run('skopeo', ['inspect', `oci:${layout}:v1`]).then(() => 'accepted', (e: Error) => e.message);
      assert.match(skopeo, /cannot unmarshal number/, 'Go (skopeo) cannot read this manifest');
      let err: unknown;
      try {
        const image = await openImage(layout, { names: ['v1'] });
        await image.close();
      } catch (e) {
        err = e;
      }
      assert.ok(err instanceof ImmutagError, `openImage accepted a manifest Go cannot decode (${spelling(manifest.layers[0]!.size)})`);
      assert.equal(err.code, 'IMAGE_INVALID', err.message);
    });
  }
});

test('a manifest whose schemaVersion is written 2.0 is refused as Go refuses it (verify-tree.ts checkDocument compares the parsed number)', async () => {
  const dir = join(work.dir, `case-${++counter}`);
  await cp(base.layout, dir, { recursive: true });
  const text = JSON.stringify(manifest).replace('"schemaVersion":2', '"schemaVersion":2.0');
  assert.ok(text.includes('"schemaVersion":2.0'));
  const desc = await writeBlob(dir, 'application/vnd.oci.image.manifest.v1+json', text);
  await writeIndex(dir, { schemaVersion: 2, manifests: [{ ...desc, annotations: { 'org.opencontainers.image.ref.name': 'v1' } }] });
  const skopeo = await run('skopeo', ['inspect', `oci:${dir}:v1`]).then(() => 'accepted', (e: Error) => e.message);
  assert.match(skopeo, /cannot unmarshal number 2\.0/, 'Go (skopeo) cannot read this manifest');
  let err: unknown;
  try {
    const image = await openImage(dir, { names: ['v1'] });
    await image.close();
  } catch (e) {
    err = e;
  }
  assert.ok(err instanceof ImmutagError, 'openImage accepted "schemaVersion": 2.0');
  assert.equal(err.code, 'IMAGE_INVALID', err.message);
});

test('push: false: such an image is not reported as what would be deployed', async () => {
  const layout = await layoutWithSize((n) => `${n}.0`);
  const all: Record<string, string> = { 'insecure-registries': reg.host, tags: `${reg.host}/review/float:1.0`, image: layout, push: 'false', scan: 'none' };
  const out = await runImmutag(readSettings((name) => all[name]), { logger: new MemoryLogger(), env: {} });
  assert.equal(out.report.result, 'error', `result ${out.report.result}, outputs.image ${String(out.outputs.image)}`);
  assert.equal(out.error?.code, 'IMAGE_INVALID');
});

test('a registry serving such a manifest is refused as MANIFEST_INVALID, by digest and as a tag, never read as absent', async (t) => {
  // The reference registry refuses to store one (and to serve it), so a proxy in front serves the bytes.
  const text = JSON.stringify(manifest).replace('"schemaVersion":2', '"schemaVersion":2.0');
  const digest = `sha256:${createHash('sha256').update(text).digest('hex')}`;
  const front = await startFaultProxy(reg.url);
  front.setRules([{ method: 'GET', path: /^\/v2\/float\/app\/manifests\//, action: { kind: 'status', status: 200, body: text, headers: {
    'content-type': 'application/vnd.oci.image.manifest.v1+json', 'docker-content-digest': digest,
  } } }]);
  const { client } = clientFor(reg, { via: front.host, credentials: 'none' });
  t.after(async () => {
    await client.close();
    await front.stop();
  });
  await assert.rejects(client.getManifest(parseReference(`${front.host}/float/app@${digest}`)), (err: unknown) => {
    assert.ok(err instanceof ImmutagError);
    assert.equal(err.code, 'MANIFEST_INVALID', err.message);
    assert.match(err.message, /"schemaVersion": 2\.0 is not written as an integer: Go's JSON decoder/);
    assert.match(err.hint, /digits only/);
    return true;
  });
  const state = await client.manifestState(parseReference(`${front.host}/float/app:1.0`));
  assert.equal(state.kind, 'unknown', JSON.stringify(state));
});
