// Every layer media type a runtime unpacks is read (by its bytes), and in a runnable
// image (an image config) a layer the scanner cannot read stops the scan instead of
// becoming a note: containerd's DiffCompression unpacks the Docker foreign and zstd
// types and any `application/vnd.oci.image.layer.v1.tar+<ext>` (the last suffix decides).
import { after, before, describe, it, test } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { openImage } from '../src/image/open-image.ts';
import { ImmutagError } from '../src/errors.ts';
import { MediaType } from '../src/oci.ts';
import { inventoryImage } from '../src/scan/inventory.ts';
import { layerMediaType } from '../src/scan/layer-media-type.ts';
import { scanImage } from '../src/scan/scan.ts';
import { MemoryBlobSource } from './support/blob-source.ts';
import { entryFor, readIndex, readJsonBlob, writeBlob, writeIndex } from './support/image-factory.ts';
import { buildImage, removeLayout, type BuiltImage } from './support/images.ts';
import { buildTar, compress } from './support/layer-tar.ts';

const VULN_DB = fileURLToPath(new URL('./fixtures/scan/osv/', import.meta.url));
const OS_RELEASE = 'VERSION_ID="12"\nID=debian\n';
const status = (version: string) => `Package: apparmor\nStatus: install ok installed\nArchitecture: amd64\nVersion: ${version}\n\n`;

describe('layer media types as containerd reads them', () => {
  const cases: Array<[string, string | undefined]> = [
    ['application/vnd.oci.image.layer.v1.tar', 'none'],
    ['application/vnd.oci.image.layer.v1.tar+gzip', 'gzip'],
    ['application/vnd.oci.image.layer.v1.tar+zstd', 'zstd'],
    ['application/vnd.oci.image.layer.v1.tar+foo+gzip', 'gzip'],
    ['application/vnd.oci.image.layer.v1.tar+gzip+foo', 'gzip'],
    ['application/vnd.oci.image.layer.v1.tar+foo', 'none'],
    ['application/vnd.oci.image.layer.nondistributable.v1.tar+zstd', 'zstd'],
    ['application/vnd.docker.image.rootfs.diff.tar', 'unknown'],
    ['application/vnd.docker.image.rootfs.foreign.diff.tar', 'unknown'],
    ['application/vnd.docker.image.rootfs.diff.tar.gzip', 'gzip'],
    ['application/vnd.docker.image.rootfs.foreign.diff.tar.gzip', 'gzip'],
    ['application/vnd.docker.image.rootfs.diff.tar.zstd', 'zstd'],
    ['application/vnd.docker.image.rootfs.diff.tar.gzip+foo', 'none'],
    ['application/vnd.docker.image.rootfs.foreign.diff.tar+foo', 'none'],
    ['application/vnd.in-toto+json', undefined],
    ['application/vnd.erofs.layer.v1', undefined],
    ['application/octet-stream', undefined],
  ];
  for (const [mediaType, declared] of cases) {
    it(`${mediaType} → ${declared ?? 'not a filesystem layer'}`, () => {
      assert.equal(layerMediaType(mediaType)?.declared, declared);
    });
  }
  it('knows encrypted layers by any +encrypted suffix', () => {
    assert.equal(layerMediaType('application/vnd.oci.image.layer.v1.tar+encrypted+gzip')?.encrypted, true);
    assert.equal(layerMediaType('application/vnd.oci.image.layer.v1.tar+gzip+encrypted')?.encrypted, true);
    assert.equal(layerMediaType('application/vnd.oci.image.layer.v1.tar+gzip')?.encrypted, false);
  });
});

describe('a runnable image whose layers are relabelled', () => {
  let image: BuiltImage;
  before(async () => { image = await buildImage({ files: { '/etc/os-release': OS_RELEASE, '/var/lib/dpkg/status': status('2.10.95-1') } }); });
  after(async () => { if (image) await removeLayout(image); });

  async function relabel(tag: string, mediaType: string): Promise<void> {
    const e = await entryFor(image.layout, image.tag);
    const m = await readJsonBlob<{ layers: { mediaType: string }[] }>(image.layout, e.digest);
    for (const l of m.layers) l.mediaType = mediaType;
    const blob = await writeBlob(image.layout, e.mediaType, JSON.stringify(m));
    const top = await readIndex(image.layout);
    top.manifests.push({ ...blob, annotations: { 'org.opencontainers.image.ref.name': tag } } as never);
    await writeIndex(image.layout, top);
  }

  async function scan(tag: string) {
    const local = await openImage(image.layout, { names: [tag] });
    try {
      return await scanImage({ source: local.source, top: local.top, manifests: local.manifests, engine: 'osv', vulnDb: VULN_DB, policy: { failOn: 'medium', ignoreUnfixed: false } });
    } finally {
      await local.close();
    }
  }

  const runtimeTypes = [
    'application/vnd.docker.image.rootfs.foreign.diff.tar',
    'application/vnd.docker.image.rootfs.diff.tar.zstd',
    'application/vnd.oci.image.layer.v1.tar+foo+gzip',
  ];
  for (const [i, mediaType] of runtimeTypes.entries()) {
    test(`a layer labelled ${mediaType} is read and its vulnerable package found`, async () => {
      await relabel(`t${i}`, mediaType);
      const outcome = await scan(`t${i}`);
      assert.deepEqual(outcome.result.platforms.map((p) => p.packages.map((x) => x.version)), [['2.10.95-1']]);
      assert.equal(outcome.verdict, 'violation');
    });
  }

  test('a layer of a type no runtime unpacks, in an image, stops the scan', async () => {
    await relabel('odd', 'application/vnd.example.layer.v1');
    await assert.rejects(scan('odd'), (err: unknown) => {
      assert.ok(err instanceof ImmutagError);
      assert.equal(err.code, 'SCANNER_FAILED');
      assert.match(err.message, /application\/vnd\.example\.layer\.v1/);
      assert.ok(err.hint);
      return true;
    });
  });
});

describe('artifacts that are not images', () => {
  it('notes the layers of a manifest whose config is not an image config', async () => {
    const source = new MemoryBlobSource();
    const layer = source.add(compress(await buildTar([{ name: 'etc/os-release', content: OS_RELEASE }]), 'gzip'), MediaType.ociLayerGzip);
    const blob = source.add(Buffer.from('{"predicateType":"x"}'), 'application/vnd.in-toto+json');
    const config = source.add(Buffer.from('{}'), 'application/vnd.example.artifact.config.v1+json');
    const inventory = await inventoryImage(source, { schemaVersion: 2, mediaType: MediaType.ociManifest, config, layers: [layer, blob] });
    assert.equal(inventory.os?.id, 'debian');
    assert.match(inventory.notes.join('\n'), /was not scanned/);
    assert.deepEqual(source.opened, [layer.digest]);
  });

  it('stops an image config manifest with an in-toto layer before opening any layer', async () => {
    const source = new MemoryBlobSource();
    const layer = source.add(compress(await buildTar([{ name: 'etc/os-release', content: OS_RELEASE }]), 'gzip'), MediaType.ociLayerGzip);
    const blob = source.add(Buffer.from('{"predicateType":"x"}'), 'application/vnd.in-toto+json');
    const config = source.add(Buffer.from('{}'), MediaType.dockerConfig);
    await assert.rejects(inventoryImage(source, { schemaVersion: 2, mediaType: MediaType.ociManifest, config, layers: [layer, blob] }), { code: 'SCANNER_FAILED' });
    assert.deepEqual(source.opened, []);
  });
});
