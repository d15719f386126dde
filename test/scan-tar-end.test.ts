// A layer's tar ends where Go's archive/tar (containerd, moby) and GNU tar end it: at
// the end-of-archive marker. What tar-stream would read past it, or frame differently
// from Go, is something the runtime never unpacks (or unpacks and the scan never saw),
// so such a layer is refused instead of read.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { ImmutagError } from '../src/errors.ts';
import { MediaType } from '../src/oci.ts';
import { ByteBudget } from '../src/scan/decompress.ts';
import { inventoryImage } from '../src/scan/inventory.ts';
import { type LayerEntry, readLayer } from '../src/scan/layers.ts';
import { MemoryBlobSource } from './support/blob-source.ts';
import { buildTar, compress } from './support/layer-tar.ts';

const status = (v: string) => `Package: apparmor\nStatus: install ok installed\nArchitecture: amd64\nVersion: ${v}\n\n`;
const OS_RELEASE = 'ID=debian\nVERSION_ID="12"\n';
const VULNERABLE = '2.10.95-1';
const FIXED = '2.11.0-3';

async function read(tarBytes: Buffer): Promise<Map<string, string>> {
  const source = new MemoryBlobSource();
  const layer = source.add(compress(tarBytes, 'gzip'), MediaType.ociLayerGzip);
  const files = new Map<string, string>();
  await readLayer(source, layer, {
    entry: (e: LayerEntry) => e.type === 'file',
    file: (e, data) => files.set(e.path, data.toString('utf8')),
    oversized() {},
  }, { maxFileBytes: 1 << 20, budget: new ByteBudget(1 << 30) });
  return files;
}

const invalid = (pattern: RegExp) => (err: unknown) => {
  assert.ok(err instanceof ImmutagError, String(err));
  assert.equal(err.code, 'IMAGE_INVALID');
  assert.match(err.message, pattern);
  assert.ok(err.hint);
  return true;
};

/** Rewrites a header block in place and fixes its checksum. */
function patchHeader(tarBytes: Buffer, at: number, edit: (block: Buffer) => void): void {
  const block = tarBytes.subarray(at, at + 512);
  edit(block);
  block.fill(0x20, 148, 156);
  let sum = 0;
  for (const b of block) sum += b;
  block.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148, 'latin1');
}

describe('the end-of-archive marker', () => {
  it('GNU tar stops at the first marker: a second archive appended after it is what the scan must not read', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tar-end-'));
    try {
      const member = (content: string) => {
        writeFileSync(join(dir, 'status'), content);
        execFileSync('tar', ['--format=pax', '-C', dir, '-cf', join(dir, 'x.tar'), 'status']);
        return readFileSync(join(dir, 'x.tar'));
      };
      writeFileSync(join(dir, 'l.tar'), Buffer.concat([member('REAL'), member('FAKE')]));
      rmSync(join(dir, 'status'));
      execFileSync('tar', ['-C', dir, '-xf', join(dir, 'l.tar')]);
      assert.equal(readFileSync(join(dir, 'status'), 'utf8'), 'REAL');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses a layer with a second tar after the marker (a fixed dpkg status the runtime never sees)', async () => {
    const real = await buildTar([{ name: 'etc/os-release', content: OS_RELEASE }, { name: 'var/lib/dpkg/status', content: status(VULNERABLE) }]);
    const fake = await buildTar([{ name: 'var/lib/dpkg/status', content: status(FIXED) }]);
    const source = new MemoryBlobSource();
    const layer = source.add(compress(Buffer.concat([real, fake]), 'gzip'), MediaType.ociLayerGzip);
    const config = source.add(Buffer.from('{}'), MediaType.ociConfig);
    await assert.rejects(inventoryImage(source, { schemaVersion: 2, mediaType: MediaType.ociManifest, config, layers: [layer] }),
      invalid(/after the end-of-archive marker/));
  });

  it('reads an archive padded with zeros after its marker (tar pads to whole records)', async () => {
    const real = await buildTar([{ name: 'var/lib/dpkg/status', content: status(VULNERABLE) }]);
    const files = await read(Buffer.concat([real, Buffer.alloc(10240)]));
    assert.deepEqual([...files.keys()], ['var/lib/dpkg/status']);
  });

  it('reads an archive that ends without a marker, or with a single zero block, as Go does', async () => {
    const real = await buildTar([{ name: 'var/lib/dpkg/status', content: status(VULNERABLE) }]);
    const bare = real.subarray(0, real.length - 1024);
    assert.deepEqual([...(await read(bare)).keys()], ['var/lib/dpkg/status']);
    assert.deepEqual([...(await read(real.subarray(0, real.length - 512))).keys()], ['var/lib/dpkg/status']);
  });

  it('refuses a header after a single zero block (Go: invalid tar header)', async () => {
    const real = await buildTar([{ name: 'var/lib/dpkg/status', content: status(VULNERABLE) }]);
    const fake = await buildTar([{ name: 'var/lib/dpkg/status', content: status(FIXED) }]);
    const oneZero = real.subarray(0, real.length - 512);
    await assert.rejects(read(Buffer.concat([oneZero, fake])), invalid(/single zero block/));
  });
});

describe('framing Go and tar-stream would disagree on', () => {
  it('refuses a symlink whose header claims data (Go reads that data as the next headers)', async () => {
    const hidden = await buildTar([{ name: 'var/lib/dpkg/status', content: status(VULNERABLE) }]);
    const inner = hidden.subarray(0, hidden.length - 1024);
    const link = await buildTar([{ name: 'etc/alias', type: 'symlink', linkname: 'os-release' }]);
    const head = Buffer.from(link.subarray(0, 512));
    patchHeader(head, 0, (block) => block.write(`${inner.length.toString(8).padStart(11, '0')}\0`, 124, 'latin1'));
    const fixed = await buildTar([{ name: 'var/lib/dpkg/status', content: status(FIXED) }]);
    await assert.rejects(read(Buffer.concat([head, inner, fixed])), invalid(/frame|framing/));
  });

  it('refuses a global pax header that sets a path or size (tar-stream applies it to later members, Go does not)', async () => {
    const tarBytes = Buffer.from(await buildTar([{ name: 'var/lib/dpkg/status', content: status(VULNERABLE), pax: true }]));
    assert.equal(String.fromCharCode(tarBytes[156]!), 'x');
    patchHeader(tarBytes, 0, (block) => { block[156] = 'g'.charCodeAt(0); });
    await assert.rejects(read(tarBytes), invalid(/global pax/));
  });
});
