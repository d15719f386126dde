// Reading one layer: verified before decompression, decompressed by content,
// bounded in total and per file, hostile names never used as paths.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import zlib from 'node:zlib';
import { ImmutagError } from '../src/errors.ts';
import { MediaType } from '../src/oci.ts';
import { ByteBudget } from '../src/scan/decompress.ts';
import { type LayerEntry, type LayerVisitor, readLayer } from '../src/scan/layers.ts';
import { normaliseTarPath, resolveSymlink } from '../src/scan/tar-path.ts';
import { MemoryBlobSource } from './support/blob-source.ts';
import { buildTar, type Compression, compress, type TarMember, ustarHeader } from './support/layer-tar.ts';

const MiB = 1024 * 1024;
const GiB = 1024 * MiB;

/** Records what the walker reports; asks for the content of every file whose path is in `want`. */
class Recorder implements LayerVisitor {
  readonly entries: LayerEntry[] = [];
  readonly files = new Map<string, string>();
  readonly oversize: string[] = [];
  private readonly want: (path: string) => boolean;

  constructor(want: (path: string) => boolean = () => true) {
    this.want = want;
  }

  entry(entry: LayerEntry): boolean {
    this.entries.push(entry);
    return this.want(entry.path);
  }

  file(entry: LayerEntry, data: Buffer): void {
    this.files.set(entry.path, data.toString('utf8'));
  }

  oversized(entry: LayerEntry): void {
    this.oversize.push(entry.path);
  }
}

const options = (budget = new ByteBudget(GiB), maxFileBytes = MiB) => ({ budget, maxFileBytes });

const MEMBERS: TarMember[] = [
  { name: 'etc/', type: 'directory' },
  { name: 'etc/os-release', type: 'symlink', linkname: '../usr/lib/os-release' },
  { name: 'usr/lib/os-release', content: 'ID=debian\nVERSION_ID="12"\n' },
  { name: 'usr/lib/os-release.bak', type: 'link', linkname: 'usr/lib/os-release' },
];

describe('layer decompression', () => {
  const MEDIA: Record<Compression, string> = { gzip: MediaType.ociLayerGzip, zstd: MediaType.ociLayerZstd, none: MediaType.ociLayer };
  const cases: Array<{ actual: Compression; declared: string; mislabelled: boolean }> = [
    { actual: 'gzip', declared: MEDIA.gzip, mislabelled: false },
    { actual: 'zstd', declared: MEDIA.zstd, mislabelled: false },
    { actual: 'none', declared: MEDIA.none, mislabelled: false },
    { actual: 'gzip', declared: MediaType.dockerLayerGzip, mislabelled: false },
    { actual: 'none', declared: MediaType.dockerLayerGzip, mislabelled: true },
    { actual: 'zstd', declared: MEDIA.gzip, mislabelled: true },
    // Not a tar to Go (containerd cannot unpack it at all): the decompressed tar is the only one that runs.
    { actual: 'gzip', declared: MEDIA.none, mislabelled: true },
    { actual: 'zstd', declared: MEDIA.none, mislabelled: true },
  ];
  for (const { actual, declared, mislabelled } of cases) {
    it(`reads ${actual} content labelled ${declared}`, async () => {
      const source = new MemoryBlobSource();
      const layer = source.add(compress(await buildTar(MEMBERS), actual), declared);
      const recorder = new Recorder();
      const result = await readLayer(source, layer, recorder, options());
      assert.equal(result.compression, actual);
      assert.deepEqual(recorder.entries.map((e) => [e.path, e.type]), [
        ['etc', 'directory'],
        ['etc/os-release', 'symlink'],
        ['usr/lib/os-release', 'file'],
        ['usr/lib/os-release.bak', 'hardlink'],
      ]);
      assert.equal(recorder.entries[1]!.linkTarget, '../usr/lib/os-release', 'symlink targets are kept as written');
      assert.equal(recorder.entries[3]!.linkTarget, 'usr/lib/os-release');
      assert.equal(recorder.files.get('usr/lib/os-release'), 'ID=debian\nVERSION_ID="12"\n');
      assert.equal(result.notes.some((n) => n.includes('is labelled')), mislabelled, result.notes.join('\n'));
    });
  }

  it('does not open a blob that is not a filesystem layer; an encrypted layer stops the scan', async () => {
    const source = new MemoryBlobSource();
    const layer = source.add(Buffer.from('{}'), 'application/vnd.in-toto+json');
    const encrypted = source.add(Buffer.from('x'), 'application/vnd.oci.image.layer.v1.tar+gzip+encrypted');
    const recorder = new Recorder();
    const plain = await readLayer(source, layer, recorder, options());
    assert.equal(plain.read, false);
    assert.match(plain.notes[0]!, /not a filesystem layer/);
    await assert.rejects(readLayer(source, encrypted, recorder, options()),
      (err: unknown) => err instanceof ImmutagError && err.code === 'SCANNER_FAILED' && /is encrypted/.test(err.message));
    assert.deepEqual(source.opened, []);
  });
});

describe('verification before decompression', () => {
  it('refuses a layer whose bytes do not match its digest, without decompressing a byte', async () => {
    const source = new MemoryBlobSource();
    const genuine = compress(await buildTar(MEMBERS), 'gzip');
    const layer = source.add(genuine, MediaType.ociLayerGzip);
    // Same size, other content: a gzip stream that would expand to 64 MiB if anyone inflated it.
    const tampered = zlib.gzipSync(Buffer.alloc(64 * MiB), { level: 9 }).subarray(0, genuine.length);
    source.tamper(layer, Buffer.concat([tampered, Buffer.alloc(genuine.length - tampered.length)]));
    const budget = new ByteBudget(MiB);
    const recorder = new Recorder();
    await assert.rejects(readLayer(source, layer, recorder, options(budget)), (err: unknown) => {
      assert.ok(err instanceof ImmutagError);
      assert.equal(err.code, 'DIGEST_MISMATCH');
      assert.match(err.message, new RegExp(layer.digest));
      return true;
    });
    assert.equal(budget.spent, 0, 'no byte was decompressed');
    assert.deepEqual(recorder.entries, []);
  });

  it('refuses a layer with the right digest prefix but a different size', async () => {
    const source = new MemoryBlobSource();
    const layer = source.add(compress(await buildTar(MEMBERS), 'gzip'), MediaType.ociLayerGzip);
    source.tamper(layer, Buffer.concat([compress(await buildTar(MEMBERS), 'gzip'), Buffer.from('trailing')]));
    await assert.rejects(readLayer(source, layer, new Recorder(), options()), { code: 'DIGEST_MISMATCH' });
  });
});

describe('decompression bombs', () => {
  /** A 10 GiB file of zeros in one tar entry, as concatenated 1 MiB gzip members or zstd frames (~10 MB / ~0.5 MB). */
  function bomb(compression: 'gzip' | 'zstd'): () => Generator<Buffer> {
    const zeros = Buffer.alloc(MiB);
    const pack = (data: Buffer) => (compression === 'gzip' ? zlib.gzipSync(data, { level: 9 }) : zlib.zstdCompressSync(data));
    const head = pack(Buffer.concat([ustarHeader('var/lib/dpkg/status', 10 * GiB), zeros]));
    const member = pack(zeros);
    return function* () {
      yield head;
      for (let i = 1; i < 10 * 1024; i++) yield member;
    };
  }

  for (const compression of ['gzip', 'zstd'] as const) {
    it(`stops a 10 GiB ${compression} bomb at the total cap with LIMIT_EXCEEDED`, async () => {
      const source = new MemoryBlobSource();
      const layer = await source.addProduced(bomb(compression), compression === 'gzip' ? MediaType.ociLayerGzip : MediaType.ociLayerZstd);
      assert.ok(layer.size < 16 * MiB, `the compressed bomb is small (${layer.size} bytes)`);
      const budget = new ByteBudget(64 * MiB);
      const recorder = new Recorder();
      await assert.rejects(readLayer(source, layer, recorder, options(budget, 128 * MiB)), (err: unknown) => {
        assert.ok(err instanceof ImmutagError);
        assert.equal(err.code, 'LIMIT_EXCEEDED');
        assert.match(err.message, /64 MiB/);
        assert.match(err.message, new RegExp(layer.digest));
        assert.match(err.hint, /decompression bomb/);
        return true;
      });
      assert.ok(budget.spent > 64 * MiB && budget.spent < 80 * MiB, `stopped soon after the cap (${budget.spent})`);
      assert.deepEqual(recorder.oversize, ['var/lib/dpkg/status'], 'the 10 GiB entry was never buffered');
    });
  }

  it('counts the budget across layers of one image', async () => {
    const source = new MemoryBlobSource();
    const tarball = await buildTar([{ name: 'big', content: Buffer.alloc(3 * MiB) }]);
    const layer = source.add(compress(tarball, 'gzip'), MediaType.ociLayerGzip);
    const budget = new ByteBudget(8 * MiB);
    await readLayer(source, layer, new Recorder(), options(budget));
    await readLayer(source, layer, new Recorder(), options(budget));
    await assert.rejects(readLayer(source, layer, new Recorder(), options(budget)), { code: 'LIMIT_EXCEEDED' });
  });
});

describe('per-file cap', () => {
  it('skips the content of a wanted file over the cap and keeps reading the layer', async () => {
    const source = new MemoryBlobSource();
    const tarball = await buildTar([
      { name: 'var/lib/dpkg/status', content: Buffer.alloc(2 * MiB, 'a') },
      { name: 'etc/os-release', content: 'ID=alpine\n' },
    ]);
    const layer = source.add(compress(tarball, 'zstd'), MediaType.ociLayerZstd);
    const recorder = new Recorder();
    await readLayer(source, layer, recorder, options(new ByteBudget(GiB), MiB));
    assert.deepEqual(recorder.oversize, ['var/lib/dpkg/status']);
    assert.deepEqual([...recorder.files.keys()], ['etc/os-release']);
  });

  it('never buffers files nobody asked for', async () => {
    const source = new MemoryBlobSource();
    const tarball = await buildTar([{ name: 'usr/share/big', content: Buffer.alloc(4 * MiB) }, { name: 'etc/os-release', content: 'ID=x\n' }]);
    const layer = source.add(compress(tarball, 'gzip'), MediaType.ociLayerGzip);
    const recorder = new Recorder((p) => p === 'etc/os-release');
    await readLayer(source, layer, recorder, options(new ByteBudget(GiB), MiB));
    assert.deepEqual(recorder.oversize, [], 'a big unwanted file is not "oversized", just skipped');
    assert.deepEqual([...recorder.files.keys()], ['etc/os-release']);
  });
});

describe('hostile member names', () => {
  const long = `${'a/'.repeat(2100)}os-release`;
  const cases: Array<{ name: string; path?: string; pax?: boolean }> = [
    // As containerd unpacks them: cleaned, and `..` stops at the root (moby refuses them).
    { name: '../etc/os-release', path: 'etc/os-release' },
    { name: 'var/../../etc/passwd', path: 'etc/passwd' },
    { name: 'var/lib/dpkg/..', path: 'var/lib' },
    { name: 'opt/x/../app/lib/log4j-core-2.14.1.jar', path: 'opt/app/lib/log4j-core-2.14.1.jar' },
    { name: long },
    { name: '/etc/os-release', path: 'etc/os-release' },
    { name: './var/lib/dpkg/status', path: 'var/lib/dpkg/status' },
    { name: 'usr//lib/./os-release', path: 'usr/lib/os-release' },
    { name: '/', path: undefined },
  ];

  it('cleans absolute, dotted and parent names to where a runtime writes them, and skips over-long ones', async () => {
    const source = new MemoryBlobSource();
    const tarball = await buildTar(cases.map(({ name, pax }) => ({ name, pax: pax ?? false, content: 'ID=evil\n' })));
    const layer = source.add(compress(tarball, 'gzip'), MediaType.ociLayerGzip);
    const recorder = new Recorder();
    const result = await readLayer(source, layer, recorder, options());
    const expected = cases.flatMap(({ path }) => (path ? [path] : []));
    assert.deepEqual(recorder.entries.map((e) => e.path), expected);
    assert.equal(result.entries, cases.length);
    const note = result.notes.find((n) => n.includes('unsafe names'));
    assert.ok(note, result.notes.join('\n'));
    assert.match(note, /skipped 1 entries/);
    assert.ok(note.length < 600, 'a megabyte name is not copied into the note');
  });

  it('refuses a pax path with a NUL byte, as Go\'s archive/tar does (a runtime cannot unpack the layer)', async () => {
    const source = new MemoryBlobSource();
    const tarball = await buildTar([{ name: 'etc/os-release\0.txt', pax: true, content: 'ID=evil\n' }]);
    const layer = source.add(compress(tarball, 'gzip'), MediaType.ociLayerGzip);
    await assert.rejects(readLayer(source, layer, new Recorder(), options()), /a pax path holds a NUL byte/);
  });

  it('turns a corrupt tar into IMAGE_INVALID, not a crash', async () => {
    const source = new MemoryBlobSource();
    const garbage = Buffer.alloc(4096, 0x41);
    const layer = source.add(compress(garbage, 'gzip'), MediaType.ociLayerGzip);
    await assert.rejects(readLayer(source, layer, new Recorder(), options()), (err: unknown) => {
      assert.ok(err instanceof ImmutagError);
      assert.equal(err.code, 'IMAGE_INVALID');
      assert.match(err.message, /not a readable tar archive/);
      return true;
    });
  });

  it('turns a truncated gzip stream into IMAGE_INVALID', async () => {
    const source = new MemoryBlobSource();
    const whole = compress(await buildTar(MEMBERS), 'gzip');
    const layer = source.add(whole.subarray(0, whole.length - 20), MediaType.ociLayerGzip);
    await assert.rejects(readLayer(source, layer, new Recorder(), options()), { code: 'IMAGE_INVALID' });
  });
});

describe('path rules', () => {
  const names: Array<[string, ReturnType<typeof normaliseTarPath>]> = [
    ['usr/bin/env', { ok: true, path: 'usr/bin/env' }],
    ['./', { ok: true, path: '' }],
    ['a/b/', { ok: true, path: 'a/b' }],
    ['a/./b/.', { ok: true, path: 'a/b' }],
    ['..', { ok: true, path: '' }],
    ['a/b/../../..', { ok: true, path: '' }],
    ['a/../b', { ok: true, path: 'b' }],
    ['../../etc/passwd', { ok: true, path: 'etc/passwd' }],
    ['€'.repeat(1300), { ok: true, path: '€'.repeat(1300) }],
    ['€'.repeat(1400), { ok: false, reason: 'too-long' }],
    ['x\0', { ok: false, reason: 'nul' }],
  ];
  for (const [name, expected] of names) {
    it(`name ${JSON.stringify(name.slice(0, 20))}${name.length > 20 ? '…' : ''}`, () => assert.deepEqual(normaliseTarPath(name), expected));
  }

  const links: Array<[string, string, string | undefined]> = [
    ['etc/os-release', '../usr/lib/os-release', 'usr/lib/os-release'],
    ['etc/os-release', '/usr/lib/os-release', 'usr/lib/os-release'],
    ['etc/os-release', '../../../../usr/lib/os-release', 'usr/lib/os-release'],
    ['etc/os-release', 'os-release.d/./x', 'etc/os-release.d/x'],
    ['os-release', '', ''],
    ['etc/os-release', 'a\0b', undefined],
  ];
  for (const [link, target, expected] of links) {
    it(`link ${link} -> ${JSON.stringify(target)}`, () => assert.equal(resolveSymlink(link, target), expected));
  }
});
