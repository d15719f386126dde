// Go's encoding/json (registry, containerd, skopeo) matches object keys to fields
// case-insensitively, with Unicode folding; JSON.parse matches them exactly. A manifest
// with a key only Go reads as `layers` names, to every runtime, layers immutag never
// verified or scanned. Such documents are refused wherever immutag reads one.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { ImmutagError } from '../src/errors.ts';
import { openImage } from '../src/image/open-image.ts';
import { CONFIG_FIELDS, DOCKER_SAVE_FIELDS, FoldedKeyError, MANIFEST_FIELDS, parseOciJson } from '../src/oci-json.ts';
import type { ImageManifest } from '../src/oci.ts';
import { parseReference } from '../src/reference.ts';
import { run } from './support/exec.ts';
import { buildImage, pushImage, removeLayout } from './support/images.ts';
import { entryFor, readJsonBlob, writeBlob, writeIndex } from './support/image-factory.ts';
import { useRegistry } from './support/registry.ts';
import { clientFor } from './support/registry-client.ts';

const layer = { mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip', digest: `sha256:${'a'.repeat(64)}`, size: 1 };
const config = { mediaType: 'application/vnd.oci.image.config.v1+json', digest: `sha256:${'c'.repeat(64)}`, size: 2 };

function refusedKey(text: string, fields = MANIFEST_FIELDS): string {
  try {
    parseOciJson(text, fields);
  } catch (err) {
    assert.ok(err instanceof FoldedKeyError, `expected FoldedKeyError, got ${String(err)}`);
    return err.key;
  }
  assert.fail(`accepted ${text}`);
}

test('a key Go folds onto a manifest field is refused, at any depth', () => {
  assert.equal(refusedKey(JSON.stringify({ schemaVersion: 2, config, layers: [layer], 'layer\u017f': [layer] })), 'layer\u017f');
  assert.equal(refusedKey(JSON.stringify({ schemaVersion: 2, config, Layers: [layer] })), 'Layers');
  assert.equal(refusedKey(JSON.stringify({ schemaVersion: 2, Config: config, layers: [] })), 'Config');
  assert.equal(refusedKey(JSON.stringify({ schemaVersion: 2, 'manifeſts': [] })), 'manifeſts');
  assert.equal(refusedKey(JSON.stringify({ schemaVersion: 2, config, layers: [{ ...layer, 'mediaTypE': 'application/vnd.oci.image.layer.v1.tar+zstd' }] })), 'mediaTypE');
  assert.equal(refusedKey(JSON.stringify({ schemaVersion: 2, manifests: [{ ...config, 'd\u0131gest': layer.digest }] })), 'd\u0131gest');
  assert.equal(refusedKey(JSON.stringify({ schemaVersion: 2, config, layers: [{ ...layer, 's\u0130ze': 9 }] })), 's\u0130ze');
  assert.equal(refusedKey(JSON.stringify({ schemaVersion: 2, manifests: [{ ...config, platform: { os: 'linux', Architecture: 'arm64' } }] })), 'Architecture');
});

test('a config key Go folds onto a field immutag reads is refused', () => {
  assert.equal(refusedKey(JSON.stringify({ os: 'linux', rootfs: { type: 'layers', 'diff_IDs': [] } }), CONFIG_FIELDS), 'diff_IDs');
  assert.equal(refusedKey(JSON.stringify({ OS: 'windows', os: 'linux' }), CONFIG_FIELDS), 'OS');
  assert.equal(refusedKey(JSON.stringify({ config: { labels: { a: 'b' } } }), CONFIG_FIELDS), 'labels');
  assert.equal(refusedKey(JSON.stringify([{ Config: 'c.json', layerſ: [] }]), DOCKER_SAVE_FIELDS), 'layerſ');
});

test('annotations, labels and unknown fields keep whatever keys they have', () => {
  const manifest = { schemaVersion: 2, config, layers: [{ ...layer, annotations: { Layers: 'x', 'SIZE': 'y' } }], annotations: { Config: 'z' }, vendorThing: 1 };
  assert.deepEqual(parseOciJson(JSON.stringify(manifest), MANIFEST_FIELDS), manifest);
  const image = { os: 'linux', architecture: 'amd64', config: { Env: ['A=1'], Cmd: ['/x'], Labels: { OS: 'x', labels: 'y' } }, rootfs: { type: 'layers', diff_ids: [] },
    history: [{ created: '2026-01-01T00:00:00Z', created_by: 'x', empty_layer: true }], container_config: { Hostname: 'h' } };
  assert.deepEqual(parseOciJson(JSON.stringify(image), CONFIG_FIELDS), image);
  // Go folds a key only against the struct it decodes at that level: a Docker plugin's "Network":{"Type"} is no rootfs.
  const plugin = { Network: { Type: 'host' }, Mounts: [{ Type: 'bind' }], rootfs: { type: 'layers', diff_ids: [] } };
  assert.deepEqual(parseOciJson(JSON.stringify(plugin), CONFIG_FIELDS), plugin);
  const save = [{ Config: 'c.json', RepoTags: ['a:1'], Layers: ['l.tar'], LayerSources: { [layer.digest]: layer } }];
  assert.deepEqual(parseOciJson(JSON.stringify(save), DOCKER_SAVE_FIELDS), save);
});

test('an OCI layout whose manifest names layers only Go reads is refused before anything is used', async () => {
  const img = await buildImage({ tag: 'v1', files: { '/ok.txt': 'benign\n' } });
  try {
    const entry = await entryFor(img.layout, 'v1');
    const m = await readJsonBlob<ImageManifest>(img.layout, entry.digest);
    const evil = await writeBlob(img.layout, layer.mediaType, 'not what was scanned');
    const desc = await writeBlob(img.layout, entry.mediaType, JSON.stringify({ ...m, 'layerſ': [evil] }));
    await writeIndex(img.layout, { schemaVersion: 2, manifests: [{ ...desc, annotations: { 'org.opencontainers.image.ref.name': 'v1' } }] });

    // The difference is real: a Go reader of these very bytes sees the other layer.
    const { stdout } = await run('skopeo', ['inspect', `oci:${img.layout}:v1`]);
    assert.deepEqual((JSON.parse(stdout) as { Layers: string[] }).Layers, [evil.digest]);

    await assert.rejects(openImage(img.layout, { names: ['v1'] }), (err: unknown) => {
      assert.ok(err instanceof ImmutagError);
      assert.equal(err.code, 'IMAGE_INVALID');
      assert.match(err.message, /the key "layerſ" is read as "layers" by Go's JSON decoder/);
      return true;
    });
  } finally {
    await removeLayout(img);
  }
});

const reg = await useRegistry();
const { client } = clientFor(reg);
after(() => client.close());

test('a registry manifest whose index entries only Go reads is refused, by digest and as a tag', async () => {
  const img = await buildImage({ tag: 'a', files: { '/a.txt': 'what immutag would read\n' } });
  try {
    await buildImage({ layout: img.layout, tag: 'b', files: { '/b.txt': 'what runtimes would pull\n' } });
    const a = await entryFor(img.layout, 'a');
    const b = await entryFor(img.layout, 'b');
    const index = { schemaVersion: 2, mediaType: 'application/vnd.oci.image.index.v1+json', manifests: [a], Manifests: [b] };
    const top = await writeBlob(img.layout, index.mediaType, JSON.stringify(index));
    await writeIndex(img.layout, { schemaVersion: 2, manifests: [{ ...top, annotations: { 'org.opencontainers.image.ref.name': 'v1' } }] });
    // skopeo (Go) copies the index it reads, `Manifests`, and the registry keeps the bytes.
    const digest = await pushImage(reg, `oci:${img.layout}:v1`, 'fold/app:1.0', { all: true });
    assert.equal(digest, top.digest);

    await assert.rejects(client.getManifest(parseReference(`${reg.host}/fold/app@${top.digest}`)), (err: unknown) => {
      assert.ok(err instanceof ImmutagError);
      assert.equal(err.code, 'MANIFEST_INVALID');
      assert.match(err.message, /the key "Manifests" is read as "manifests" by Go's JSON decoder/);
      return true;
    });
    const state = await client.manifestState(parseReference(`${reg.host}/fold/app:1.0`));
    assert.equal(state.kind, 'unknown', 'a tag whose manifest reads two ways is neither present at a digest nor absent');
  } finally {
    await removeLayout(img);
  }
});
