// A layer is read to its last compressed byte or refused: every zstd frame (the
// `zstd` CLI's own output, concatenated, with skippable frames as zstd:chunked
// writes them), every gzip member, and nothing after the stream's end.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import zlib from 'node:zlib';
import { ImmutagError } from '../src/errors.ts';
import { type Descriptor, type ImageManifest, MediaType } from '../src/oci.ts';
import { ByteBudget } from '../src/scan/decompress.ts';
import { inventoryImage } from '../src/scan/inventory.ts';
import { readLayer, type LayerEntry, type LayerVisitor } from '../src/scan/layers.ts';
import { MemoryBlobSource } from './support/blob-source.ts';
import { run } from './support/exec.ts';
import { buildTar, type TarMember } from './support/layer-tar.ts';

const fixture = (path: string): Buffer => readFileSync(new URL(`./fixtures/inventory/${path}`, import.meta.url));
const STATUS = fixture('dpkg/status');
const PACKAGES = STATUS.toString('utf8').split('\n\n').filter((s) => /^Status: install ok installed$/m.test(s)).length;

let work: string;
before(async () => {
  work = await mkdtemp(join(tmpdir(), 'immutag-layer-streams-'));
});
after(async () => {
  await rm(work, { recursive: true, force: true });
});

/** Compresses with the real `zstd` CLI (one frame per call). */
async function zstd(data: Buffer, name: string): Promise<Buffer> {
  const file = join(work, name);
  await writeFile(file, data);
  await run('zstd', ['-q', '-f', '-3', file, '-o', `${file}.zst`]);
  return readFile(`${file}.zst`);
}

/** A skippable frame (RFC 8878 §3.1.2), as zstd:chunked appends for its table of contents. */
function skippable(payload: Buffer, nibble = 0xe): Buffer {
  const header = Buffer.alloc(8);
  header.writeUInt32LE(0x184d2a50 + nibble, 0);
  header.writeUInt32LE(payload.length, 4);
  return Buffer.concat([header, payload]);
}

const MEMBERS: TarMember[] = [
  { name: 'etc/os-release', content: 'ID=debian\nVERSION_ID="12"\n' },
  { name: 'srv/filler.bin', content: Buffer.alloc(300 * 1024, 7) },
  { name: 'var/lib/dpkg/status', content: STATUS },
];

/** The layer's tar split after the filler, so the dpkg database is only in the second half. */
async function splitTar(): Promise<[Buffer, Buffer]> {
  const tar = await buildTar(MEMBERS);
  const cut = 512 + 512 + 512 + 300 * 1024;
  assert.ok(tar.subarray(cut).includes('var/lib/dpkg/status'), 'the database is after the cut');
  return [tar.subarray(0, cut), tar.subarray(cut)];
}

function manifestOf(source: MemoryBlobSource, layer: Descriptor): ImageManifest {
  const config = source.add(Buffer.from('{}'), MediaType.ociConfig);
  return { schemaVersion: 2, mediaType: MediaType.ociManifest, config, layers: [layer] };
}

async function inventoryOf(blob: Buffer, mediaType: string) {
  const source = new MemoryBlobSource();
  return inventoryImage(source, manifestOf(source, source.add(blob, mediaType)));
}

class Paths implements LayerVisitor {
  readonly seen: string[] = [];
  entry(entry: LayerEntry): boolean {
    this.seen.push(entry.path);
    return false;
  }
  file(): void {}
  oversized(): void {}
}

async function readBlob(blob: Buffer, mediaType: string) {
  const source = new MemoryBlobSource();
  const visitor = new Paths();
  await readLayer(source, source.add(blob, mediaType), visitor, { budget: new ByteBudget(1 << 30), maxFileBytes: 1 << 20 });
  return visitor.seen;
}

const refused = (pattern: RegExp) => (err: unknown) => err instanceof ImmutagError && err.code === 'IMAGE_INVALID' && pattern.test(err.message);

describe('zstd layers of several frames', () => {
  it('reads a package database that sits in the second frame', async () => {
    const [head, tail] = await splitTar();
    const blob = Buffer.concat([await zstd(head, 'one'), await zstd(tail, 'two')]);
    const inventory = await inventoryOf(blob, MediaType.ociLayerZstd);
    assert.ok(PACKAGES > 10);
    assert.equal(inventory.packages.length, PACKAGES);
  });

  it('skips skippable frames before, between and after the data frames', async () => {
    const [head, tail] = await splitTar();
    const toc = Buffer.from('{"version":1,"entries":[]}');
    const blob = Buffer.concat([skippable(Buffer.alloc(0), 0), await zstd(head, 'one'), skippable(toc, 3), await zstd(tail, 'two'), skippable(toc)]);
    const inventory = await inventoryOf(blob, MediaType.ociLayerZstd);
    assert.equal(inventory.packages.length, PACKAGES);
  });

  it('reads frames with and without checksums, content sizes and raw or RLE blocks (Node\'s encoder)', async () => {
    const tar = await buildTar(MEMBERS);
    const parts = [tar.subarray(0, 1000), tar.subarray(1000, 200_000), tar.subarray(200_000)];
    const blob = Buffer.concat([
      zlib.zstdCompressSync(parts[0]!, { params: { [zlib.constants.ZSTD_c_checksumFlag]: 1 } }),
      zlib.zstdCompressSync(parts[1]!, { params: { [zlib.constants.ZSTD_c_contentSizeFlag]: 0, [zlib.constants.ZSTD_c_compressionLevel]: 1 } }),
      zlib.zstdCompressSync(parts[2]!),
    ]);
    assert.deepEqual(await readBlob(blob, MediaType.ociLayerZstd), ['etc/os-release', 'srv/filler.bin', 'var/lib/dpkg/status']);
  });

  it('refuses bytes after the last frame that are not a frame', async () => {
    const one = await zstd(await buildTar(MEMBERS), 'whole');
    await assert.rejects(readBlob(Buffer.concat([one, Buffer.from('hidden tar after the frames')]), MediaType.ociLayerZstd),
      refused(/not a zstd frame/));
  });

  it('refuses a damaged frame, first or second', async () => {
    const [head, tail] = await splitTar();
    const frames = [await zstd(head, 'one'), await zstd(tail, 'two')];
    for (const which of [0, 1]) {
      const parts = frames.map((f) => Buffer.from(f));
      const damaged = parts[which]!;
      damaged[damaged.length >> 1] = damaged[damaged.length >> 1]! ^ 0xff;
      await assert.rejects(readBlob(Buffer.concat(parts), MediaType.ociLayerZstd),
        (err: unknown) => err instanceof ImmutagError && err.code === 'IMAGE_INVALID');
    }
  });

  it('refuses a stream that ends inside a frame', async () => {
    const [head, tail] = await splitTar();
    const two = await zstd(tail, 'two');
    const blob = Buffer.concat([await zstd(head, 'one'), two.subarray(0, two.length - 10)]);
    await assert.rejects(readBlob(blob, MediaType.ociLayerZstd), refused(/ends inside frame 2/));
  });
});

describe('gzip layers', () => {
  it('reads every member of a multi-member gzip stream', async () => {
    const [head, tail] = await splitTar();
    const inventory = await inventoryOf(Buffer.concat([zlib.gzipSync(head), zlib.gzipSync(tail)]), MediaType.ociLayerGzip);
    assert.equal(inventory.packages.length, PACKAGES);
  });

  it('refuses trailing bytes after the last member, even zeros', async () => {
    const whole = zlib.gzipSync(await buildTar(MEMBERS));
    await assert.rejects(readBlob(Buffer.concat([whole, Buffer.alloc(1024)]), MediaType.ociLayerGzip),
      refused(/gzip stream ends after \d+ of its \d+ bytes/));
    await assert.rejects(readBlob(Buffer.concat([whole, Buffer.from('garbage')]), MediaType.ociLayerGzip), refused(/not a readable tar archive/));
  });
});
