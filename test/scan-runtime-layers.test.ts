// The scan must read the filesystem a runtime unpacks from the same bytes. Two runtimes
// read layers differently from immutag, and each difference lets a scan pass on files
// that never run:
//
//  - containerd (Kubernetes) unpacks an `application/vnd.oci.image.layer.v1.tar` layer
//    as the raw tar it says it is: DiffCompression answers "" and the stdProcessor hands
//    the bytes to archive/tar unread (core/diff/stream.go). immutag gunzips whatever
//    starts with the gzip magic. A blob that is a gzip stream of one tar and, byte for
//    byte, another tar (the second hidden in the gzip header's FEXTRA field) is two images.
//  - Docker's own puller (the graphdriver store) pulls an OCI manifest whose config and
//    layer types are "application/octet-stream" (moby daemon/internal/distribution/
//    registry.go supportedMediaTypes, checked case-insensitively in pull_v2.go) and
//    decompresses each layer by sniffing it (xfer/download.go). immutag takes such a
//    manifest for an artifact and leaves the layer out of the scan as a note.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import zlib from 'node:zlib';
import { openImage } from '../src/image/open-image.ts';
import { ImmutagError } from '../src/errors.ts';
import { scanImage, type ScanOutcome } from '../src/scan/scan.ts';
import { blobFile, entryFor, readIndex, readJsonBlob, sha256, writeBlob, writeIndex } from './support/image-factory.ts';
import { buildImage, removeLayout, type BuiltImage } from './support/images.ts';
import { buildTar } from './support/layer-tar.ts';
import { run } from './support/exec.ts';
import { fakeScanner } from './support/fake-scanner.ts';

const VULN_DB = fileURLToPath(new URL('./fixtures/scan/osv/', import.meta.url));
const OS_RELEASE = 'VERSION_ID="12"\nID=debian\n';
const status = (version: string) => `Package: apparmor\nStatus: install ok installed\nArchitecture: amd64\nVersion: ${version}\n\n`;
const VULNERABLE = '2.10.95-1';

/**
 * One blob, two tars: gunzipped it is `gz`; read as a tar (Go's archive/tar) it is `raw`.
 * The first 512 bytes are both the gzip header (FEXTRA set) and a PAX 'x' header of size 0;
 * `raw` follows inside the FEXTRA field, then the deflate stream of `gz` and its trailer.
 */
function polyglot(gz: Buffer, raw: Buffer): Buffer {
  const header = Buffer.alloc(512);
  const xlen = 500 + raw.length;
  Buffer.from([0x1f, 0x8b, 8, 4, 0, 0, 0, 0, 0, 0xff, xlen & 0xff, xlen >> 8]).copy(header);
  header.write('0000644\0', 100);
  header.write('0000000\0', 108);
  header.write('0000000\0', 116);
  header.write('00000000000\0', 124);
  header.write('00000000000\0', 136);
  header.write('x', 156);
  header.write('ustar\u000000', 257, 'latin1');
  header.fill(0x20, 148, 156);
  let sum = 0;
  for (const byte of header) sum += byte;
  header.write(sum.toString(8).padStart(6, '0') + '\0 ', 148, 'latin1');
  const trailer = Buffer.alloc(8);
  trailer.writeUInt32LE(zlib.crc32(gz), 0);
  trailer.writeUInt32LE(gz.length, 4);
  return Buffer.concat([header, raw, zlib.deflateRawSync(gz), trailer]);
}

/** What umoci (Go's archive/tar, reading the layer by its media type as containerd does) unpacks at `path`. */
async function unpackedFile(layout: string, tag: string, path: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'immutag-unpack-'));
  try {
    await run('umoci', ['unpack', '--image', `${layout}:${tag}`, join(dir, 'bundle')]);
    return await readFile(join(dir, 'bundle', 'rootfs', path), 'utf8');
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

describe('the layers a runtime unpacks are the layers scanned', () => {
  let image: BuiltImage;
  before(async () => { image = await buildImage({ files: { '/etc/os-release': OS_RELEASE } }); });
  after(async () => { if (image) await removeLayout(image); });

  /** Adds a manifest tagged `tag` with one layer and a config naming its diff_id. */
  async function addImage(tag: string, layer: { bytes: Buffer; mediaType: string; diffId: string }, configType: string): Promise<void> {
    const base = await entryFor(image.layout, image.tag);
    const manifest = await readJsonBlob<{ config: { digest: string } }>(image.layout, base.digest);
    const config = JSON.parse(await readFile(blobFile(image.layout, manifest.config.digest), 'utf8')) as { rootfs: { diff_ids: string[] } };
    config.rootfs.diff_ids = [layer.diffId];
    const configBlob = await writeBlob(image.layout, configType, JSON.stringify(config));
    const layerBlob = await writeBlob(image.layout, layer.mediaType, layer.bytes);
    const blob = await writeBlob(image.layout, 'application/vnd.oci.image.manifest.v1+json', JSON.stringify({
      schemaVersion: 2, mediaType: 'application/vnd.oci.image.manifest.v1+json', config: configBlob, layers: [layerBlob],
    }));
    const top = await readIndex(image.layout);
    top.manifests.push({ ...blob, annotations: { 'org.opencontainers.image.ref.name': tag } });
    await writeIndex(image.layout, top);
  }

  async function scan(tag: string): Promise<ScanOutcome> {
    const local = await openImage(image.layout, { names: [tag] });
    try {
      return await scanImage({ source: local.source, top: local.top, manifests: local.manifests, engine: 'osv', vulnDb: VULN_DB, policy: { failOn: 'medium', ignoreUnfixed: false } });
    } finally {
      await local.close();
    }
  }

  /** Refused, or scanned with the vulnerable package found: anything but a pass. */
  async function assertNotPassed(tag: string): Promise<void> {
    let outcome: ScanOutcome;
    try {
      outcome = await scan(tag);
    } catch (err) {
      assert.ok(err instanceof ImmutagError, String(err));
      return;
    }
    const versions = outcome.result.platforms.flatMap((p) => p.packages.map((x) => x.version));
    assert.deepEqual(versions, [VULNERABLE], `verdict ${outcome.verdict}; scanned ${JSON.stringify(versions)}, notes: ${outcome.notes.join(' ')}`);
    assert.equal(outcome.verdict, 'violation');
  }

  test('an uncompressed-tar layer is scanned as the tar containerd unpacks, not as a gzip stream hidden in it', async () => {
    const clean = await buildTar([{ name: 'etc/os-release', content: OS_RELEASE }, { name: 'var/lib/dpkg/status', content: status('3.0.8-3') }]);
    const vulnerable = await buildTar([{ name: 'etc/os-release', content: OS_RELEASE }, { name: 'var/lib/dpkg/status', content: status(VULNERABLE) }]);
    const bytes = polyglot(clean, vulnerable);
    assert.deepEqual(zlib.gunzipSync(bytes), clean);
    // containerd: DiffCompression("…layer.v1.tar") is "", so the bytes go to archive/tar as they are,
    // and the diff_id it checks is the digest of those bytes.
    const digest = sha256(bytes);
    await addImage('poly', { bytes, mediaType: 'application/vnd.oci.image.layer.v1.tar', diffId: digest }, 'application/vnd.oci.image.config.v1+json');
    assert.equal(await unpackedFile(image.layout, 'poly', 'var/lib/dpkg/status'), status(VULNERABLE));
    await assertNotPassed('poly');
  });

  test('trivy and grype, which decompress a layer by its bytes, are not handed a layer containerd untars as it is', async () => {
    const fake = await fakeScanner('trivy', { report: fileURLToPath(new URL('./fixtures/scan/trivy/debian-buster.json', import.meta.url)) });
    const local = await openImage(image.layout, { names: ['poly'] });
    try {
      await assert.rejects(scanImage({
        source: local.source, top: local.top, manifests: local.manifests, engine: 'trivy',
        engineTarget: { kind: 'layout', dir: image.layout }, engineEnv: fake.env, policy: { failOn: 'medium', ignoreUnfixed: false },
      }), (err: unknown) => err instanceof ImmutagError && err.code === 'IMAGE_INVALID' && /is two filesystems: labelled an uncompressed tar \("application\/vnd\.oci\.image\.layer\.v1\.tar"\), its bytes are gzip-compressed and also begin with a tar header/.test(err.message));
      assert.deepEqual(await fake.runs(), [], 'the engine never ran');
    } finally {
      await local.close();
      await fake.cleanup();
    }
  });

  test('a manifest Docker pulls as an image (config and layer application/octet-stream) is not an unscanned artifact', async () => {
    const tar = await buildTar([{ name: 'etc/os-release', content: OS_RELEASE }, { name: 'var/lib/dpkg/status', content: status(VULNERABLE) }]);
    const diffId = sha256(tar);
    await addImage('octet', { bytes: zlib.gzipSync(tar), mediaType: 'application/octet-stream', diffId }, 'application/octet-stream');
    await assertNotPassed('octet');
  });

  test('a manifest Docker pulls as an image (media types in another case) is not an unscanned artifact', async () => {
    const tar = await buildTar([{ name: 'etc/os-release', content: OS_RELEASE }, { name: 'var/lib/dpkg/status', content: status(VULNERABLE) }]);
    const diffId = sha256(tar);
    await addImage('upper', { bytes: zlib.gzipSync(tar), mediaType: 'APPLICATION/VND.OCI.IMAGE.LAYER.V1.TAR+GZIP', diffId }, 'APPLICATION/VND.OCI.IMAGE.CONFIG.V1+JSON');
    await assertNotPassed('upper');
  });
});
